//! The alert on batch jobs that push to the Pushgateway: one rule per
//! [`Stack::batch_job`](crate::monitoring::Stack::batch_job), from the
//! gateway's own `push_time_seconds` and `push_failure_time_seconds`.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{spoken, AlertLabels, AlertingRule, Annotations};
use crate::monitoring::promql::{number, selector, Matcher};
use crate::monitoring::Stack;

/// `<App>BatchJobStale`, once per job: its last push that the gateway took
/// is older than its age, or a push since was refused. The gateway keeps
/// both times per group, so the alert fires per group: the job and any
/// grouping labels it pushes with.
///
/// When both hold, `or` keeps one series per group: it matches label sets
/// without the metric name.
pub(super) fn rules(stack: &Stack) -> Vec<AlertingRule> {
    stack
        .batch_jobs
        .iter()
        .map(|(job, max_age)| {
            let job_only = selector(&[Matcher::new("job", job)]);
            AlertingRule {
                alert: format!("{}BatchJobStale", stack.alert_prefix()),
                expr: format!(
                    "time() - push_time_seconds{job_only} > {}\nor push_failure_time_seconds{job_only} > push_time_seconds{job_only}",
                    number(max_age.as_secs_f64())
                ),
                // The age is the wait; a refused push is news at once.
                for_: Duration::ZERO,
                labels: AlertLabels {
                    severity: "warning",
                    series: BTreeMap::new(),
                },
                annotations: Annotations {
                    summary: format!("Batch job {{{{ $labels.job }}}} of {} is late", stack.app),
                    description: format!(
                        "The Pushgateway has taken no push from {{{{ $labels.job }}}} in the past {}, or refused its latest push. A run that failed but pushed is not late here: its outcome label says how it ended.",
                        spoken(*max_age)
                    ),
                },
            }
        })
        .collect()
}
