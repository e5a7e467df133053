//! `<App>Down`: the page when Prometheus cannot scrape the app, and the
//! Alertmanager inhibition that keeps the low-activity alerts quiet
//! meanwhile, so that one outage pages once.

use std::collections::BTreeMap;

use serde::Serialize;

use super::alerts::low_activity;
use super::{spoken, AlertLabels, AlertingRule, Annotations};
use crate::monitoring::promql::{selector, Matcher};
use crate::monitoring::{Declared, Stack};

/// Scrapes in a row that must fail before the app counts as down: a
/// restart misses one or two, an outage all of them.
const MISSED_SCRAPES: u32 = 4;

/// The app's name as the alert's: `webapp` → `WebappDown`.
fn name(stack: &Stack) -> String {
    format!("{}Down", stack.alert_prefix())
}

/// Fires per target that answers no scrape (`up == 0`), and once for the
/// job when Prometheus has no target of it at all (`absent`).
pub(super) fn rule(stack: &Stack) -> AlertingRule {
    let up = format!("up{}", selector(&[Matcher::new("job", &stack.app)]));
    let for_ = stack
        .alert_timing
        .map_or(stack.scrape_interval * MISSED_SCRAPES, |(_, for_)| for_);
    AlertingRule {
        alert: name(stack),
        expr: format!("{up} == 0 or absent({up})"),
        for_,
        labels: AlertLabels {
            severity: "page",
            series: BTreeMap::new(),
        },
        annotations: Annotations {
            summary: format!("{} is down", stack.app),
            description: format!(
                "Prometheus has not scraped {}{{{{ with $labels.instance }}}} at {{{{ . }}}}{{{{ end }}}} for {}. What it counted since its last scrape is lost, unless it shut down gracefully.",
                stack.app,
                spoken(for_)
            ),
        },
    }
}

/// An Alertmanager `inhibit_rules` entry.
#[derive(Serialize)]
pub(in crate::monitoring) struct InhibitRule {
    source_matchers: Vec<String>,
    target_matchers: Vec<String>,
}

/// While the app is down its actions stop, so every low-activity alert
/// would fire beside the page: they are held back as long as it fires.
/// Low-activity alerts sum over replicas, so there is no label to match
/// them to the replica that is down; one down replica holds them all.
pub(in crate::monitoring) fn inhibit_rules(stack: &Stack) -> Vec<InhibitRule> {
    // Conflicting definitions fail the export before the files are written.
    let names: Vec<String> = Declared::checked()
        .and_then(|declared| low_activity(stack, &declared.sites))
        .map(|rules| rules.into_iter().map(|rule| rule.alert).collect())
        .unwrap_or_default();
    if names.is_empty() {
        return Vec::new();
    }
    vec![InhibitRule {
        source_matchers: vec![matcher(Matcher::new("alertname", &name(stack)))],
        target_matchers: vec![matcher(Matcher::one_of("alertname", names))],
    }]
}

/// A matcher as Alertmanager writes it: PromQL's, without the braces.
fn matcher(matcher: Matcher) -> String {
    let selector = selector(&[matcher]);
    selector[1..selector.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn waits_four_scrapes_unless_told_otherwise() {
        let stack = Stack::new("shop").scrape_interval(Duration::from_secs(15));
        let rule = rule(&stack);
        assert_eq!(rule.alert, "ShopDown");
        assert_eq!(
            rule.expr,
            r#"up{job="shop"} == 0 or absent(up{job="shop"})"#
        );
        assert_eq!(rule.for_, Duration::from_secs(60));
        let quick = stack.alert_timing(Duration::from_secs(20), Duration::from_secs(3));
        assert_eq!(super::rule(&quick).for_, Duration::from_secs(3));
    }

    #[test]
    fn without_low_activity_alerts_nothing_is_inhibited() {
        // This test binary declares no `alert(below = ...)`.
        let stack = Stack::new("shop");
        assert!(inhibit_rules(&stack).is_empty());
        let files = stack.files().unwrap();
        let (_, alertmanager) = files
            .iter()
            .find(|(path, _)| path == "alertmanager.yml")
            .unwrap();
        assert!(!alertmanager.contains("inhibit_rules"), "{alertmanager}");
        let (_, rules) = files
            .iter()
            .find(|(path, _)| path == "alert_rules.yml")
            .unwrap();
        assert!(rules.contains("alert: ShopDown"), "{rules}");
    }
}
