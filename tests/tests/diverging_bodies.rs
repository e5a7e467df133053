//! Bodies that never return normally (`todo!()`, `unimplemented!()`, `-> !`,
//! loops left only by `return` or a panic) are timed as written, and record
//! the way they leave. Compile-only counterpart:
//! `tests/ui/pass/shape_never_returns.rs`.

use std::convert::Infallible;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::task::{Context, Waker};

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

// `todo!()` as the whole body of a stub not written yet.
#[timed]
fn not_written_yet(_id: u32) -> Result<String, String> {
    todo!()
}

// `unimplemented!()`, stacked with `#[business_metric]`.
#[timed]
#[business_metric(action = "unimplemented")]
fn unimplemented_action() -> Vec<u8> {
    unimplemented!()
}

// `todo!()` in an `async fn`.
#[timed]
async fn async_todo() -> Result<u32, String> {
    todo!()
}

// `-> !` with a `panic!` body.
#[timed]
#[business_metric(action = "give_up")]
fn give_up(reason: &str) -> ! {
    panic!("giving up: {reason}")
}

// `-> !` with a `loop {}` body, as a server's main loop; never called.
#[allow(dead_code)]
#[timed]
fn serve_forever() -> ! {
    loop {
        std::thread::park();
    }
}

// A `loop` body that leaves only by `return` or a panic.
#[timed]
fn position(haystack: &[u32], needle: u32) -> usize {
    let mut i = 0;
    loop {
        if haystack[i] == needle {
            return i;
        }
        i += 1;
    }
}

// `Result<Infallible, E>` from a loop that only ever stops on an error.
#[timed]
fn run_until_error(limit: u32) -> Result<Infallible, String> {
    let mut step = 0;
    loop {
        step += 1;
        if step == limit {
            return Err(format!("stopped at {step}"));
        }
    }
}

#[test]
fn todo_and_unimplemented_bodies_are_recorded_as_panics() {
    assert!(catch_unwind(|| not_written_yet(1)).is_err());
    assert!(catch_unwind(unimplemented_action).is_err());
    let mut future = pin!(async_todo());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))).is_err());

    assert_eq!(outcomes("not_written_yet"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("unimplemented_action"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("async_todo"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(
        actions("unimplemented", "unimplemented_action"),
        1.0,
        "counted when the body starts"
    );
}

#[test]
fn never_returning_functions_record_their_panic() {
    assert!(catch_unwind(|| {
        give_up("tired");
    })
    .is_err());
    assert_eq!(outcomes("give_up"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(actions("give_up", "give_up"), 1.0);
    assert_eq!(outcomes("serve_forever"), [0.0; 4], "exists, never called");
}

#[test]
fn loop_bodies_record_their_way_out() {
    assert_eq!(position(&[3, 5, 7], 7), 2);
    assert!(catch_unwind(|| position(&[1], 9)).is_err(), "out of bounds");
    assert_eq!(run_until_error(3), Err("stopped at 3".to_owned()));
    assert_eq!(outcomes("position"), [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("run_until_error"), [0.0, 1.0, 0.0, 0.0]);
}
