//! The scrape of metrics registered by hand in `bizmetrics::registry()`,
//! which `render_as` reads through the prometheus crate's model, in each
//! format, against the prometheus crate's own `gather` + `TextEncoder` of
//! the same registry. Checks every text holds the expected sample count
//! first, then times the four interleaved and prints medians.

use std::hint::black_box;
use std::time::Instant;

use bizmetrics::Format;
use prometheus::{Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts};

/// Label values per family: counters and gauges get `A` series each,
/// histograms `A / 10`.
const A: usize = 1_000;
const ROUNDS: usize = 200;

/// One contender's scrape, returning its exposition.
type Scrape = Box<dyn FnMut() -> Vec<u8>>;

fn main() {
    let registry = bizmetrics::registry();
    // Only what this bench registers: the process collector's samples
    // change from scrape to scrape.
    #[cfg(target_os = "linux")]
    let _ = registry.unregister(Box::new(
        prometheus::process_collector::ProcessCollector::for_self(),
    ));
    let counters = IntCounterVec::new(Opts::new("hand_total", "By hand."), &["a"]).unwrap();
    let gauges = GaugeVec::new(Opts::new("hand_level", "By hand."), &["a"]).unwrap();
    let histograms =
        HistogramVec::new(HistogramOpts::new("hand_seconds", "By hand."), &["a"]).unwrap();
    for i in 0..A {
        let a = i.to_string();
        counters.with_label_values(&[&a]).inc_by(i as u64);
        #[allow(clippy::cast_precision_loss)] // small values
        gauges.with_label_values(&[&a]).set(i as f64 / 4.0);
        if i % 10 == 0 {
            #[allow(clippy::cast_precision_loss)]
            histograms.with_label_values(&[&a]).observe(i as f64 / 1e4);
        }
    }
    registry.register(Box::new(counters)).unwrap();
    registry.register(Box::new(gauges)).unwrap();
    registry.register(Box::new(histograms)).unwrap();

    // One line per counter and gauge, 11 buckets + Inf + sum + count each histogram.
    let samples = 2 * A + A / 10 * (prometheus::DEFAULT_BUCKETS.len() + 3);
    let sample_lines = |text: &[u8]| {
        let text = std::str::from_utf8(text).unwrap();
        text.lines()
            .filter(|line| line.starts_with("hand_"))
            .count()
    };
    let mut contenders: Vec<(&str, Scrape)> = vec![
        (
            "render_as(Text)",
            Box::new(|| bizmetrics::render_as(Format::Text)),
        ),
        (
            "render_as(OpenMetrics)",
            Box::new(|| bizmetrics::render_as(Format::OpenMetrics)),
        ),
        (
            "render_as(Protobuf)",
            Box::new(|| bizmetrics::render_as(Format::Protobuf)),
        ),
        (
            "prometheus gather + encode",
            Box::new(|| {
                let mut text = Vec::new();
                let families = bizmetrics::registry().gather();
                prometheus::TextEncoder::new()
                    .encode(&families, &mut text)
                    .unwrap();
                text
            }),
        ),
    ];
    for (name, scrape) in &mut contenders {
        let text = scrape();
        if !name.contains("Protobuf") {
            assert_eq!(sample_lines(&text), samples, "{name}");
        }
    }
    let protobuf = bizmetrics::render_as(Format::Protobuf);
    // Each family's name appears once in the delimited messages.
    for family in ["hand_total", "hand_level", "hand_seconds"] {
        assert!(protobuf
            .windows(family.len())
            .any(|w| w == family.as_bytes()));
    }

    let mut seconds: Vec<Vec<f64>> = contenders.iter().map(|_| Vec::new()).collect();
    for round in 0..=ROUNDS {
        for k in 0..contenders.len() {
            let i = (round + k) % contenders.len();
            let start = Instant::now();
            black_box(contenders[i].1());
            if round > 0 {
                seconds[i].push(start.elapsed().as_secs_f64());
            }
        }
    }
    let medians: Vec<f64> = seconds
        .iter_mut()
        .map(|s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect();
    let baseline = medians[contenders.len() - 1];
    println!(
        "scrape of {samples} hand-registered samples ({A} counters, {A} gauges, {} histograms); {ROUNDS} interleaved rounds, medians:",
        A / 10,
    );
    for ((name, _), median) in contenders.iter().zip(&medians) {
        println!(
            "  {name:<28} {:>8.3} ms  {:>5.2}x prometheus gather + encode",
            median * 1e3,
            median / baseline
        );
    }
}
