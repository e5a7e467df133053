//! Label groups: `labels(profile)` adds every field of a
//! `#[derive(LabelGroup)]` struct, as the same labels written one by one.

use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};
use bizmetrics_tests::{family_lines, sample};

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
    Desktop,
    SmartTv,
}

#[derive(Clone, Copy, LabelValue)]
enum AgeGroup {
    Young,
    Adult,
}

#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    device: Option<Device>,
    #[label(rename = "age_group")]
    age: AgeGroup,
    returning: bool,
}

#[business_metric(action = "grouped", name = "grouped_total", labels(profile))]
#[timed(
    name = "grouped_seconds",
    labels(profile),
    errors(name = "grouped_errors_total")
)]
fn grouped(profile: Profile, fail: bool) -> Result<(), String> {
    if fail {
        return Err("no".into());
    }
    Ok(())
}

#[business_metric(
    action = "grouped",
    name = "single_total",
    labels(device = device, age_group = age, returning = returning)
)]
fn single(device: Option<Device>, age: AgeGroup, returning: bool) {}

fn profile(device: Option<Device>, age: AgeGroup, returning: bool) -> Profile {
    Profile {
        device,
        age,
        returning,
    }
}

#[test]
fn a_group_counts_into_the_series_of_its_values() {
    grouped(profile(Some(Device::SmartTv), AgeGroup::Adult, true), false).unwrap();
    grouped(profile(Some(Device::SmartTv), AgeGroup::Adult, true), true).unwrap_err();
    grouped(profile(None, AgeGroup::Young, false), false).unwrap();
    let series = |device: &str, age: &str, returning: &str| {
        sample(&format!(
            r#"grouped_total{{action_type="grouped",age_group="{age}",device="{device}",endpoint="grouped",returning="{returning}"}}"#
        ))
    };
    assert_eq!(series("smart_tv", "adult", "true"), 2.0);
    assert_eq!(series("none", "young", "false"), 1.0);
    assert_eq!(series("mobile", "adult", "true"), 0.0);
    assert_eq!(
        sample(
            r#"grouped_seconds_count{age_group="adult",device="smart_tv",function="grouped",module="groups",outcome="error",returning="true"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"grouped_errors_total{age_group="adult",device="smart_tv",function="grouped",module="groups",returning="true"}"#
        ),
        1.0
    );
}

#[test]
fn a_group_exports_the_same_series_as_its_labels_written_one_by_one() {
    // Four devices (with none) × two age groups × two booleans, all at zero
    // from startup.
    let series = |name| -> Vec<String> {
        family_lines(&bizmetrics::render(), name)
            .into_iter()
            .filter(|line| line.contains('{'))
            .collect()
    };
    let (grouped, single) = (series("grouped_total"), series("single_total"));
    assert_eq!(single.len(), 16);
    assert_eq!(grouped.len(), single.len());
    let labels = |line: &str| {
        line.split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
            .map(|(labels, _)| labels.to_owned())
            .unwrap_or_default()
    };
    let grouped: Vec<String> = grouped.iter().map(|l| labels(l)).collect();
    let single: Vec<String> = single
        .iter()
        .map(|l| labels(l).replace("endpoint=\"single\"", "endpoint=\"grouped\""))
        .collect();
    assert_eq!(grouped, single);
    let _ = (Device::Mobile, Device::Desktop);
    single_call();
}

fn single_call() {
    single(None, AgeGroup::Young, false);
}

#[test]
fn the_group_ordinal_is_row_major_over_the_fields() {
    assert_eq!(Profile::CARDINALITY, 16);
    let last = profile(Some(Device::SmartTv), AgeGroup::Adult, true);
    assert_eq!(last.ordinal(), 15);
    let first = profile(None, AgeGroup::Young, false);
    assert_eq!(first.ordinal(), 0);
}

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Paid,
}

#[derive(Clone, Copy, LabelGroup)]
struct Visitor {
    device: Option<Device>,
    #[label(rename = "is_returning")]
    returning: bool,
}

#[derive(Clone, Copy, LabelGroup)]
struct Billing {
    tier: Tier,
}

fn series_of(name: &str) -> Vec<String> {
    family_lines(&bizmetrics::render(), name)
        .into_iter()
        .filter(|l| !l.starts_with('#'))
        .collect()
}

// Groups and single labels on both fused attributes, two groups at once.
#[business_metric(action = "checkout", name = "checkouts_total", labels(visitor, billing, region = region))]
#[timed(name = "checkout_duration_seconds", labels(billing, visitor), buckets = [1.0])]
fn checkout(visitor: Visitor, billing: Billing, region: Tier) -> Result<(), String> {
    let _ = (visitor, billing, region);
    Ok(())
}

#[test]
fn fused_group_and_single_labels_count_exactly_once() {
    let p = Visitor {
        device: Some(Device::SmartTv),
        returning: true,
    };
    let b = Billing { tier: Tier::Paid };
    checkout(p, b, Tier::Free).unwrap();
    checkout(p, b, Tier::Free).unwrap();
    checkout(
        Visitor {
            device: None,
            returning: false,
        },
        Billing { tier: Tier::Free },
        Tier::Paid,
    )
    .unwrap();
    // Counter: 4 * 2 (visitor) * 2 (billing) * 2 (region) = 32 series.
    let counter = series_of("checkouts_total");
    assert_eq!(counter.len(), 32, "{counter:#?}");
    assert_eq!(
        sample(
            r#"checkouts_total{action_type="checkout",device="smart_tv",endpoint="checkout",is_returning="true",region="free",tier="paid"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"checkouts_total{action_type="checkout",device="none",endpoint="checkout",is_returning="false",region="paid",tier="free"}"#
        ),
        1.0
    );
    let total: f64 = counter
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 3.0);
    assert_eq!(
        sample(
            r#"checkout_duration_seconds_count{device="smart_tv",function="checkout",is_returning="true",module="groups",outcome="ok",tier="paid"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"checkout_duration_seconds_count{device="none",function="checkout",is_returning="false",module="groups",outcome="ok",tier="free"}"#
        ),
        1.0
    );
}

// A group on an impl block, taken through `axum::Json` and `State`.
struct Shop;

#[business_metric(name = "shop_actions_total", labels(visitor))]
impl Shop {
    fn browse(&self, axum::Json(visitor): axum::Json<Visitor>) {
        let _ = visitor;
    }
    fn state(&self, axum::extract::State(visitor): axum::extract::State<Visitor>) {
        let _ = visitor;
    }
}

#[test]
fn group_on_an_impl_block_through_extractors() {
    let p = Visitor {
        device: Some(Device::Desktop),
        returning: false,
    };
    Shop.browse(axum::Json(p));
    Shop.state(axum::extract::State(p));
    Shop.state(axum::extract::State(p));
    assert_eq!(
        sample(
            r#"shop_actions_total{action_type="browse",device="desktop",endpoint="Shop::browse",is_returning="false"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"shop_actions_total{action_type="state",device="desktop",endpoint="Shop::state",is_returning="false"}"#
        ),
        2.0
    );
}

// Group fields named like `#[timed]`'s and `#[business_metric]`'s own
// labels: `function` is free on a counter, `endpoint` is renamed.
#[derive(Clone, Copy, LabelGroup)]
struct Flags {
    function: bool,
    #[label(rename = "endpoint_kind")]
    endpoint: bool,
}

#[business_metric(action = "toggle", name = "toggles_total", labels(flags))]
fn toggle(flags: Flags) {
    let _ = flags;
}

#[test]
fn a_field_named_function_is_fine_on_a_counter() {
    toggle(Flags {
        function: true,
        endpoint: false,
    });
    assert_eq!(
        sample(
            r#"toggles_total{action_type="toggle",endpoint="toggle",endpoint_kind="false",function="true"}"#
        ),
        1.0
    );
}
