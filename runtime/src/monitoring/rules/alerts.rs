//! `alert(...)`: the low-activity alerts of `#[business_metric]`, shared
//! by the call sites that declare them alike, and the latency and error
//! alerts of each `#[timed]` function.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{spoken, spoken_seconds, AlertLabels, AlertingRule, Annotations};
use crate::catalog::site_metric::SiteMetric;
use crate::decl::{names, Alert, AlertCondition, Role, Severity};
use crate::error::{Error, Problem};
use crate::monitoring::promql::{
    self, calls, failed_matchers, number, selector, site_matchers, Matcher,
};
use crate::monitoring::{camel_case, prometheus_duration, Stack};

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
pub(super) fn low_activity(
    stack: &Stack,
    sites: &[&'static SiteMetric],
) -> Result<Vec<AlertingRule>, Error> {
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
/// condition per call site.
pub(super) fn thresholds(stack: &Stack, sites: &[&'static SiteMetric]) -> Vec<AlertingRule> {
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

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}
