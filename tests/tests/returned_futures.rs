//! Futures returned, not awaited (`Pin<Box<dyn Future>>`, `impl Future`, an
//! alias such as futures' `BoxFuture`): `#[timed]` times them until they
//! complete and judges them by their output, and `#[business_metric]` counts
//! them on their first poll, not when they are built. Compile-only
//! counterpart: `tests/ui/pass/shape_returned_futures.rs`.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Waker};
use std::time::Duration;

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;
use bizmetrics_tests::executor::{block_on, poll_once, yield_once};

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

/// `application_errors_total` for `function`.
fn errors(function: &str) -> f64 {
    bizmetrics_tests::errors(module_path!(), function)
}

/// Asserts that `function`'s `ok` calls took the 50 ms they sleep.
fn assert_slept(function: &str) {
    bizmetrics_tests::assert_slept_50ms(module_path!(), function);
}

// From tracing-attributes tests/async_fn.rs: manual_box_pin, with a `Result`
// output and a 50 ms sleep inside.
#[timed]
fn boxed_nap(millis: u64, fail: bool) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async move {
        std::thread::sleep(Duration::from_millis(millis));
        if fail {
            return Err("failed".to_owned());
        }
        Ok(7)
    })
}

#[test]
fn a_returned_boxed_future_is_timed_until_it_completes() {
    let future = boxed_nap(50, false);
    assert_eq!(block_on(future), Ok(7));
    assert_eq!(block_on(boxed_nap(0, true)), Err("failed".to_owned()));
    assert_eq!(outcomes("boxed_nap"), [1.0, 1.0, 0.0, 0.0]);
    assert_slept("boxed_nap");
}

/// `futures::FutureExt::boxed()`, written out here: bizmetrics-tests has no
/// `futures` dev-dependency.
trait Boxed: Future + Send + Sized + 'static {
    fn boxed(self) -> Pin<Box<dyn Future<Output = Self::Output> + Send>> {
        Box::pin(self)
    }
}

impl<F: Future + Send + 'static> Boxed for F {}

// futures' `.boxed()` (through `Boxed`), with `count = "ok"`.
#[business_metric(action = "pay", endpoint = "/pay", count = "ok")]
fn pay(amount: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    async move {
        if amount == 0 {
            Err("nothing to pay".to_owned())
        } else {
            Ok(amount)
        }
    }
    .boxed()
}

#[test]
fn count_ok_on_a_returned_future_counts_only_ok_outputs() {
    let pending = pay(5);
    drop(pay(6));
    assert_eq!(
        actions("pay", "/pay"),
        0.0,
        "nothing counted before a future completes"
    );
    assert_eq!(block_on(pending), Ok(5));
    assert!(block_on(pay(0)).is_err());
    assert_eq!(block_on(pay(3)), Ok(3));
    assert_eq!(actions("pay", "/pay"), 2.0);
}

// From tracing-attributes tests/async_fn.rs: manual_box_pin, under
// `#[timed(errors)]`.
#[timed(errors)]
fn refund(amount: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async move {
        tokio::task::yield_now().await;
        if amount > 100 {
            return Err("too much".to_owned());
        }
        Ok(amount)
    })
}

#[test]
fn errors_on_a_returned_future_counts_err_outputs() {
    assert_eq!(block_on(refund(5)), Ok(5));
    assert!(block_on(refund(500)).is_err());
    assert!(block_on(refund(501)).is_err());
    assert_eq!(errors("refund"), 2.0);
    assert_eq!(outcomes("refund"), [1.0, 2.0, 0.0, 0.0]);
}

// From tracing-attributes tests/async_fn.rs: manual_impl_future, with a
// `Result` output.
#[allow(clippy::manual_async_fn)]
#[timed]
fn lookup(id: u32) -> impl Future<Output = Result<u32, String>> {
    async move {
        tokio::task::yield_now().await;
        std::thread::sleep(Duration::from_millis(u64::from(id)));
        if id == 0 {
            return Err("no such id".to_owned());
        }
        Ok(id * 2)
    }
}

#[test]
fn a_returned_impl_future_is_timed_by_its_output() {
    assert_eq!(block_on(lookup(50)), Ok(100));
    assert!(block_on(lookup(0)).is_err());
    let mut cx = Context::from_waker(Waker::noop());
    {
        let mut future = pin!(lookup(1));
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    assert_eq!(outcomes("lookup"), [1.0, 1.0, 0.0, 1.0]);
    assert_slept("lookup");
}

// The return type `futures::future::BoxFuture` as futures' users write it,
// an alias that hides the `Future` from the macro.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[timed]
fn aliased_nap(millis: u64) -> BoxFuture<'static, Result<(), String>> {
    Box::pin(async move {
        std::thread::sleep(Duration::from_millis(millis));
        Ok(())
    })
}

#[test]
fn a_future_behind_a_type_alias_is_timed_until_it_completes() {
    assert_eq!(block_on(aliased_nap(50)), Ok(()));
    assert_eq!(outcomes("aliased_nap"), [1.0, 0.0, 0.0, 0.0]);
    assert_slept("aliased_nap");
}

// From tracing-attributes tests/async_fn.rs: out_of_scope_fields
struct Thing {
    metrics: Arc<()>,
}

impl Thing {
    #[timed]
    fn call(&mut self, _req: ()) -> Pin<Box<dyn Future<Output = Arc<()>> + Send + Sync>> {
        let metrics = self.metrics.clone();
        Box::pin(async move { metrics })
    }
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter
// (sync_fun), a future borrowing `self`.
#[derive(Clone, Debug)]
struct Borrower(u64);

impl Borrower {
    #[timed]
    fn sync_fun(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            std::thread::sleep(Duration::from_millis(self.0));
        })
    }
}

#[test]
fn returned_futures_that_capture_or_borrow_are_timed() {
    let mut thing = Thing {
        metrics: Arc::new(()),
    };
    let metrics = block_on(thing.call(()));
    assert!(Arc::ptr_eq(&metrics, &thing.metrics));
    block_on(Borrower(50).sync_fun());
    assert_eq!(outcomes("call"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("sync_fun"), [1.0, 0.0, 0.0, 0.0]);
    assert_slept("sync_fun");
}

#[business_metric(action = "reserve", endpoint = "/reserve")]
#[allow(clippy::manual_async_fn)]
fn reserve(n: u32) -> impl Future<Output = u32> {
    async move {
        yield_once().await;
        n
    }
}

#[business_metric(action = "release", endpoint = "/release")]
async fn release(n: u32) -> u32 {
    n
}

#[test]
fn returned_futures_and_async_fns_count_on_first_poll() {
    let built = reserve(1);
    drop(reserve(2));
    let built_async = release(1);
    drop(release(2));
    assert_eq!(actions("reserve", "/reserve"), 0.0);
    assert_eq!(actions("release", "/release"), 0.0);
    let mut built = pin!(built);
    assert!(poll_once(built.as_mut()).is_pending());
    assert_eq!(actions("reserve", "/reserve"), 1.0, "counted on first poll");
    assert_eq!(block_on(built), 1);
    assert_eq!(block_on(built_async), 1);
    assert_eq!(actions("reserve", "/reserve"), 1.0);
    assert_eq!(actions("release", "/release"), 1.0);
}
