//! What the `opentelemetry` feature costs `TraceContext::current()`, which
//! every recorded call runs, against the default build.
//!
//! `cargo bench -p bizmetrics-test-otel` runs divan's table, then a summary
//! timed in interleaved rounds, with medians and ratios. This crate always
//! builds the feature on, so "off" is the default build's body of
//! `current()` copied here: one read of a thread-local `Cell`.

use std::cell::Cell;
use std::hint::black_box;
use std::time::Instant;

use bizmetrics::TraceContext;
use bizmetrics_test_otel::subscriber;
use divan::Bencher;
use opentelemetry_sdk::trace::Sampler;

fn main() {
    divan::main();
    summary();
}

thread_local! {
    static CURRENT: Cell<Option<TraceContext>> = const { Cell::new(None) };
}

/// `TraceContext::current()` as the default build compiles it.
#[inline(never)]
fn off() -> Option<TraceContext> {
    CURRENT.with(Cell::get)
}

#[inline(never)]
fn on() -> Option<TraceContext> {
    TraceContext::current()
}

fn explicit() -> TraceContext {
    TraceContext::from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .expect("a valid traceparent")
}

#[divan::bench]
fn feature_off() -> Option<TraceContext> {
    off()
}

#[divan::bench]
fn feature_on_no_subscriber() -> Option<TraceContext> {
    on()
}

#[divan::bench]
fn feature_on_subscriber_no_span(bencher: Bencher<'_, '_>) {
    let _subscriber = tracing::subscriber::set_default(subscriber(Sampler::AlwaysOn));
    bencher.bench_local(on);
}

#[divan::bench]
fn feature_on_explicit_scope(bencher: Bencher<'_, '_>) {
    let _subscriber = tracing::subscriber::set_default(subscriber(Sampler::AlwaysOn));
    explicit().scope(|| bencher.bench_local(on));
}

#[divan::bench]
fn feature_on_sampled_span(bencher: Bencher<'_, '_>) {
    let _subscriber = tracing::subscriber::set_default(subscriber(Sampler::AlwaysOn));
    let span = tracing::info_span!("bench");
    let _entered = span.enter();
    assert!(on().is_some(), "the span's context is found");
    bencher.bench_local(on);
}

/// One case: calls `current()` `calls` times in its situation, and times
/// only the calls.
type Case = (&'static str, fn(u64) -> f64);

fn ns_per_call(calls: u64, current: fn() -> Option<TraceContext>) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        black_box(current());
    }
    #[allow(clippy::cast_precision_loss)]
    let ns = start.elapsed().as_nanos() as f64 / calls as f64;
    ns
}

/// Median ns per call of each case, over interleaved rounds, so that a
/// noisy machine slows all of them alike.
fn medians(cases: &[Case]) -> Vec<f64> {
    const ROUNDS: usize = 41;
    const CALLS: u64 = 100_000;
    let mut samples = vec![Vec::with_capacity(ROUNDS); cases.len()];
    for round in 0..=ROUNDS {
        for (case, (_, run)) in cases.iter().enumerate() {
            let ns = run(CALLS);
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

fn print(title: &str, cases: &[Case]) {
    let ns = medians(cases);
    println!("\n{title}: median ns per `TraceContext::current()`, 41 interleaved rounds");
    for ((name, _), ns) in cases.iter().zip(&ns) {
        println!("  {name:<52} {ns:>7.2}");
    }
    for ((name, _), case) in cases.iter().zip(&ns).skip(1) {
        println!(
            "  {name}: {:.2}x off, {:+.2} ns",
            case / ns[0],
            case - ns[0]
        );
    }
}

fn summary() {
    print(
        "no subscriber",
        &[
            ("feature off", |calls| ns_per_call(calls, off)),
            ("feature on, no subscriber", |calls| ns_per_call(calls, on)),
        ],
    );
    // An app installs its subscriber once, globally, where `tracing` finds
    // it fastest: no thread-local scoped dispatcher to look up.
    tracing::subscriber::set_global_default(subscriber(Sampler::AlwaysOn))
        .expect("no global subscriber yet");
    print(
        "global tracing-opentelemetry subscriber",
        &[
            ("feature off", |calls| ns_per_call(calls, off)),
            ("feature on, outside any span", |calls| {
                ns_per_call(calls, on)
            }),
            ("feature on, explicit TraceContext::scope", |calls| {
                explicit().scope(|| ns_per_call(calls, on))
            }),
            ("feature on, inside a sampled span", |calls| {
                let span = tracing::info_span!("bench");
                span.in_scope(|| {
                    assert!(on().is_some(), "the span's context is found");
                    ns_per_call(calls, on)
                })
            }),
        ],
    );
}
