// Sync functions that return a future instead of being `async fn`s.
#![deny(warnings)]

use std::convert::Infallible;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bizmetrics::{business_metric, timed};

// A boxed future with a `Result` output.
#[timed]
fn fetch(id: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async move {
        if id == 0 {
            return Err("no id".to_owned());
        }
        Ok(id * 2)
    })
}

/// `futures::FutureExt::boxed()`, written out here: bizmetrics-tests has no
/// `futures` dev-dependency.
trait Boxed: Future + Send + Sized + 'static {
    fn boxed(self) -> Pin<Box<dyn Future<Output = Self::Output> + Send>> {
        Box::pin(self)
    }
}

impl<F: Future + Send + 'static> Boxed for F {}

// `.boxed()` as futures' `FutureExt` has it (through the local
// `Boxed` above), with `count = "ok"` and `errors`.
#[business_metric(action = "pay", count = "ok")]
#[timed(errors)]
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

// `impl Future` made from `async move {}`.
#[allow(clippy::manual_async_fn)]
#[timed]
fn lookup(id: u32) -> impl Future<Output = Result<u32, String>> {
    async move {
        if id == 0 {
            Err("none".to_owned())
        } else {
            Ok(id)
        }
    }
}

// From tracing-attributes tests/async_fn.rs: repro_1831
#[timed]
#[deny(unused_braces)]
fn repro_1831() -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async move {})
}

// From tracing-attributes tests/async_fn.rs: repro_1831_2
#[timed(errors)]
#[deny(unused_braces)]
#[allow(clippy::manual_async_fn)]
fn repro_1831_2() -> impl Future<Output = Result<(), Infallible>> {
    async { Ok(()) }
}

// From tracing-attributes tests/async_fn.rs: manual_impl_future
#[allow(clippy::manual_async_fn)]
#[timed]
fn manual_impl_future() -> impl Future<Output = ()> {
    async {}
}

// From tracing-attributes tests/async_fn.rs: manual_box_pin
#[timed]
fn manual_box_pin() -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async {})
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
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter (sync_fun)
#[derive(Clone, Debug)]
struct TestImpl;

impl TestImpl {
    #[timed]
    fn sync_fun(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let val = self.clone();
        Box::pin(async move {
            let _ = val;
        })
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn main() {
    assert_eq!(block_on(fetch(2)), Ok(4));
    assert!(block_on(fetch(0)).is_err());
    assert_eq!(block_on(pay(5)), Ok(5));
    assert!(block_on(pay(0)).is_err());
    assert_eq!(block_on(lookup(3)), Ok(3));
    block_on(repro_1831());
    assert_eq!(block_on(repro_1831_2()), Ok(()));
    block_on(manual_impl_future());
    block_on(manual_box_pin());
    let mut thing = Thing {
        metrics: Arc::new(()),
    };
    let _: Arc<()> = block_on(thing.call(()));
    block_on(TestImpl.sync_fun());
}
