// `#[timed]` on methods of `#[async_trait]` impls: async-trait expands
// first, so `#[timed]` sees a sync fn returning a boxed future.
#![deny(warnings)]

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use bizmetrics::{business_metric, timed};

// From tracing-attributes tests/async_fn.rs: async_fn_with_async_trait
#[async_trait]
pub trait TestA {
    async fn foo(&mut self, v: usize);
}

#[async_trait]
pub trait TestB {
    async fn bar(&self);
}

#[async_trait]
pub trait TestC {
    async fn baz(&self);
}

#[derive(Debug)]
struct TestImpl(usize);

#[async_trait]
impl TestA for TestImpl {
    #[timed]
    async fn foo(&mut self, v: usize) {
        self.baz().await;
        self.0 = v;
        self.bar().await
    }
}

#[async_trait]
impl TestB for TestImpl {
    #[business_metric(action = "bar")]
    #[timed]
    async fn bar(&self) {
        let _ = self.0;
    }
}

#[async_trait]
impl TestC for TestImpl {
    #[timed]
    async fn baz(&self) {
        let _ = self.0;
    }
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions
#[async_trait]
pub trait Test {
    async fn call(&mut self, v: usize);
}

#[derive(Clone, Debug)]
struct FieldsImpl;

#[async_trait]
impl Test for FieldsImpl {
    #[timed]
    async fn call(&mut self, _v: usize) {}
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter;
// tracing cannot instrument `call()`, which has no `self`.
#[async_trait]
pub trait TestGeneric {
    async fn call();
    async fn call_with_self(&self);
    async fn call_with_mut_self(&mut self);
}

#[derive(Clone, Debug)]
struct GenericImpl;

#[async_trait]
impl TestGeneric for GenericImpl {
    #[timed]
    async fn call() {}

    #[timed]
    async fn call_with_self(&self) {}

    #[timed]
    async fn call_with_mut_self(&mut self) {}
}

// A fallible async-trait method, timed and counted on `Ok`.
#[async_trait]
pub trait Checkout {
    async fn pay(&self, amount: u32) -> Result<u32, String>;
}

#[async_trait]
impl Checkout for FieldsImpl {
    #[business_metric(action = "pay", count = "ok")]
    #[timed(errors)]
    async fn pay(&self, amount: u32) -> Result<u32, String> {
        if amount == 0 {
            return Err("nothing to pay".to_owned());
        }
        Ok(amount)
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
    let mut test = TestImpl(2);
    block_on(test.foo(5));
    assert_eq!(test.0, 5);
    block_on(FieldsImpl.call(5));
    block_on(async {
        GenericImpl::call().await;
        GenericImpl.call_with_self().await;
        GenericImpl.call_with_mut_self().await;
    });
    assert_eq!(block_on(FieldsImpl.pay(3)), Ok(3));
    assert!(block_on(FieldsImpl.pay(0)).is_err());
    let _: Pin<Box<dyn Future<Output = ()> + Send>> = GenericImpl::call();
}
