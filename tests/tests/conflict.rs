//! `init()` with conflicting definitions: one error naming every site, and
//! the consistent families still exported.

use bizmetrics::{business_metric, timed, Problem};
use bizmetrics_tests::sample_in;

const HELP_A: u32 = line!() + 1;
#[business_metric(action = "a", name = "orders_total", help = "Orders placed.")]
fn order_a() {}

const HELP_B: u32 = line!() + 1;
#[business_metric(action = "b", name = "orders_total", help = "Orders received.")]
fn order_b() {}

const LABELS_A: u32 = line!() + 1;
#[business_metric(action = "a", name = "refunds_total")]
fn refund_a() {}

const LABELS_B: u32 = line!() + 1;
#[business_metric(action = "b", name = "refunds_total", labels(reason = "damaged"))]
fn refund_b() {}

const BUCKETS_A: u32 = line!() + 1;
#[timed(name = "ship_duration_seconds", buckets = [1, 2])]
fn ship_a() {}

const BUCKETS_B: u32 = line!() + 1;
#[timed(name = "ship_duration_seconds", buckets = [1, 5])]
fn ship_b() {}

const HAND_MADE: u32 = line!() + 1;
#[business_metric(action = "poll", name = "hand_made_total")]
fn poll() {}

#[business_metric(action = "fine", endpoint = "/fine")]
fn fine() {}

#[test]
fn conflicts_are_reported_together_and_consistent_families_survive() {
    let gauge = prometheus::IntGauge::new("hand_made_total", "Registered by hand.").unwrap();
    bizmetrics::registry().register(Box::new(gauge)).unwrap();

    let error = bizmetrics::init().unwrap_err();
    let file = file!();
    let at = |line: u32| format!("{file}:{line}:1");
    assert_eq!(
        error.to_string(),
        [
            "bizmetrics found 4 problems in metric definitions".to_owned(),
            format!(
                "  - metric `orders_total` has conflicting help texts: \"Orders placed.\" at {} but \"Orders received.\" at {}",
                at(HELP_A),
                at(HELP_B)
            ),
            format!(
                "  - metric `refunds_total` has conflicting label names: [\"action_type\", \"endpoint\"] at {} but [\"action_type\", \"endpoint\", \"reason\"] at {}",
                at(LABELS_A),
                at(LABELS_B)
            ),
            format!(
                "  - metric `ship_duration_seconds` has conflicting buckets: [1.0, 2.0] at {} but [1.0, 5.0] at {}",
                at(BUCKETS_A),
                at(BUCKETS_B)
            ),
            format!(
                "  - metric `hand_made_total` declared at {} could not be registered: Duplicate metrics collector registration attempted",
                at(HAND_MADE)
            ),
        ]
        .join("\n")
    );
    assert!(matches!(
        error.problems()[0],
        Problem::Conflict {
            metric: "orders_total",
            ..
        }
    ));
    assert_eq!(
        bizmetrics::init().unwrap_err(),
        error,
        "init runs once and keeps its answer"
    );

    order_a();
    order_b();
    fine();
    let text = bizmetrics::render();
    assert!(text.starts_with("# bizmetrics found 4 problems"), "{text}");
    assert_eq!(
        sample_in(
            &text,
            r#"user_actions_total{action_type="fine",endpoint="/fine"}"#
        ),
        1.0
    );
    // The first definition is kept; the conflicting site is left out, not merged.
    assert_eq!(
        sample_in(&text, r#"orders_total{action_type="a",endpoint="order_a"}"#),
        1.0
    );
    assert!(
        !text.contains(r#"action_type="b",endpoint="order_b""#),
        "{text}"
    );
    refund_a();
    refund_b();
    ship_a();
    ship_b();
    poll();
}
