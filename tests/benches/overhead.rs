//! Per-call cost of the attributes against a bare function and the ways
//! people write this by hand with the prometheus crate. All cases run in one
//! process, so compare them side by side: `cargo bench --bench overhead`.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::LazyLock;

use bizmetrics::{business_metric, timed, LabelValue};
use prometheus::{Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts};

fn main() {
    divan::main();
}

#[inline(never)]
fn bare(x: u64) -> u64 {
    x.wrapping_mul(3)
}

#[inline(never)]
#[business_metric(action = "bench", endpoint = "/bench")]
fn counted(x: u64) -> u64 {
    x.wrapping_mul(3)
}

#[inline(never)]
#[timed]
fn timed_only(x: u64) -> u64 {
    x.wrapping_mul(3)
}

#[inline(never)]
#[business_metric(action = "bench_both", endpoint = "/bench")]
#[timed]
fn both(x: u64) -> u64 {
    x.wrapping_mul(3)
}

#[derive(Clone, Copy, LabelValue)]
enum Device {
    #[allow(dead_code)] // a value the bench never passes, exported all the same
    Mobile,
    Desktop,
    Tablet,
}

#[inline(never)]
#[business_metric(action = "bench_one", labels(device = device))]
fn one_label(x: u64, device: Device) -> u64 {
    x.wrapping_mul(3)
}

#[inline(never)]
#[business_metric(action = "bench_two", labels(device = device, premium = premium))]
fn two_labels(x: u64, device: Device, premium: bool) -> u64 {
    x.wrapping_mul(3)
}

static FLOOR: AtomicU64 = AtomicU64::new(0);

#[inline(never)]
fn fetch_add_floor(x: u64) -> u64 {
    FLOOR.fetch_add(1, Relaxed);
    x.wrapping_mul(3)
}

static TUTORIAL_COUNTER: LazyLock<IntCounterVec> = LazyLock::new(|| {
    IntCounterVec::new(
        Opts::new("actions_total", "help"),
        &["action_type", "endpoint"],
    )
    .unwrap()
});
static TUTORIAL_HISTOGRAM: LazyLock<HistogramVec> = LazyLock::new(|| {
    HistogramVec::new(
        HistogramOpts::new("duration_seconds", "help"),
        &["function"],
    )
    .unwrap()
});

#[inline(never)]
fn tutorial(x: u64) -> u64 {
    TUTORIAL_COUNTER
        .with_label_values(&["bench", "/bench"])
        .inc();
    let _timer = TUTORIAL_HISTOGRAM
        .with_label_values(&["tutorial"])
        .start_timer();
    x.wrapping_mul(3)
}

static RESOLVED_COUNTER: LazyLock<IntCounter> =
    LazyLock::new(|| TUTORIAL_COUNTER.with_label_values(&["resolved", "/bench"]));
static RESOLVED_HISTOGRAM: LazyLock<Histogram> =
    LazyLock::new(|| TUTORIAL_HISTOGRAM.with_label_values(&["resolved"]));

#[inline(never)]
fn pre_resolved(x: u64) -> u64 {
    RESOLVED_COUNTER.inc();
    let _timer = RESOLVED_HISTOGRAM.start_timer();
    x.wrapping_mul(3)
}

#[divan::bench]
fn a_bare_function() -> u64 {
    bare(black_box(7))
}

#[divan::bench]
fn b_static_fetch_add_floor() -> u64 {
    fetch_add_floor(black_box(7))
}

#[divan::bench]
fn c_business_metric() -> u64 {
    counted(black_box(7))
}

#[divan::bench]
fn c1_business_metric_one_dynamic_label() -> u64 {
    one_label(black_box(7), black_box(Device::Desktop))
}

#[divan::bench]
fn c2_business_metric_two_dynamic_labels() -> u64 {
    two_labels(black_box(7), black_box(Device::Tablet), black_box(true))
}

#[divan::bench]
fn d_timed() -> u64 {
    timed_only(black_box(7))
}

#[divan::bench]
fn e_business_metric_and_timed() -> u64 {
    both(black_box(7))
}

#[divan::bench]
fn f_prometheus_pre_resolved_inc_and_timer() -> u64 {
    pre_resolved(black_box(7))
}

#[divan::bench]
fn g_prometheus_with_label_values_inc_and_timer() -> u64 {
    tutorial(black_box(7))
}
