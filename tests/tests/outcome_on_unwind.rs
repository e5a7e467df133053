//! A call's outcome is its own, not its thread's: a call that returns
//! normally while another panic unwinds is `ok`, a future dropped mid-flight
//! by another panic is `cancelled`, and a panic while a returned future is
//! being built is that call's `panic`.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;

use bizmetrics::timed;
use bizmetrics_tests::executor::{block_on, poll_once, yield_once};

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

#[timed]
fn cleanup() {}

struct CallsCleanupOnDrop;

impl Drop for CallsCleanupOnDrop {
    fn drop(&mut self) {
        cleanup();
    }
}

#[test]
fn a_timed_call_made_from_a_destructor_during_unwinding_is_ok() {
    let unwound = catch_unwind(|| {
        let _guard = CallsCleanupOnDrop;
        panic!("an unrelated panic");
    });
    assert!(unwound.is_err());
    // `cleanup` itself returned normally.
    assert_eq!(outcomes("cleanup"), [1.0, 0.0, 0.0, 0.0]);
}

#[timed]
async fn waits_once() {
    yield_once().await;
}

#[test]
fn a_started_future_dropped_by_another_panic_is_cancelled() {
    let mut future = Box::pin(waits_once());
    assert!(poll_once(future.as_mut()).is_pending());
    let unwound = catch_unwind(AssertUnwindSafe(move || {
        let _owned_here = future;
        panic!("a sibling task panicked");
    }));
    assert!(unwound.is_err());
    // Its own body never panicked: it was dropped mid-flight.
    assert_eq!(outcomes("waits_once"), [0.0, 0.0, 0.0, 1.0]);
}

#[timed]
fn build_then_run(id: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    assert!(id != 0, "id 0 is reserved");
    Box::pin(async move { Ok(id) })
}

#[test]
fn a_panic_while_building_a_returned_future_is_recorded() {
    assert_eq!(block_on(build_then_run(1)), Ok(1));
    assert!(catch_unwind(|| build_then_run(0)).is_err());
    assert_eq!(outcomes("build_then_run"), [1.0, 0.0, 1.0, 0.0]);
}
