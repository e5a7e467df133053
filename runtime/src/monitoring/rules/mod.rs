//! `alert_rules.yml`: the alerts declared with `alert(...)`, the app's
//! down alert, recording rules for every funnel's conversion ratios, the
//! burn-rate rules of every `slo(...)`, and the alerts on late batch jobs.

mod alerts;
mod batch_job;
mod down;
mod funnels;
mod slo;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::promql::number;
use super::{yaml, Declared, Stack};
use crate::error::Error;

pub(super) use down::{inhibit_rules, InhibitRule};
pub(super) use funnels::{conversion_rule, shared_labels};
pub(super) use slo::Slo;

/// A Prometheus rule file.
#[derive(Serialize)]
struct RuleFile {
    groups: Vec<RuleGroup>,
}

/// Rules that Prometheus evaluates together.
#[derive(Serialize)]
struct RuleGroup {
    name: String,
    rules: Vec<Rule>,
}

/// One rule, written with the key that tells which kind it is first.
#[derive(Serialize)]
#[serde(untagged)]
enum Rule {
    Alert(AlertingRule),
    Record(RecordingRule),
}

#[derive(Serialize)]
struct AlertingRule {
    alert: String,
    expr: String,
    /// Left out at zero, Prometheus's default: the alert fires at once.
    #[serde(
        rename = "for",
        serialize_with = "yaml::duration",
        skip_serializing_if = "Duration::is_zero"
    )]
    for_: Duration,
    labels: AlertLabels,
    annotations: Annotations,
}

#[derive(Serialize)]
struct AlertLabels {
    severity: &'static str,
    /// An objective's alerts repeat the labels of the ratio they watch, so
    /// that two objectives' rules, alike but for the series, stay apart.
    #[serde(flatten)]
    series: BTreeMap<&'static str, &'static str>,
}

#[derive(Serialize)]
struct Annotations {
    summary: String,
    description: String,
}

/// A funnel's conversion ratio from one step to another, or an
/// objective's error ratio over a window.
#[derive(Serialize)]
struct RecordingRule {
    record: String,
    expr: String,
    labels: RecordLabels,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RecordLabels {
    Step(StepLabels),
    /// `availability` or `latency`; `function` and `module` come from the
    /// expression.
    Slo {
        slo: &'static str,
    },
}

#[derive(Serialize)]
struct StepLabels {
    funnel: &'static str,
    from: &'static str,
    to: &'static str,
}

pub(super) fn render(stack: &Stack, declared: &Declared) -> Result<String, Error> {
    let mut alerts = alerts::low_activity(stack, &declared.sites)?;
    alerts.extend(alerts::thresholds(stack, &declared.sites));
    alerts.push(down::rule(stack));
    let conversions = declared
        .funnels
        .iter()
        .flat_map(|funnel| funnels::conversion(stack, funnel))
        .map(Rule::Record);
    let (objectives, problems) = Slo::all(stack, &declared.sites);
    if let Some(error) = Error::new(problems) {
        return Err(error);
    }
    let groups: [(&str, Vec<Rule>); 4] = [
        ("alerts", alerts.into_iter().map(Rule::Alert).collect()),
        ("funnels", conversions.collect()),
        ("slos", slo::rules(stack, &objectives)),
        (
            "batch_jobs",
            batch_job::rules(stack)
                .into_iter()
                .map(Rule::Alert)
                .collect(),
        ),
    ];
    // A group with no rules is left out; with none at all, `groups: []`.
    let file = RuleFile {
        groups: groups
            .into_iter()
            .filter(|(_, rules)| !rules.is_empty())
            .map(|(group, rules)| RuleGroup {
                name: format!("{}_{group}", stack.app),
                rules,
            })
            .collect(),
    };
    Ok(yaml::document(&file, &[]))
}

/// `5 minutes`, `1 hour`, `90 seconds`, `30 days`.
fn spoken(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (count, unit) = match secs {
        0 => return format!("{} milliseconds", duration.as_millis()),
        s if s % 86_400 == 0 => (s / 86_400, "day"),
        s if s % 3600 == 0 => (s / 3600, "hour"),
        s if s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// `300ms`, `2.5s`.
fn spoken_seconds(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{}ms", number(seconds * 1000.0))
    } else {
        format!("{}s", number(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::{yaml, RuleFile};

    #[test]
    fn no_rules_is_an_empty_list_of_groups() {
        let text = yaml::document(&RuleFile { groups: Vec::new() }, &[]);
        assert!(text.ends_with("\ngroups: []\n"), "{text}");
    }
}
