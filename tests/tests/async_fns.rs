//! `#[timed]` turns an `async fn` into a plain `fn` returning the body's
//! future, as rustc itself desugars it. Its parameters behave as in the
//! `async fn`: moved into the future, alive until it completes and dropped
//! in the same order; only the fields a pattern leaves unbound go at the
//! call (README, "Limits"). Recursive and borrowing `async fn`s record each
//! call.

use std::sync::Mutex;

use bizmetrics::timed;
use bizmetrics_tests::executor::{block_on, yield_once};

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

static DROPS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Appends its name to [`DROPS`] when dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        DROPS.lock().unwrap().push(self.0);
    }
}

fn drops_of(prefix: &str) -> Vec<&'static str> {
    DROPS
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|name| name.starts_with(prefix))
        .collect()
}

async fn plain_guards(_first: Noisy, _second: Noisy) {
    yield_once().await;
}

#[timed]
async fn timed_guards(_first: Noisy, _second: Noisy) {
    yield_once().await;
}

#[test]
fn a_desugared_async_fn_drops_its_parameters_in_async_fn_order() {
    block_on(plain_guards(Noisy("plain.first"), Noisy("plain.second")));
    block_on(timed_guards(Noisy("timed.first"), Noisy("timed.second")));
    let plain: Vec<_> = drops_of("plain.")
        .iter()
        .map(|n| n.trim_start_matches("plain."))
        .collect();
    let timed: Vec<_> = drops_of("timed.")
        .iter()
        .map(|n| n.trim_start_matches("timed."))
        .collect();
    assert_eq!(
        timed, plain,
        "#[timed] changed the drop order of an async fn's parameters"
    );
}

#[timed]
async fn guarded(_guard: Noisy, _: Noisy, mut n: u32) -> u32 {
    yield_once().await;
    n += 1;
    n
}

#[test]
fn a_desugared_async_fn_keeps_its_guards_until_the_future_completes() {
    let future = guarded(Noisy("keep.named"), Noisy("keep.wild"), 1);
    assert!(drops_of("keep.").is_empty(), "dropped at the call");
    assert_eq!(block_on(future), 2);
    let mut dropped = drops_of("keep.");
    dropped.sort_unstable();
    assert_eq!(dropped, ["keep.named", "keep.wild"]);

    // Dropped before its first poll: the guards go, and nothing is recorded.
    drop(guarded(Noisy("never.named"), Noisy("never.wild"), 1));
    assert_eq!(drops_of("never.").len(), 2);
    assert_eq!(outcomes("guarded"), [1.0, 0.0, 0.0, 0.0]);
}

struct Pair {
    left: Noisy,
    /// Only ever dropped.
    #[allow(dead_code)]
    right: Noisy,
}

#[timed]
async fn destructured(Pair { left, right: _ }: Pair, (a, _b): (u32, u32)) -> u32 {
    yield_once().await;
    drop(left);
    a
}

#[test]
fn a_destructured_parameter_drops_only_its_unbound_fields_at_the_call() {
    // README "Limits" says so: the unbound `right` goes at the call.
    let future = destructured(
        Pair {
            left: Noisy("pair.left"),
            right: Noisy("pair.right"),
        },
        (4, 5),
    );
    assert_eq!(drops_of("pair."), ["pair.right"]);
    assert_eq!(block_on(future), 4);
    assert_eq!(drops_of("pair."), ["pair.right", "pair.left"]);
}

// A recursive `async fn`, which must box the future of its own call.
#[timed]
async fn factorial(n: u64) -> u64 {
    if n == 0 {
        return 1;
    }
    n * Box::pin(factorial(n - 1)).await
}

// An `async fn` returning a borrow of one of its arguments.
#[timed]
async fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    yield_once().await;
    if a.len() >= b.len() {
        a
    } else {
        b
    }
}

#[test]
fn recursive_and_borrowing_async_fns_record_each_call() {
    assert_eq!(block_on(factorial(4)), 24);
    assert_eq!(outcomes("factorial"), [5.0, 0.0, 0.0, 0.0]);
    let (a, b) = (String::from("abc"), String::from("de"));
    assert_eq!(block_on(longest(&a, &b)), "abc");
    assert_eq!(outcomes("longest"), [1.0, 0.0, 0.0, 0.0]);
}
