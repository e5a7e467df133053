//! The expansion is lint-clean: this file denies every rustc warning and
//! clippy's pedantic group, and CI runs clippy on it with `-D warnings`.
#![deny(warnings, clippy::pedantic)]

use bizmetrics::{business_metric, timed};

/// A documented function keeps its docs, which clippy reads as written.
///
/// # Errors
/// When `value` is over the limit.
#[business_metric(action = "lint_sync", labels(tier = "gold"))]
#[timed(buckets = [0.001, 0.01])]
pub fn sync_function(value: u32) -> Result<u32, String> {
    const LIMIT: u32 = 10;
    if value > LIMIT {
        return Err(format!("{value} is over {LIMIT}"));
    }
    Ok(value * 2)
}

#[timed]
#[business_metric(action = "lint_async")]
async fn async_function(value: &str) -> std::io::Result<usize> {
    tokio::task::yield_now().await;
    Ok(value.len())
}

struct Counter(u32);

impl Counter {
    #[must_use]
    #[timed]
    fn bump(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }

    #[business_metric(action = "lint_method")]
    fn read(&self) -> u32 {
        self.0
    }
}

#[timed]
fn generic<T: Into<u64>>(value: T) -> impl std::fmt::Display {
    value.into()
}

#[timed]
fn unit() {}

/// Bodies that never fall through: the expansion's `ok` after them is
/// unreachable, and must not say so. Never called.
#[allow(dead_code)]
#[timed]
fn exits() {
    std::process::exit(0)
}

#[allow(dead_code)]
#[timed]
fn exits_with_a_value() -> u32 {
    std::process::exit(0)
}

/// Worker loops, ended only by dropping their task. Never called.
#[allow(dead_code)]
#[timed]
async fn accept_loop() {
    loop {
        tokio::task::yield_now().await;
    }
}

#[allow(dead_code)]
#[business_metric(action = "lint_worker")]
#[timed]
async fn worker_forever() -> ! {
    loop {
        tokio::task::yield_now().await;
    }
}

/// Trait impls in the exact shape clippy asks for (`non_canonical_*_impl`),
/// each annotated on its methods, and again on the whole block.
mod canonical {
    use std::cmp::Ordering;
    use std::hash::{Hash, Hasher};

    use bizmetrics::timed;

    #[derive(Copy, PartialEq, Eq, Debug)]
    pub struct OnMethods(pub u8);

    #[allow(clippy::expl_impl_clone_on_copy)]
    impl Clone for OnMethods {
        #[timed(name = "lint_canonical_seconds")]
        fn clone(&self) -> Self {
            *self
        }
    }

    impl PartialOrd for OnMethods {
        #[timed(name = "lint_canonical_seconds")]
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    impl Ord for OnMethods {
        #[timed(name = "lint_canonical_seconds")]
        fn cmp(&self, other: &Self) -> Ordering {
            self.0.cmp(&other.0)
        }
    }

    impl Hash for OnMethods {
        #[timed(name = "lint_canonical_seconds")]
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    impl Default for OnMethods {
        #[timed(name = "lint_canonical_seconds")]
        fn default() -> Self {
            Self(1)
        }
    }

    #[derive(Copy, PartialEq, Eq, Debug)]
    pub struct OnBlocks(pub u8);

    #[allow(clippy::expl_impl_clone_on_copy)]
    #[timed(name = "lint_canonical_seconds")]
    impl Clone for OnBlocks {
        fn clone(&self) -> Self {
            *self
        }
    }

    #[timed(name = "lint_canonical_seconds")]
    impl PartialOrd for OnBlocks {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    #[timed(name = "lint_canonical_seconds")]
    impl Ord for OnBlocks {
        fn cmp(&self, other: &Self) -> Ordering {
            self.0.cmp(&other.0)
        }
    }

    #[timed(name = "lint_canonical_seconds")]
    impl Hash for OnBlocks {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    #[timed(name = "lint_canonical_seconds")]
    impl Default for OnBlocks {
        fn default() -> Self {
            Self(1)
        }
    }

    #[test]
    fn canonical_impls_keep_their_meaning() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |value: &dyn Fn(&mut DefaultHasher)| {
            let mut hasher = DefaultHasher::new();
            value(&mut hasher);
            hasher.finish()
        };
        let (a, b) = (OnMethods(1), OnMethods(2));
        assert_eq!(a.clone(), a);
        assert_eq!(a.partial_cmp(&b), Some(Ordering::Less));
        assert_eq!(b.cmp(&a), Ordering::Greater);
        assert_eq!(OnMethods::default(), a);
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| 1u8.hash(h)));
        let (a, b) = (OnBlocks(1), OnBlocks(2));
        assert_eq!(a.clone(), a);
        assert_eq!(a.partial_cmp(&b), Some(Ordering::Less));
        assert_eq!(b.cmp(&a), Ordering::Greater);
        assert_eq!(OnBlocks::default(), a);
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| 1u8.hash(h)));
        for function in [
            "clone",
            "<OnBlocks as PartialOrd>::partial_cmp",
            "<OnBlocks as Default>::default",
        ] {
            let series = format!(
                r#"lint_canonical_seconds_count{{function="{function}",module="lints::canonical",outcome="ok"}}"#
            );
            assert!(
                bizmetrics_tests::sample(&series) >= 1.0,
                "{function} recorded"
            );
        }
    }
}

#[tokio::test]
async fn annotated_code_compiles_without_warnings() {
    assert_eq!(sync_function(3), Ok(6));
    assert!(sync_function(11).is_err());
    assert_eq!(async_function("four").await.unwrap(), 4);
    let mut counter = Counter(0);
    assert_eq!(counter.bump(), 1);
    assert_eq!(counter.read(), 1);
    assert_eq!(generic(5u8).to_string(), "5");
    unit();
}

// Sets of defaults and label groups expand lint-clean too, documented items
// included.
#[deny(warnings, clippy::pedantic, missing_docs)]
mod linted {
    use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};

    /// Plans.
    #[derive(Clone, Copy, LabelValue)]
    pub enum Plan {
        /// Free.
        Free,
        /// Pro.
        Pro,
    }

    /// A group.
    #[derive(Clone, Copy, LabelGroup)]
    pub struct Who {
        /// The plan.
        pub plan: Option<Plan>,
        /// Returning.
        #[label(rename = "returning_user")]
        pub returning: bool,
    }

    bizmetrics::defaults! {
        /// Actions.
        pub(crate) act = business_metric(name = "lint_set_actions_total", labels(who));
        /// Calls.
        pub(crate) call = timed(name = "lint_set_call_seconds", errors, labels(who: Who));
    }

    /// Documented.
    ///
    /// # Errors
    /// Never.
    #[business_metric(defaults = act, action = "lint_set")]
    #[timed(defaults = call)]
    pub fn run(who: Who) -> Result<u32, String> {
        let _ = who;
        Ok(1)
    }

    /// Documented.
    ///
    /// # Errors
    /// Never.
    pub async fn run_async(who: Who) -> Result<u32, String> {
        inner(who).await
    }

    #[timed(defaults = call)]
    #[business_metric(defaults = act, action = "lint_set_async")]
    async fn inner(who: Who) -> Result<u32, String> {
        let _ = who;
        tokio::task::yield_now().await;
        Ok(2)
    }

    #[test]
    fn sets_and_groups_expand_lint_clean() {
        let who = Who {
            plan: Some(Plan::Pro),
            returning: false,
        };
        assert_eq!(run(who), Ok(1));
        let _ = Plan::Free;
        let _ = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(run_async(who));
    }
}
