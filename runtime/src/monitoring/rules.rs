//! `alert_rules.yml`: the alerts declared with `alert(...)`, the app's
//! down alert, recording rules for every funnel's conversion ratios, the
//! burn-rate rules of every `slo(...)`, and the alerts on late batch jobs.

mod batch_job;
mod down;
mod slo;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::promql::{self, calls, failed_matchers, number, selector, site_matchers, Matcher};
use super::{camel_case, prometheus_duration, yaml, Declared, Stack};
use crate::catalog::site_metric::SiteMetric;
use crate::decl::{names, Alert, AlertCondition, Role, Severity};
use crate::error::{Error, Problem};
use crate::funnel::{Funnel, Step};

pub(super) use down::{inhibit_rules, InhibitRule};
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
    let mut alerts = low_activity(stack, &declared.sites)?;
    alerts.extend(objectives(stack, &declared.sites));
    alerts.push(down::rule(stack));
    let conversions = declared
        .funnels
        .iter()
        .flat_map(|funnel| conversion(stack, funnel))
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

/// An alert's settings after defaults and the stack's overrides.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    per: Duration,
    for_: Duration,
    severity: Severity,
}

impl Settings {
    fn of(stack: &Stack, alert: &Alert) -> Settings {
        let (per, for_) = stack.alert_timing.unwrap_or((
            Duration::from_millis(alert.per_ms),
            Duration::from_millis(alert.for_ms),
        ));
        Settings {
            per,
            for_,
            severity: alert.severity,
        }
    }
}

/// The call sites that share one low-activity alert.
struct Group {
    name: String,
    metric: &'static str,
    below: f64,
    settings: Settings,
    summary: String,
    description: String,
    sites: Vec<&'static SiteMetric>,
}

impl Group {
    /// The alert as `site` declares it, with defaults filled in.
    fn of(stack: &Stack, site: &'static SiteMetric, alert: &Alert, below: f64) -> Group {
        let settings = Settings::of(stack, alert);
        // The default counter is the article's "user activity".
        let subject = if site.role == Role::Actions && site.name == names::ACTIONS {
            "user activity".to_owned()
        } else {
            site.name.trim_end_matches("_total").replace('_', " ")
        };
        let or = |given: Option<&str>, default: String| given.map_or(default, str::to_owned);
        Group {
            name: or(
                alert.name,
                format!("{}Low{}", stack.alert_prefix(), camel_case(&subject)),
            ),
            summary: or(
                alert.summary,
                format!("Low {subject} detected on {}", stack.app),
            ),
            description: or(
                alert.description,
                format!(
                    "{} is unusually low. Less than {} requests in the past {}.",
                    capitalized(&subject),
                    number(below),
                    spoken(settings.per)
                ),
            ),
            metric: site.name,
            below,
            settings,
            sites: vec![site],
        }
    }

    /// What `other` declares differently, if anything.
    fn difference(&self, other: &Group) -> Option<&'static str> {
        [
            ("metric", self.metric != other.metric),
            ("`below`", self.below.to_bits() != other.below.to_bits()),
            ("`per`", self.settings.per != other.settings.per),
            ("`for`", self.settings.for_ != other.settings.for_),
            (
                "`severity`",
                self.settings.severity != other.settings.severity,
            ),
            ("`summary`", self.summary != other.summary),
            ("`description`", self.description != other.description),
        ]
        .into_iter()
        .find_map(|(what, differs)| differs.then_some(what))
    }

    /// Fires per action and endpoint (every fixed label), summed over
    /// replicas and per-call labels.
    fn rule(self, sites: &[&'static SiteMetric]) -> AlertingRule {
        let family: Vec<&SiteMetric> = sites
            .iter()
            .copied()
            .filter(|s| s.name == self.metric)
            .collect();
        let by = self.sites[0].label_names();
        let per = self.settings.per;
        let expr = format!(
            "sum by ({}) (rate({}{}[{}])) * {} < {}",
            by.join(", "),
            self.metric,
            selector(&group_matchers(&self.sites, &family)),
            prometheus_duration(per),
            number(per.as_secs_f64()),
            number(self.below)
        );
        AlertingRule {
            alert: self.name,
            expr,
            for_: self.settings.for_,
            labels: AlertLabels {
                severity: self.settings.severity.name(),
                series: BTreeMap::new(),
            },
            annotations: Annotations {
                summary: self.summary,
                description: self.description,
            },
        }
    }
}

/// `alert(below = n)` on `#[business_metric]`: one rule per alert name,
/// over every call site that declares it.
fn low_activity(stack: &Stack, sites: &[&'static SiteMetric]) -> Result<Vec<AlertingRule>, Error> {
    let mut groups: Vec<Group> = Vec::new();
    let mut problems = Vec::new();
    for &site in sites {
        for alert in site.alerts {
            let AlertCondition::Below(below) = alert.condition else {
                continue;
            };
            let candidate = Group::of(stack, site, alert, below);
            let Some(group) = groups.iter_mut().find(|g| g.name == candidate.name) else {
                groups.push(candidate);
                continue;
            };
            match group.difference(&candidate) {
                Some(what) => problems.push(Problem::Alert {
                    alert: candidate.name,
                    reason: format!(
                        "declared with a different {what} at {} than at {}; give one of them another `name`",
                        site.location, group.sites[0].location
                    ),
                }),
                None => group.sites.push(site),
            }
        }
    }
    if let Some(error) = Error::new(problems) {
        return Err(error);
    }
    Ok(groups.into_iter().map(|group| group.rule(sites)).collect())
}

/// The fewest matchers that select exactly `group` within `family`: one
/// fixed label whose values no other site shares, such as `action_type`,
/// or else every fixed label.
fn group_matchers(group: &[&SiteMetric], family: &[&SiteMetric]) -> Vec<Matcher> {
    let values_of = |name: &str| -> Vec<&str> {
        let mut values: Vec<&str> = group.iter().filter_map(|site| site.label(name)).collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let all: Vec<(&str, Vec<&str>)> = group[0]
        .label_names()
        .into_iter()
        .map(|name| (name, values_of(name)))
        .collect();
    let alone = all.iter().find(|(name, values)| {
        family
            .iter()
            .filter(|site| site.label(name).is_some_and(|v| values.contains(&v)))
            .all(|site| group.iter().any(|member| std::ptr::eq(*member, *site)))
    });
    let chosen = match alone {
        Some(matcher) => std::slice::from_ref(matcher),
        None => &all,
    };
    chosen
        .iter()
        .map(|(name, values)| {
            Matcher::one_of(name, values.iter().map(|v| (*v).to_owned()).collect())
        })
        .collect()
}

/// `alert(p99 = ..., error_ratio = ...)` on `#[timed]`: one rule per
/// objective per call site.
fn objectives(stack: &Stack, sites: &[&'static SiteMetric]) -> Vec<AlertingRule> {
    let mut rules = Vec::new();
    for &site in sites {
        if site.role != Role::Duration {
            continue;
        }
        let function = site.function;
        let by = site.label_names().join(", ");
        let matchers = site_matchers(site);
        let prefix = format!("{}{}", stack.alert_prefix(), camel_case(function));
        for alert in site.alerts {
            let settings = Settings::of(stack, alert);
            let window = prometheus_duration(settings.per);
            let (name, expr, summary, description) = match alert.condition {
                AlertCondition::Latency { quantile, seconds } => {
                    let p = quantile.name();
                    (
                        format!("{prefix}Latency{}", p.to_uppercase()),
                        format!(
                            "{} > {}",
                            promql::quantile(site, quantile.value(), &by, &matchers, &window),
                            number(seconds)
                        ),
                        format!("{function} is slow on {}", stack.app),
                        format!(
                            "The {p} latency of {function} is {{{{ $value | humanizeDuration }}}}, above {}, over the past {}.",
                            spoken_seconds(seconds),
                            spoken(settings.per)
                        ),
                    )
                }
                AlertCondition::ErrorRatio(ratio) => {
                    (
                        format!("{prefix}Errors"),
                        format!(
                            "{} / {} > {}",
                            calls(site, &by, &failed_matchers(site), &window),
                            calls(site, &by, &matchers, &window),
                            number(ratio),
                        ),
                        format!("{function} fails too often on {}", stack.app),
                        format!(
                            "{{{{ $value | humanizePercentage }}}} of calls to {function} failed over the past {}, more than {}%.",
                            spoken(settings.per),
                            number(ratio * 100.0)
                        ),
                    )
                }
                AlertCondition::Below(_) => continue,
            };
            rules.push(AlertingRule {
                alert: name,
                expr,
                for_: settings.for_,
                labels: AlertLabels {
                    severity: settings.severity.name(),
                    series: BTreeMap::new(),
                },
                annotations: Annotations {
                    summary,
                    description,
                },
            });
        }
    }
    rules
}

/// Recording rules for one funnel: each step over the one before, and
/// the last over the first, overall and by each label all steps share.
fn conversion(stack: &Stack, funnel: &Funnel) -> Vec<RecordingRule> {
    let steps = &funnel.steps;
    let mut pairs: Vec<(&Step, &Step)> = steps.windows(2).map(|w| (&w[0], &w[1])).collect();
    if steps.len() > 2 {
        pairs.push((&steps[0], &steps[steps.len() - 1]));
    }
    let window = prometheus_duration(stack.conversion_window);
    let rate = |step: &Step| {
        format!(
            "rate({}{}[{window}])",
            step.metric,
            selector(&[Matcher::new("action_type", step.action)])
        )
    };
    let mut rules = Vec::new();
    for (from, to) in pairs {
        for label in std::iter::once(None).chain(shared_labels(funnel).into_iter().map(Some)) {
            let by = label.map_or_else(String::new, |label| format!(" by ({label}) "));
            rules.push(RecordingRule {
                record: conversion_rule(stack, label),
                expr: format!("sum{by}({}) / sum{by}({})", rate(to), rate(from)),
                labels: RecordLabels::Step(StepLabels {
                    funnel: funnel.name,
                    from: from.action,
                    to: to.action,
                }),
            });
        }
    }
    rules
}

/// The per-call labels every step of the funnel has, in the first step's
/// order: the ones conversion can be broken down by.
pub(super) fn shared_labels(funnel: &Funnel) -> Vec<&'static str> {
    let first = &funnel.steps[0].dimensions;
    first
        .iter()
        .copied()
        .filter(|label| {
            funnel
                .steps
                .iter()
                .all(|step| step.dimensions.contains(label))
        })
        .collect()
}

/// The conversion rule's name for `label`, or the overall one.
pub(super) fn conversion_rule(stack: &Stack, label: Option<&str>) -> String {
    let level = label.map_or_else(|| "funnel".to_owned(), |label| format!("funnel_{label}"));
    format!(
        "{level}:conversion:ratio_rate{}",
        prometheus_duration(stack.conversion_window)
    )
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
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
