//! `#[business_metric]` and `#[timed]` stacked on one function expand as
//! one call site, and each metric keeps its own labels and series, in
//! either order and with another attribute between them.

use bizmetrics::{business_metric, timed, LabelValue};
use bizmetrics_tests::executor::{block_on, yield_once};
use bizmetrics_tests::sample;

// `outcome` is not one of `#[business_metric]`'s own labels: a user's label
// of that name keeps its own values beside the fused histogram's `outcome`.

#[derive(Clone, Copy, LabelValue)]
enum Payment {
    Paid,
    Declined,
}

#[business_metric(
    action = "checkout",
    endpoint = "/checkout",
    name = "checkouts_total",
    labels(outcome = payment)
)]
#[timed(name = "checkout_duration_seconds")]
fn checkout(payment: Payment) {
    let _ = payment;
}

#[test]
fn a_business_metric_label_named_outcome_keeps_its_own_values() {
    checkout(Payment::Paid);
    checkout(Payment::Paid);
    checkout(Payment::Declined);
    let series = |value: &str| {
        sample(&format!(
            r#"checkouts_total{{action_type="checkout",endpoint="/checkout",outcome="{value}"}}"#
        ))
    };
    assert_eq!(series("paid"), 2.0);
    assert_eq!(series("declined"), 1.0);
    assert_eq!(
        sample(
            r#"checkout_duration_seconds_count{function="checkout",module="fused_attributes",outcome="ok"}"#
        ),
        3.0
    );
}

// Labels on both attributes, each with its own dimension. Each metric's
// series index is its own attribute's.

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Pro,
    Team,
}

#[derive(Clone, Copy, LabelValue)]
enum Region {
    Eu,
    Us,
}

#[derive(Clone, Copy, Debug, LabelValue)]
enum SubError {
    Card,
    Limit,
}

#[business_metric(
    action = "subscribe",
    endpoint = "/subscribe",
    name = "subscriptions_total",
    labels(tier = tier),
    count = "ok"
)]
#[inline]
#[timed(
    name = "subscribe_duration_seconds",
    labels(region = region),
    errors(name = "subscribe_errors_total", kind = SubError),
    in_flight = "subscriptions_in_flight",
    slow(after = "1h", name = "slow_subscriptions_total")
)]
fn subscribe(tier: Tier, region: Region, fail: Option<SubError>) -> Result<(), SubError> {
    match fail {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

#[bizmetrics::timed(
    name = "renew_duration_seconds",
    labels(region = region),
    errors(name = "renew_errors_total", kind = SubError)
)]
#[bizmetrics::business_metric(
    action = "renew",
    endpoint = "/renew",
    name = "renewals_total",
    labels(tier = tier),
    count = "ok"
)]
async fn renew(tier: Tier, region: Region, fail: Option<SubError>) -> Result<(), SubError> {
    yield_once().await;
    match fail {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

fn by_tier(metric: &str, action: &str, endpoint: &str, tier: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{action_type="{action}",endpoint="{endpoint}",tier="{tier}"}}"#
    ))
}

fn by_region(metric: &str, function: &str, region: &str, outcome: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{function="{function}",module="fused_attributes",outcome="{outcome}",region="{region}"}}"#
    ))
}

fn errors_by(metric: &str, function: &str, kind: &str, region: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{function="{function}",kind="{kind}",module="fused_attributes",region="{region}"}}"#
    ))
}

#[test]
fn fused_labels_on_both_attributes_keep_independent_series() {
    use Region::{Eu, Us};
    use SubError::{Card, Limit};
    use Tier::{Free, Pro, Team};
    let calls = [
        (Pro, Us, None),
        (Pro, Eu, Some(Card)),
        (Team, Us, None),
        (Team, Us, Some(Limit)),
        (Team, Eu, None),
        (Free, Eu, Some(Limit)),
    ];
    for (tier, region, fail) in calls {
        let _ = subscribe(tier, region, fail);
        let _ = block_on(renew(tier, region, fail));
    }

    // The counter, by tier, `count = "ok"` on the sync and the async fn.
    let subs = |tier| by_tier("subscriptions_total", "subscribe", "/subscribe", tier);
    assert_eq!([subs("free"), subs("pro"), subs("team")], [0.0, 1.0, 2.0]);
    let renewals = |tier| by_tier("renewals_total", "renew", "/renew", tier);
    assert_eq!(
        [renewals("free"), renewals("pro"), renewals("team")],
        [0.0, 1.0, 2.0]
    );

    for (histogram, errors, function) in [
        (
            "subscribe_duration_seconds_count",
            "subscribe_errors_total",
            "subscribe",
        ),
        (
            "renew_duration_seconds_count",
            "renew_errors_total",
            "renew",
        ),
    ] {
        let h = |region, outcome| by_region(histogram, function, region, outcome);
        assert_eq!([h("us", "ok"), h("us", "error")], [2.0, 1.0], "{function}");
        assert_eq!([h("eu", "ok"), h("eu", "error")], [1.0, 2.0], "{function}");
        assert_eq!([h("us", "panic"), h("eu", "cancelled")], [0.0, 0.0]);
        let e = |kind, region| errors_by(errors, function, kind, region);
        assert_eq!(
            [
                e("card", "eu"),
                e("card", "us"),
                e("limit", "us"),
                e("limit", "eu")
            ],
            [1.0, 0.0, 1.0, 1.0],
            "{function}"
        );
    }
    let gauge = |region| {
        sample(&format!(
            r#"subscriptions_in_flight{{function="subscribe",module="fused_attributes",region="{region}"}}"#
        ))
    };
    assert_eq!([gauge("eu"), gauge("us")], [0.0, 0.0]);
    let slow = |region| {
        sample(&format!(
            r#"slow_subscriptions_total{{function="subscribe",module="fused_attributes",region="{region}"}}"#
        ))
    };
    assert_eq!([slow("eu"), slow("us")], [0.0, 0.0]);
}
