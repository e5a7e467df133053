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
