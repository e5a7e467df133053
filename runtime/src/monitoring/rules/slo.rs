//! Service level objectives, `slo(...)` on `#[timed]`: the error ratio
//! recorded over the SRE workbook's windows, and its multiwindow,
//! multi-burn-rate alerts (The Site Reliability Workbook, "Alerting on
//! SLOs", table 5-8), named the way Sloth and Pyrra name theirs.

use std::time::Duration;

use bizmetrics_facts::duration::format_ms;

use super::{spoken, AlertLabels, AlertingRule, Annotations, RecordLabels, RecordingRule, Rule};
use crate::catalog::site_metric::SiteMetric;
use crate::decl::{Objective, ObjectiveTarget, Role, Severity};
use crate::error::Problem;
use crate::monitoring::promql::{
    calls, calls_within, failed_matchers, number, selector, site_matchers, Matcher,
};
use crate::monitoring::{prometheus_duration, Stack};

/// One objective of one call site, as the rules and the dashboard use it.
#[derive(Debug, Clone, Copy)]
pub struct Slo {
    site: &'static SiteMetric,
    objective: Objective,
    /// The period the error budget covers.
    window: Duration,
}

/// One multiwindow condition: the error ratio over both windows is above
/// `factor` times the budget.
struct Pair {
    /// The share of the whole window's budget that spending at this rate
    /// for `long` uses up; the factor follows from it and the window.
    budget_spent: f64,
    long: Duration,
    short: Duration,
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// The workbook's recommended pairs, page then ticket: 2% of a 30-day
/// budget in 1 hour or 5% in 6 hours pages; 10% in 1 day or in 3 days
/// makes a ticket. Against 30 days their burn rates are 14.4, 6, 3 and 1;
/// for another window they are scaled to spend the same share of it, as
/// Sloth does.
const PAGE: [Pair; 2] = [
    Pair {
        budget_spent: 0.02,
        long: Duration::from_secs(HOUR),
        short: Duration::from_secs(5 * MINUTE),
    },
    Pair {
        budget_spent: 0.05,
        long: Duration::from_secs(6 * HOUR),
        short: Duration::from_secs(30 * MINUTE),
    },
];
const TICKET: [Pair; 2] = [
    Pair {
        budget_spent: 0.1,
        long: Duration::from_secs(DAY),
        short: Duration::from_secs(2 * HOUR),
    },
    Pair {
        budget_spent: 0.1,
        long: Duration::from_secs(3 * DAY),
        short: Duration::from_secs(6 * HOUR),
    },
];

/// How long each alert's condition holds before it fires. The short
/// window already makes an alert reset soon after the errors stop, so
/// `for` only rides out one noisy evaluation, such as a scrape missed
/// during a restart: short next to each pair's detection time.
const PAGE_FOR: Duration = Duration::from_secs(2 * MINUTE);
const TICKET_FOR: Duration = Duration::from_secs(15 * MINUTE);

/// Every window the error ratio is recorded over, shortest first.
const WINDOWS: [Duration; 7] = [
    Duration::from_secs(5 * MINUTE),
    Duration::from_secs(30 * MINUTE),
    Duration::from_secs(HOUR),
    Duration::from_secs(2 * HOUR),
    Duration::from_secs(6 * HOUR),
    Duration::from_secs(DAY),
    Duration::from_secs(3 * DAY),
];

impl Slo {
    /// The objectives of the `#[timed]` call sites, one per series they
    /// select: call sites that share one say the same, or it is a problem
    /// that names both.
    pub fn all(stack: &Stack, sites: &[&'static SiteMetric]) -> (Vec<Slo>, Vec<Problem>) {
        let mut objectives: Vec<Slo> = Vec::new();
        let mut problems = Vec::new();
        for &site in sites {
            if site.role != Role::Duration {
                continue;
            }
            for &declared in site.objectives {
                let objective = Slo {
                    site,
                    objective: declared,
                    window: Duration::from_millis(declared.window_ms),
                };
                let same_series = objectives.iter().find(|seen| {
                    seen.site.name == site.name
                        && seen.site.labels == site.labels
                        && seen.label() == objective.label()
                });
                match same_series {
                    None => objectives.push(objective),
                    Some(seen) if seen.objective == objective.objective => {}
                    Some(seen) => problems.push(Problem::Alert {
                        alert: alert_name(stack),
                        reason: format!(
                            "the {} objective of {} is declared differently at {} than at {}; declare it once",
                            objective.label(),
                            objective.function(),
                            site.location,
                            seen.site.location
                        ),
                    }),
                }
            }
        }
        (objectives, problems)
    }

    /// The `slo` label of its recorded ratios and alerts.
    fn label(&self) -> &'static str {
        match self.objective.target {
            ObjectiveTarget::Availability(_) => "availability",
            ObjectiveTarget::Latency { .. } => "latency",
        }
    }

    /// The share of calls that must be good, such as 0.999.
    fn target(&self) -> f64 {
        match self.objective.target {
            ObjectiveTarget::Availability(share) => share,
            ObjectiveTarget::Latency { quantile, .. } => quantile.value(),
        }
    }

    /// The `function` label of its call site.
    pub fn function(&self) -> &'static str {
        self.site.function
    }

    /// The objective as people say it: `99.9% availability`, `99% within
    /// 300ms`.
    pub fn title(&self) -> String {
        let percent = number(self.target() * 100.0);
        match self.objective.target {
            ObjectiveTarget::Availability(_) => format!("{percent}% availability"),
            ObjectiveTarget::Latency { seconds, .. } => {
                format!("{percent}% within {}", super::spoken_seconds(seconds))
            }
        }
    }

    /// The error budget: the share of calls that may be bad, as PromQL
    /// that says where it comes from, `(1 - 0.999)`.
    pub fn budget(&self) -> String {
        format!("(1 - {})", number(self.target()))
    }

    /// The window as Prometheus writes it, in days where whole: `30d`.
    pub fn window(&self) -> String {
        format_ms(self.objective.window_ms)
    }

    /// The recorded error ratio over the objective's own window.
    pub fn ratio_over_window(&self) -> String {
        self.ratio(self.window)
    }

    /// The recorded error ratio over `window`, selected for this objective.
    pub fn ratio(&self, window: Duration) -> String {
        let mut matchers = site_matchers(self.site);
        matchers.push(Matcher::new("slo", self.label()));
        format!("{}{}", record_name(window), selector(&matchers))
    }

    /// Its error ratio over the objective's own window, for the dashboard's
    /// budget, then over each alert window.
    fn records(&self) -> Vec<RecordingRule> {
        std::iter::once(self.window)
            .chain(WINDOWS)
            .map(|window| RecordingRule {
                record: record_name(window),
                expr: self.error_ratio(window),
                labels: RecordLabels::Slo { slo: self.label() },
            })
            .collect()
    }

    /// Bad calls over all calls in `window`, summed over replicas and
    /// per-call labels. With no calls it is NaN, which no comparison
    /// passes, so an idle function never alerts.
    fn error_ratio(&self, window: Duration) -> String {
        let site = self.site;
        let by = site.label_names().join(", ");
        let range = prometheus_duration(window);
        let matchers = site_matchers(site);
        let all = calls(site, &by, &matchers, &range);
        match self.objective.target {
            ObjectiveTarget::Availability(_) => {
                format!(
                    "{} / {all}",
                    calls(site, &by, &failed_matchers(site), &range)
                )
            }
            ObjectiveTarget::Latency { seconds, .. } => {
                let le = bucket_matcher(seconds);
                let fast = calls_within(site, &by, &matchers, le, &range, seconds);
                format!("1 - {fast} / {all}")
            }
        }
    }

    /// The page alert, then the ticket alert.
    fn alerts(&self, stack: &Stack) -> [AlertingRule; 2] {
        [
            self.alert(stack, Severity::Page, &PAGE, PAGE_FOR),
            self.alert(stack, Severity::Ticket, &TICKET, TICKET_FOR),
        ]
    }

    fn alert(
        &self,
        stack: &Stack,
        severity: Severity,
        pairs: &[Pair; 2],
        for_: Duration,
    ) -> AlertingRule {
        let budget = self.budget();
        let condition = |pair: &Pair| {
            let factor = number(self.factor(pair));
            format!(
                "({} > ({factor} * {budget}) and {} > ({factor} * {budget}))",
                self.ratio(pair.long),
                self.ratio(pair.short)
            )
        };
        let function = self.function();
        let bad = match self.objective.target {
            ObjectiveTarget::Availability(_) => format!("Calls to {function} fail"),
            ObjectiveTarget::Latency { seconds, .. } => format!(
                "Calls to {function} run over {}",
                super::spoken_seconds(seconds)
            ),
        };
        let [first, second] = pairs;
        let speed = if severity == Severity::Page {
            " fast"
        } else {
            ""
        };
        AlertingRule {
            alert: alert_name(stack),
            expr: format!("{} or {}", condition(first), condition(second)),
            for_,
            labels: AlertLabels {
                severity: severity.name(),
                series: self
                    .site
                    .labels
                    .iter()
                    .copied()
                    .chain([("slo", self.label())])
                    .collect(),
            },
            annotations: Annotations {
                summary: format!(
                    "{function} is spending its error budget{speed} on {}",
                    stack.app
                ),
                description: format!(
                    "{bad} at {} times the rate that the objective, {} over {}, can afford over the past {} and {}, or at {} times over the past {} and {}; {{{{ $value | humanizePercentage }}}} over the longer window.",
                    number(self.factor(first)),
                    self.title(),
                    spoken(self.window),
                    spoken(first.long),
                    spoken(first.short),
                    number(self.factor(second)),
                    spoken(second.long),
                    spoken(second.short),
                ),
            },
        }
    }

    /// The burn rate that spends `pair.budget_spent` of the window's
    /// budget in `pair.long`: 14.4 for 2% in 1 hour of 30 days.
    fn factor(&self, pair: &Pair) -> f64 {
        pair.budget_spent * self.window.as_secs_f64() / pair.long.as_secs_f64()
    }
}

/// `<App>ErrorBudgetBurn`, for every objective: the labels `function`,
/// `module`, `slo` and `severity` tell them apart.
fn alert_name(stack: &Stack) -> String {
    format!("{}ErrorBudgetBurn", stack.alert_prefix())
}

/// `slo:sli_error:ratio_rate5m`, as Sloth and Pyrra name the ratio.
fn record_name(window: Duration) -> String {
    format!("slo:sli_error:ratio_rate{}", prometheus_duration(window))
}

/// The bucket at `seconds`. A whole number of seconds may be scraped as
/// `le="1"` or `le="1.0"`, depending on the exposition format; both match.
fn bucket_matcher(seconds: f64) -> Matcher {
    let text = number(seconds);
    if text.contains('.') {
        Matcher::new("le", &text)
    } else {
        Matcher::one_of("le", vec![text.clone(), format!("{text}.0")])
    }
}

/// The rules of every objective: its recorded ratios, then its alerts.
pub(super) fn rules(stack: &Stack, objectives: &[Slo]) -> Vec<Rule> {
    objectives
        .iter()
        .flat_map(|objective| {
            let records = objective.records().into_iter().map(Rule::Record);
            let alerts = objective.alerts(stack).into_iter().map(Rule::Alert);
            records.chain(alerts)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_factors_come_out_for_30_days_and_scale_with_the_window() {
        let factors = |days: u64| -> Vec<String> {
            let window = Duration::from_secs(days * DAY);
            PAGE.iter()
                .chain(&TICKET)
                .map(|pair| {
                    number(pair.budget_spent * window.as_secs_f64() / pair.long.as_secs_f64())
                })
                .collect()
        };
        assert_eq!(factors(30), ["14.4", "6", "3", "1"]);
        assert_eq!(factors(28), ["13.44", "5.6", "2.8", "0.9333333333333"]);
    }

    #[test]
    fn ranges_use_days_where_whole() {
        let text = |secs| prometheus_duration(Duration::from_secs(secs));
        assert_eq!(text(30 * DAY), "30d");
        assert_eq!(text(3 * DAY), "3d");
        assert_eq!(text(6 * HOUR), "6h");
        assert_eq!(text(36 * HOUR), "36h");
        assert_eq!(text(5 * MINUTE), "5m");
    }

    #[test]
    fn whole_second_buckets_match_both_spellings() {
        assert_eq!(selector(&[bucket_matcher(0.25)]), r#"{le="0.25"}"#);
        assert_eq!(selector(&[bucket_matcher(1.0)]), r#"{le=~"1|1\\.0"}"#);
    }
}
