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
