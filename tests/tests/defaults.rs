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

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
}

#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    device: Option<Device>,
    #[label(rename = "is_returning")]
    returning: bool,
}

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Paid,
}

// Sets named by a path, from another module, with labels overriding by key.
mod metrics {
    bizmetrics::defaults! {
        /// Queries.
        pub(crate) query = timed(name = "catalog_query_seconds", labels(mode = "read"), buckets = [1.0]);
        /// Actions.
        pub(crate) act = business_metric(name = "visits_total", labels(profile, source = "web"));
    }
}

#[timed(defaults = crate::metrics::query)]
fn by_path() {}

#[timed(defaults = metrics::query, labels(mode = "write"))]
fn by_path_overridden() {}

#[business_metric(defaults = metrics::act, action = "visit")]
#[timed(defaults = metrics::query)]
fn both(profile: Profile) {
    let _ = profile;
}

#[timed(defaults = metrics::query)]
#[business_metric(defaults = metrics::act, action = "revisit")]
fn both_reversed(profile: Profile) {
    let _ = profile;
}

#[test]
fn defaults_by_path_and_overridden_by_key() {
    by_path();
    by_path_overridden();
    let p = Profile {
        device: Some(Device::Mobile),
        returning: true,
    };
    both(p);
    both_reversed(p);
    both_reversed(p);
    assert_eq!(
        sample(
            r#"catalog_query_seconds_count{function="by_path",mode="read",module="defaults",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"catalog_query_seconds_count{function="by_path_overridden",mode="write",module="defaults",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"visits_total{action_type="visit",device="mobile",endpoint="both",is_returning="true",source="web"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"visits_total{action_type="revisit",device="mobile",endpoint="both_reversed",is_returning="true",source="web"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"catalog_query_seconds_count{function="both",mode="read",module="defaults",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"catalog_query_seconds_count{function="both_reversed",mode="read",module="defaults",outcome="ok"}"#
        ),
        2.0
    );
}

// A set's label expression names the parameter of the function it is used on.
bizmetrics::defaults! {
    by_tier = business_metric(name = "subscriptions_total", labels(tier = tier));
}

#[business_metric(defaults = by_tier, action = "subscribe")]
fn subscribe(tier: Tier) {
    let _ = tier;
}

#[test]
fn a_sets_label_expression_names_the_functions_parameter() {
    subscribe(Tier::Paid);
    let _ = Tier::Free;
    assert_eq!(
        sample(r#"subscriptions_total{action_type="subscribe",endpoint="subscribe",tier="paid"}"#),
        1.0
    );
}
