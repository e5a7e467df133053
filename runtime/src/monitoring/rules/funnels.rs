//! Recording rules for every funnel's conversion ratios.

use super::{RecordLabels, RecordingRule, StepLabels};
use crate::funnel::{Funnel, Step};
use crate::monitoring::promql::{selector, Matcher};
use crate::monitoring::{prometheus_duration, Stack};

/// Recording rules for one funnel: each step over the one before, and
/// the last over the first, overall and by each label all steps share.
pub(super) fn conversion(stack: &Stack, funnel: &Funnel) -> Vec<RecordingRule> {
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
pub(in crate::monitoring) fn shared_labels(funnel: &Funnel) -> Vec<&'static str> {
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
pub(in crate::monitoring) fn conversion_rule(stack: &Stack, label: Option<&str>) -> String {
    let level = label.map_or_else(|| "funnel".to_owned(), |label| format!("funnel_{label}"));
    format!(
        "{level}:conversion:ratio_rate{}",
        prometheus_duration(stack.conversion_window)
    )
}
