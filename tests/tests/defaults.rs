//! Defaults declared once: what a set gives, what a function overrides.

use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};
use bizmetrics_tests::sample;

#[derive(Clone, Copy, LabelValue)]
enum Plan {
    Free,
    Pro,
}

#[derive(Clone, Copy, LabelGroup)]
struct Customer {
    plan: Plan,
}

bizmetrics::defaults! {
    /// Every query: one metric name for the family.
    query = timed(
        name = "query_duration_seconds",
        errors(name = "query_errors_total"),
        slow(after = "1h", name = "slow_query_calls_total"),
    );
    /// A business action, by plan.
    action = business_metric(labels(customer), name = "actions_total");
}

#[timed(defaults = query)]
fn load(fail: bool) -> Result<(), String> {
    if fail {
        return Err("no".into());
    }
    Ok(())
}

#[timed(defaults = query, slow(after = "1ns", name = "slow_query_calls_total"))]
fn report() -> Result<(), String> {
    std::thread::sleep(std::time::Duration::from_millis(1));
    Ok(())
}

#[business_metric(defaults = action, action = "upgrade", labels(annual = annual))]
fn upgrade(customer: Customer, annual: bool) {}

#[test]
fn a_set_names_the_family_and_its_extra_metrics() {
    load(false).unwrap();
    load(true).unwrap_err();
    assert_eq!(
        sample(r#"query_duration_seconds_count{function="load",module="defaults",outcome="ok"}"#),
        1.0
    );
    assert_eq!(
        sample(r#"query_errors_total{function="load",module="defaults"}"#),
        1.0
    );
    assert_eq!(
        sample(r#"slow_query_calls_total{function="load",module="defaults"}"#),
        0.0
    );
}

#[test]
fn a_function_overrides_one_default_and_keeps_the_rest() {
    report().unwrap();
    assert_eq!(
        sample(r#"slow_query_calls_total{function="report",module="defaults"}"#),
        1.0
    );
    assert_eq!(
        sample(r#"query_duration_seconds_count{function="report",module="defaults",outcome="ok"}"#),
        1.0
    );
}

#[test]
fn labels_add_up_with_the_sets() {
    upgrade(Customer { plan: Plan::Pro }, true);
    assert_eq!(
        sample(
            r#"actions_total{action_type="upgrade",annual="true",endpoint="upgrade",plan="pro"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"actions_total{action_type="upgrade",annual="false",endpoint="upgrade",plan="free"}"#
        ),
        0.0
    );
    let _ = Plan::Free;
}
