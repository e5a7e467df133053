//! A minimal executor: polling a future by hand on the test's own thread
//! shows exactly when a call starts, stays pending and completes, which a
//! runtime would hide.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// Polls `future` once, with a waker that does nothing.
pub fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

/// Polls `future` to completion on this thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = poll_once(future.as_mut()) {
            return output;
        }
        std::thread::yield_now();
    }
}

/// A future that is pending on its first poll and ready on the second. It
/// never wakes its waker: drive it with [`block_on`] or [`poll_once`].
pub fn yield_once() -> YieldOnce {
    YieldOnce(false)
}

/// See [`yield_once`].
pub struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
