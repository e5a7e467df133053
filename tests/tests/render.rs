//! `render()`: the exact text exposition, next to hand-made metrics.

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::family_lines;

#[business_metric(action = "list_companies", endpoint = "/companies")]
fn list_companies() {}

#[business_metric(
    action = "quote\"back\\slash",
    endpoint = "/é",
    name = "escaped_total",
    help = "Help with \\ and\nnewline.",
    labels(note = "line\nbreak")
)]
fn escaped() {}

#[timed(name = "lookup_duration_seconds", buckets = [0.25, 1], labels(store = "main"))]
fn lookup() -> Result<(), ()> {
    Err(())
}

#[test]
fn a_counter_family_renders_exactly() {
    bizmetrics::init().unwrap();
    list_companies();
    list_companies();
    assert_eq!(
        family_lines(&bizmetrics::render(), "user_actions_total"),
        [
            "# HELP user_actions_total Business actions performed, by action type and endpoint.",
            "# TYPE user_actions_total counter",
            r#"user_actions_total{action_type="list_companies",endpoint="/companies"} 2"#,
        ]
    );
}

#[test]
fn a_histogram_family_renders_every_outcome_exactly() {
    lookup().unwrap_err();
    let lines = family_lines(&bizmetrics::render(), "lookup_duration_seconds");
    let expected_header = [
        "# HELP lookup_duration_seconds Wall time of calls to functions annotated with #[timed], by function, module and outcome.",
        "# TYPE lookup_duration_seconds histogram",
    ];
    assert_eq!(lines[..2], expected_header);
    let mut expected = Vec::new();
    for outcome in ["cancelled", "error", "ok", "panic"] {
        let n = u8::from(outcome == "error");
        let labels =
            format!(r#"function="lookup",module="render",outcome="{outcome}",store="main""#);
        for le in ["0.25", "1", "+Inf"] {
            expected.push(format!(
                r#"lookup_duration_seconds_bucket{{{labels},le="{le}"}} {n}"#
            ));
        }
        // A fast call: its sum is well under a second, and only zero when empty.
        expected.push(format!("lookup_duration_seconds_sum{{{labels}}} SUM"));
        expected.push(format!("lookup_duration_seconds_count{{{labels}}} {n}"));
    }
    let samples: Vec<String> = lines[2..]
        .iter()
        .map(|line| {
            let Some((series, value)) = line.rsplit_once(' ').filter(|_| line.contains("_sum{"))
            else {
                return line.clone();
            };
            let value: f64 = value.parse().unwrap();
            let in_range = if series.contains(r#"outcome="error""#) {
                value > 0.0 && value < 0.25
            } else {
                value == 0.0
            };
            assert!(in_range, "unexpected sum in `{line}`");
            format!("{series} SUM")
        })
        .collect();
    assert_eq!(samples, expected);
}

#[test]
fn label_values_and_help_are_escaped() {
    escaped();
    assert_eq!(
        family_lines(&bizmetrics::render(), "escaped_total"),
        [
            r"# HELP escaped_total Help with \\ and\nnewline.",
            "# TYPE escaped_total counter",
            r#"escaped_total{action_type="quote\"back\\slash",endpoint="/é",note="line\nbreak"} 1"#,
        ]
    );
}

#[test]
fn hand_made_metrics_and_the_process_collector_render_alongside() {
    let gauge = prometheus::IntGauge::new("queue_depth", "Jobs waiting.").unwrap();
    bizmetrics::registry()
        .register(Box::new(gauge.clone()))
        .unwrap();
    gauge.set(12);
    let text = bizmetrics::render();
    assert!(text.contains("\nqueue_depth 12\n"), "{text}");
    assert!(
        text.contains("\n# TYPE process_cpu_seconds_total counter\n"),
        "{text}"
    );
}

#[test]
fn a_hand_made_metric_cannot_take_a_declared_name() {
    bizmetrics::init().unwrap();
    let clash = prometheus::IntGauge::new("user_actions_total", "Not a counter.").unwrap();
    assert!(bizmetrics::registry().register(Box::new(clash)).is_err());
}
