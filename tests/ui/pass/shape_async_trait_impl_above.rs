// `#[timed]` on an `#[async_trait]` impl block, stacked above `#[async_trait]`.
#![deny(warnings)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use bizmetrics::{business_metric, timed};

// From autometrics tests/compilation/result_labels/pass/async_trait_support.rs
// (autometrics issue #141)
#[async_trait]
trait TestTrait {
    async fn method() -> bool;
    async fn self_method(&self) -> bool;
}

#[derive(Default)]
struct TestStruct;

#[timed]
#[async_trait]
impl TestTrait for TestStruct {
    async fn method() -> bool {
        true
    }

    async fn self_method(&self) -> bool {
        true
    }
}

// Fallible methods, and `#[business_metric]` on the impl.
#[async_trait]
trait Orders {
    async fn place(&self, quantity: u32) -> Result<u32, String>;
    async fn cancel(&mut self, id: u32) -> Result<(), String>;
}

#[derive(Default)]
struct Shop {
    cancelled: Vec<u32>,
}

#[business_metric]
#[async_trait]
impl Orders for Shop {
    async fn place(&self, quantity: u32) -> Result<u32, String> {
        if quantity == 0 {
            return Err("nothing ordered".to_owned());
        }
        Ok(quantity)
    }

    async fn cancel(&mut self, id: u32) -> Result<(), String> {
        self.cancelled.push(id);
        Ok(())
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
    let ts = TestStruct::default();
    let _ = async move {
        <TestStruct as TestTrait>::method().await;
        ts.self_method().await;
    };
    assert!(block_on(<TestStruct as TestTrait>::method()));
    assert!(block_on(TestStruct.self_method()));

    let mut shop = Shop::default();
    assert_eq!(block_on(shop.place(2)), Ok(2));
    assert!(block_on(shop.place(0)).is_err());
    assert_eq!(block_on(shop.cancel(7)), Ok(()));
    assert_eq!(shop.cancelled, [7]);
}
