//! What one call records: the guard that counts and times a call on its
//! call site's cells, from start to whichever way it ends.
//!
//! Everything about a [`CallSite`] is `'static` and built in a `static`
//! initializer, so a call site costs nothing at startup beyond its place in
//! [`SITES`](crate::decl::SITES).

use std::sync::atomic::Ordering::Relaxed;

use crate::cell::{observe, stripe, stripe_len};
use crate::clock::CLOCK;
use crate::decl::layout::histogram_stride;
use crate::decl::{CallSite, Count, ErrorCells, SlowCells};
use crate::exemplar;
use crate::label::LabelValue;
use crate::native;
use crate::outcome::Outcome;
use crate::trace::TraceContext;

impl CallSite {
    /// Counts one call into counter series `series`: the whole of a
    /// `#[business_metric]` that needs no outcome.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub fn count(&'static self, series: usize) {
        self.cells[stripe() * stripe_len(self.cells) + series].fetch_add(1, Relaxed);
        if let Some(trace) = TraceContext::current() {
            exemplar::record(self, series, 1.0, trace);
        }
    }

    /// Runs a synchronous body whose return value decides the outcome:
    /// `judge` reads it once the body has returned.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub fn run<R>(
        &'static self,
        counted: usize,
        timed: usize,
        body: impl FnOnce() -> R,
        judge: fn(&R) -> (Outcome, usize),
    ) -> R {
        let call = Call::start(self, counted, timed);
        let value = body();
        let (outcome, error_kind) = judge(&value);
        call.finish(outcome, error_kind);
        value
    }
}

/// Guards the building of a future that a function returns: the call
/// starts on the future's first poll, but a panic before that, while the
/// function builds it, is a call that panicked all the same.
#[must_use = "a building guard records a panic when dropped"]
#[derive(Debug)]
pub struct Building {
    site: &'static CallSite,
    counted: usize,
    timed: usize,
    unwinding_at_start: bool,
}

impl CallSite {
    /// Guards the building of the future a call returns.
    #[inline]
    pub fn building(&'static self, counted: usize, timed: usize) -> Building {
        Building {
            site: self,
            counted,
            timed,
            unwinding_at_start: std::thread::panicking(),
        }
    }
}

impl Building {
    /// The future is built: its own polls record the call from here.
    #[inline]
    pub fn built(self) {
        std::mem::forget(self);
    }
}

impl Drop for Building {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.unwinding_at_start {
            let on_drop = OnDrop::Returned {
                unwinding_at_start: false,
            };
            Call::begin(self.site, self.counted, self.timed, on_drop).finish_cold(Outcome::Panic);
        }
    }
}

/// One call under way; records when finished or dropped.
///
/// [`Call::finish`] records a returned value's outcome. Dropped instead,
/// the call either panicked (recorded as `panic`) or ended as the guard was
/// told at its start: `ok` for a body run in place, `cancelled` for a
/// future dropped mid-flight.
///
/// Durations come from a calibrated TSC clock, read raw twice per call.
#[must_use = "a call records when finished or dropped"]
#[derive(Debug)]
pub struct Call {
    site: &'static CallSite,
    /// The first cell of this thread's stripe.
    base: usize,
    counted: usize,
    timed: usize,
    /// The clock and its raw ticks at the start, when `#[timed]` is
    /// there: the clock is kept so that the end reads it without testing
    /// its initialization again.
    start: Option<(&'static quanta::Clock, u64)>,
    on_drop: OnDrop,
}

/// What a [`Call`] dropped without [`Call::finish`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDrop {
    /// A body run in place: it returned, or it panicked if a panic began
    /// during the call (not one that was already unwinding when it began).
    Returned { unwinding_at_start: bool },
    /// A future dropped before completing. A panic in its own poll is
    /// recorded as that poll unwinds, so a drop is always `cancelled`.
    Cancelled,
}

impl Call {
    /// Starts a body run in place, for counter series `counted` and timed
    /// series `timed`.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub fn start(site: &'static CallSite, counted: usize, timed: usize) -> Call {
        let on_drop = OnDrop::Returned {
            unwinding_at_start: std::thread::panicking(),
        };
        Call::begin(site, counted, timed, on_drop)
    }

    /// Starts the call of a future, on its first poll.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub(crate) fn start_future(site: &'static CallSite, counted: usize, timed: usize) -> Call {
        Call::begin(site, counted, timed, OnDrop::Cancelled)
    }

    // Always inlined, like everything a call runs: in the annotated
    // function, `site` is a constant, so every branch on its plan folds
    // away and the cells' addresses are immediates. Left to LLVM, the
    // guard's drop stays a call, and tests every option at run time.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    fn begin(site: &'static CallSite, counted: usize, timed: usize, on_drop: OnDrop) -> Call {
        let base = stripe() * stripe_len(site.cells);
        if site.count == Count::OnStart {
            site.cells[base + counted].fetch_add(1, Relaxed);
        }
        let start = site.timed.as_ref().map(|plan| {
            if let Some(gauge) = plan.in_flight {
                site.cells[base + gauge + timed].fetch_add(1, Relaxed);
            }
            let clock: &'static quanta::Clock = &CLOCK;
            (clock, clock.raw())
        });
        Call {
            site,
            base,
            counted,
            timed,
            start,
            on_drop,
        }
    }

    /// Records the call as ended with `outcome`; `error_kind` is the
    /// ordinal of the error's kind when it returned `Err`.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub fn finish(self, outcome: Outcome, error_kind: usize) {
        self.record(outcome, error_kind);
        std::mem::forget(self);
    }

    /// [`Call::finish`] for a call that panicked or was cancelled.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    pub(crate) fn finish_cold(self, outcome: Outcome) {
        self.record_cold(outcome);
        std::mem::forget(self);
    }

    /// Records a call that panicked or was cancelled: out of line, so
    /// that a function keeps one inlined copy of `record`, its hot path's.
    #[cold]
    #[inline(never)]
    fn record_cold(&self, outcome: Outcome) {
        self.record(outcome, 0);
    }

    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    fn record(&self, outcome: Outcome, error_kind: usize) {
        let (site, base, series) = (self.site, self.base, self.timed);
        let cells = site.cells;
        // Read once for both metrics' exemplars: a call with no trace
        // current pays this one thread-local read.
        let trace = TraceContext::current();
        if let (Some(plan), Some((clock, start))) = (&site.timed, self.start) {
            let ns = clock.delta_as_nanos(start, clock.raw());
            let stride = histogram_stride(plan.bounds_ns.len());
            let row = series * Outcome::CARDINALITY + outcome.ordinal();
            let first = plan.histogram + row * stride;
            let bucket = observe(&cells[base + first..], plan.bounds_ns, ns);
            if let Some(native) = plan.native {
                let cell = native::cell(ns, native.schema);
                native.cells[row * native::cells_per_series(native.schema) + cell]
                    .fetch_add(1, Relaxed);
            }
            if let Some(trace) = trace {
                #[allow(clippy::cast_precision_loss)] // exact below 104 days
                exemplar::record(site, first + bucket, ns as f64 / 1e9, trace);
            }
            if let (Some(ErrorCells { offset, kinds }), Outcome::Error) = (plan.errors, outcome) {
                cells[base + offset + series * kinds + error_kind].fetch_add(1, Relaxed);
            }
            if let Some(SlowCells {
                offset,
                threshold_ns,
            }) = plan.slow
            {
                if ns > threshold_ns {
                    cells[base + offset + series].fetch_add(1, Relaxed);
                }
            }
            if let Some(gauge) = plan.in_flight {
                cells[base + gauge + series].fetch_sub(1, Relaxed);
            }
        }
        let counted_now = site.count == Count::OnOk && outcome == Outcome::Ok;
        if counted_now {
            cells[base + self.counted].fetch_add(1, Relaxed);
        }
        // The counter's exemplar, kept at the end of the call like the
        // histogram's, whenever the call was counted.
        if let (Some(trace), true) = (trace, counted_now || site.count == Count::OnStart) {
            exemplar::record(site, self.counted, 1.0, trace);
        }
    }
}

impl Drop for Call {
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Call::begin`
    fn drop(&mut self) {
        match self.on_drop {
            OnDrop::Returned { unwinding_at_start } => {
                if std::thread::panicking() && !unwinding_at_start {
                    self.record_cold(Outcome::Panic);
                } else {
                    self.record(Outcome::Ok, 0);
                }
            }
            OnDrop::Cancelled => self.record_cold(Outcome::Cancelled),
        }
    }
}

/// Calls `body` once: a closure passed here is `FnOnce`, so it may return
/// borrows of what it captured, as a function body may.
#[inline]
pub fn call_once<R>(body: impl FnOnce() -> R) -> R {
    body()
}
