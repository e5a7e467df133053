// Native `async fn` in traits, no async-trait: in the impl, and as a
// trait's default method.
#![deny(warnings)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bizmetrics::{business_metric, timed};

trait Inventory {
    async fn stock(&self, item: u32) -> Result<u32, String>;

    #[timed]
    async fn restock(&self, item: u32) -> Result<u32, String> {
        Ok(self.stock(item).await? + 10)
    }
}

struct Warehouse;

impl Inventory for Warehouse {
    #[business_metric(action = "stock")]
    #[timed]
    async fn stock(&self, item: u32) -> Result<u32, String> {
        if item == 0 {
            return Err("unknown item".to_owned());
        }
        Ok(item)
    }
}

// The `-> impl Future + Send` form of the same, in a trait.
trait Catalog {
    fn price(&self, item: u32) -> impl Future<Output = Result<u32, String>> + Send;
}

impl Catalog for Warehouse {
    #[allow(clippy::manual_async_fn)]
    #[timed]
    fn price(&self, item: u32) -> impl Future<Output = Result<u32, String>> + Send {
        async move { Ok(item * 100) }
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
    assert_eq!(block_on(Warehouse.restock(1)), Ok(11));
    assert!(block_on(Warehouse.stock(0)).is_err());
    assert_eq!(block_on(Warehouse.price(2)), Ok(200));
}
