//! The future that `#[timed]` and `#[business_metric]` wrap around an
//! `async fn` body or a returned future.
//!
//! A wrapper type instead of a generated `async` block: rustc compiles no
//! second state machine per annotated function, and a future that is
//! returned rather than awaited (`Box::pin(async move { .. })`,
//! `#[async_trait]`) is timed from its first poll to its end, not for the
//! instant it takes to build it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::call::Call;
use crate::decl::CallSite;
use crate::outcome::Outcome;

pin_project_lite::pin_project! {
    /// A future that counts and times `F` on behalf of a call site.
    ///
    /// The call starts on the first poll, which is when the body starts to
    /// run, and is recorded when `F` completes, with the outcome `judge`
    /// reads from its output, or when it is dropped before completing
    /// (`cancelled`, or `panic` during a panic).
    #[must_use = "futures do nothing unless polled"]
    pub struct Instrumented<F: Future> {
        #[pin]
        future: F,
        site: &'static CallSite,
        counted: usize,
        timed: usize,
        judge: fn(&F::Output) -> (Outcome, usize),
        call: Option<Call>,
    }
}

impl<F: Future> Instrumented<F> {
    /// Wraps `future` for counter series `counted` and timed series `timed`.
    #[inline]
    pub fn new(
        site: &'static CallSite,
        counted: usize,
        timed: usize,
        future: F,
        judge: fn(&F::Output) -> (Outcome, usize),
    ) -> Self {
        Instrumented {
            future,
            site,
            counted,
            timed,
            judge,
            call: None,
        }
    }
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let (site, counted, timed) = (*this.site, *this.counted, *this.timed);
        if this.call.is_none() {
            *this.call = Some(Call::start_future(site, counted, timed));
        }
        let unwinding = RecordOnUnwind(this.call);
        let output = std::task::ready!(this.future.poll(cx));
        let (outcome, error_kind) = (this.judge)(&output);
        if let Some(call) = unwinding.0.take() {
            call.finish(outcome, error_kind);
        }
        Poll::Ready(output)
    }
}

/// Records a panic in the polled future as `panic` while it unwinds: the
/// future itself may be dropped much later, or never.
struct RecordOnUnwind<'a>(&'a mut Option<Call>);

impl Drop for RecordOnUnwind<'_> {
    #[inline]
    fn drop(&mut self) {
        // On return the call is still there (pending) or already finished
        // (ready); only an unwinding poll ends it here.
        if std::thread::panicking() {
            if let Some(call) = self.0.take() {
                call.finish_cold(Outcome::Panic);
            }
        }
    }
}
