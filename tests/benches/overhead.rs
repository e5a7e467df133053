//! Per-call cost of the attributes against a bare function, the physical
//! floors, and the ways people write this by hand with the prometheus crate.
//!
//! `cargo bench -p bizmetrics-tests --bench overhead` runs divan's table,
//! then a summary: every case warmed up, then timed in interleaved rounds
//! so that a noisy machine slows all of them alike, with medians and the
//! ratios the performance targets are stated in.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::LazyLock;

use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};
use prometheus::{Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts};

fn main() {
    // One case alone, a fixed number of times, for counting instructions
    // under valgrind: the timed runs would take hours there.
    if let Ok(name) = std::env::var("OVERHEAD_CASE") {
        let calls = std::env::var("OVERHEAD_CALLS").map_or(1_000_000, |n| {
            n.parse().expect("OVERHEAD_CALLS is a number of calls")
        });
        let (_, call) = cases()
            .into_iter()
            .find(|(case, _)| *case == name)
            .unwrap_or_else(|| panic!("no case named {name:?}"));
        for i in 0..calls {
            black_box(call(black_box(i)));
        }
        return;
    }
    divan::main();
    summary();
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

/// The same as `timed_only`, with a native histogram beside the buckets.
#[inline(never)]
#[timed(name = "bench_native_seconds", native)]
fn timed_native(x: u64) -> u64 {
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

#[derive(Clone, Copy, LabelValue)]
enum Plan {
    #[allow(dead_code)] // exported all the same
    Free,
    Pro,
}

/// Four labels as one group.
#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    device: Device,
    premium: bool,
    returning: bool,
    plan: Plan,
}

#[inline(never)]
#[business_metric(
    action = "bench_four",
    labels(device = device, premium = premium, returning = returning, plan = plan)
)]
fn four_labels(x: u64, device: Device, premium: bool, returning: bool, plan: Plan) -> u64 {
    x.wrapping_mul(3)
}

#[inline(never)]
#[business_metric(action = "bench_group", labels(profile))]
fn four_field_group(x: u64, profile: Profile) -> u64 {
    x.wrapping_mul(3)
}

static FLOOR: AtomicU64 = AtomicU64::new(0);
static FLOOR_SUM: AtomicU64 = AtomicU64::new(0);

static CLOCK: std::sync::LazyLock<quanta::Clock> = std::sync::LazyLock::new(quanta::Clock::new);

/// What `#[timed]` cannot go below: two raw TSC reads, one scaling, two adds.
#[inline(never)]
fn timer_floor(x: u64) -> u64 {
    let start = CLOCK.raw();
    let result = x.wrapping_mul(3);
    let ns = CLOCK.delta_as_nanos(start, CLOCK.raw());
    FLOOR.fetch_add(1, Relaxed);
    FLOOR_SUM.fetch_add(ns, Relaxed);
    result
}

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

/// One case of the summary: a name and a call to time.
type Case = (&'static str, fn(u64) -> u64);

fn one_label_case(x: u64) -> u64 {
    one_label(x, black_box(Device::Desktop))
}

fn two_labels_case(x: u64) -> u64 {
    two_labels(x, black_box(Device::Tablet), black_box(true))
}

fn four_labels_case(x: u64) -> u64 {
    four_labels(
        x,
        black_box(Device::Tablet),
        black_box(true),
        black_box(false),
        black_box(Plan::Pro),
    )
}

/// A sampled trace, as `HttpMetricsLayer` makes a request's current.
static TRACE: LazyLock<bizmetrics::TraceContext> = LazyLock::new(|| {
    bizmetrics::TraceContext::from_traceparent(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )
    .expect("a valid traceparent")
});

fn scoped_bare(x: u64) -> u64 {
    TRACE.scope(|| bare(x))
}

/// `#[timed]` with a trace current: the call keeps an exemplar.
fn scoped_timed(x: u64) -> u64 {
    TRACE.scope(|| timed_only(x))
}

fn scoped_both(x: u64) -> u64 {
    TRACE.scope(|| both(x))
}

fn four_field_group_case(x: u64) -> u64 {
    let profile = Profile {
        device: Device::Tablet,
        premium: true,
        returning: false,
        plan: Plan::Pro,
    };
    four_field_group(x, black_box(profile))
}

/// Median ns per call of each case, over interleaved rounds.
fn medians(cases: &[Case]) -> Vec<f64> {
    const ROUNDS: usize = 41;
    const CALLS: u64 = 200_000;
    let mut samples = vec![Vec::with_capacity(ROUNDS); cases.len()];
    for round in 0..=ROUNDS {
        for (case, (_, call)) in cases.iter().enumerate() {
            let start = std::time::Instant::now();
            for i in 0..CALLS {
                black_box(call(black_box(i)));
            }
            #[allow(clippy::cast_precision_loss)]
            let ns = start.elapsed().as_nanos() as f64 / CALLS as f64;
            if round > 0 {
                samples[case].push(ns); // round 0 warms up
            }
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

/// The summary's cases; the ratios below index into them.
fn cases() -> [Case; 16] {
    [
        ("bare function", bare),
        ("static fetch_add (counter floor)", fetch_add_floor),
        ("two TSC reads + two adds (timer floor)", timer_floor),
        ("#[business_metric]", counted),
        ("#[business_metric], 1 dynamic label", one_label_case),
        ("#[business_metric], 2 dynamic labels", two_labels_case),
        ("#[timed]", timed_only),
        ("#[business_metric] + #[timed]", both),
        ("prometheus pre-resolved inc + start_timer", pre_resolved),
        ("prometheus with_label_values inc + start_timer", tutorial),
        ("#[business_metric], 4 dynamic labels", four_labels_case),
        (
            "#[business_metric], one 4-field label group",
            four_field_group_case,
        ),
        ("a trace scope around the bare function", scoped_bare),
        (
            "#[timed] in a trace scope (keeps an exemplar)",
            scoped_timed,
        ),
        ("both in a trace scope (two exemplars)", scoped_both),
        ("#[timed(native)]", timed_native),
    ]
}

fn summary() {
    let cases = cases();
    let ns = medians(&cases);
    println!("\nmedian ns per call, {} interleaved rounds", 41);
    for ((name, _), ns) in cases.iter().zip(&ns) {
        println!("  {name:<48} {ns:>7.2}");
    }
    let over = |case: usize| ns[case] - ns[0];
    println!("\noverhead over the bare function, and the targets:");
    println!(
        "  #[business_metric]: {:.2} ns, {:+.2} ns from the fetch_add floor (target within 1.5 ns)",
        over(3),
        ns[3] - ns[1]
    );
    println!(
        "  a 4-field label group: {:.2} ns against 4 single labels {:.2} ns ({:+.2} ns)",
        ns[11],
        ns[10],
        ns[11] - ns[10]
    );
    println!(
        "  dynamic labels: 1 label {:+.2} ns, 2 labels {:+.2} ns over no label",
        ns[4] - ns[3],
        ns[5] - ns[3]
    );
    println!(
        "  #[timed]: {:.2} ns = {:.2}x the pre-resolved prometheus path's {:.2} ns (target at most 0.35x); timer floor {:.2} ns",
        over(6),
        over(6) / over(8),
        over(8),
        over(2)
    );
    println!(
        "  both: {:.2} ns = {:.2}x the with_label_values tutorial's {:.2} ns (target at most 0.25x)",
        over(7),
        over(7) / over(9),
        over(9)
    );
    let traced = |case: usize, untraced: usize| ns[case] - ns[12] - (ns[untraced] - ns[0]);
    println!(
        "  exemplars: #[timed] with a trace {:+.2} ns over without one, both attributes {:+.2} ns; \
         calls without a trace pay one thread-local read",
        traced(13, 6),
        traced(14, 7)
    );
    println!(
        "  native: #[timed(native)] {:.2} ns = {:.2}x #[timed]'s {:.2} ns (target at most 1.5x)",
        over(15),
        over(15) / over(6),
        over(6)
    );
    contention();
}

/// Total throughput of 2 threads on one call site against 1 thread.
fn contention() {
    fn throughput(threads: u32, call: fn(u64) -> u64) -> f64 {
        const CALLS: u64 = 5_000_000;
        let start = std::time::Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(move || (0..CALLS).for_each(|i| _ = black_box(call(black_box(i)))));
            }
        });
        #[allow(clippy::cast_precision_loss)]
        let calls = (u64::from(threads) * CALLS) as f64;
        calls / start.elapsed().as_secs_f64() / 1e6
    }
    fn prometheus_counter(x: u64) -> u64 {
        RESOLVED_COUNTER.inc();
        x
    }
    println!("\ncontention: 2 threads on one call site, million calls per second (median of 5)");
    for (name, call) in [
        ("#[business_metric]", counted as fn(u64) -> u64),
        ("prometheus IntCounter", prometheus_counter),
    ] {
        let mut ratios: Vec<(f64, f64, f64)> = (0..5)
            .map(|_| {
                let (one, two) = (throughput(1, call), throughput(2, call));
                (two / one, one, two)
            })
            .collect();
        ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (ratio, one, two) = ratios[2];
        println!("  {name:<24} 1 thread {one:>6.0}, 2 threads {two:>6.0}: {ratio:.2}x (target for bizmetrics at least 1.6x)");
    }
}
