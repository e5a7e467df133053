//! `bizmetrics::monitoring`: what the generated rules and dashboard say
//! for the alerts and funnels declared here.

// The annotated functions here only declare call sites; nothing calls them.
#![allow(dead_code)]

use std::time::Duration;

use bizmetrics::monitoring::Stack;
use bizmetrics::{business_metric, timed, LabelValue};
use bizmetrics_tests::run_tool;

#[derive(LabelValue)]
enum Plan {
    Free,
    Pro,
}

#[business_metric(
    action = "signup",
    name = "signups_total",
    alert(below = 3, per = "1h", for = "30m", severity = "page")
)]
fn signup() {}

// Only `/a` alerts, so the rule must pick it out by endpoint: the action
// alone would also take in `/b`.
#[business_metric(action = "browse", endpoint = "/a", alert(below = 10))]
fn browse_a() {}

#[business_metric(action = "browse", endpoint = "/b")]
fn browse_b() {}

#[business_metric(action = "trial", name = "upgrades_total", funnel = "upgrade", step = 1, labels(plan = plan))]
fn trial(plan: Plan) {
    let _ = plan;
}

#[business_metric(action = "upgrade", name = "upgrades_total", funnel = "upgrade", step = 2, labels(plan = plan))]
fn upgrade(plan: Plan) {
    let _ = plan;
}

// Texts that YAML would take for something else unless quoted: a boolean
// in YAML 1.1, a comment, a mapping, a line break.
#[business_metric(
    action = "refund",
    name = "refunds_total",
    alert(
        below = 1,
        severity = "no",
        summary = "#refunds: 'none' in \"1h\"",
        description = "yes\nreally"
    )
)]
fn refund() {}

#[timed(buckets = [0.1, 0.25, 0.5], alert(p95 = "250ms", error_ratio = 0.01, severity = "critical"))]
fn checkout() -> Result<(), String> {
    Ok(())
}

/// The rule named `name`, from its name to the next rule or group.
fn rule<'a>(rules: &'a str, name: &str) -> &'a str {
    let start = rules
        .find(&format!(": {name}\n"))
        .unwrap_or_else(|| panic!("no rule {name} in\n{rules}"));
    let rest = &rules[start..];
    let end = rest
        .find("\n  - ")
        .or_else(|| rest.find("\n- "))
        .map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
fn low_activity_alerts_name_their_metric_and_select_only_their_sites() {
    let rules = Stack::new("shop").alert_rules().unwrap();
    assert_eq!(
        rule(&rules, "ShopLowSignups"),
        ": ShopLowSignups
    expr: sum by (action_type, endpoint) (rate(signups_total{action_type=\"signup\"}[1h])) * 3600 < 3
    for: 30m
    labels:
      severity: page
    annotations:
      summary: Low signups detected on shop
      description: Signups is unusually low. Less than 3 requests in the past 1 hour.
"
    );
    let browse = rule(&rules, "ShopLowUserActivity");
    assert!(
        browse.contains(r#"rate(user_actions_total{endpoint="/a"}[5m])) * 300 < 10"#),
        "{browse}"
    );
    assert!(
        browse.contains("for: 5m"),
        "`for` defaults to `per`: {browse}"
    );
}

#[test]
fn latency_and_error_objectives_become_one_rule_each() {
    let rules = Stack::new("shop").alert_rules().unwrap();
    let latency = rule(&rules, "ShopCheckoutLatencyP95");
    assert!(latency.contains(
        r#"expr: histogram_quantile(0.95, sum by (le, function, module) (rate(function_duration_seconds_bucket{function="checkout",module="monitoring"}[5m]))) > 0.25"#
    ), "{latency}");
    assert!(latency.contains("severity: critical"), "{latency}");
    assert!(
        latency.contains("above 250ms, over the past 5 minutes"),
        "{latency}"
    );
    let errors = rule(&rules, "ShopCheckoutErrors");
    assert!(
        errors.contains(r#"outcome=~"error|panic"}[5m])) / sum by (function, module)"#),
        "{errors}"
    );
    assert!(errors.contains("> 0.01\n"), "{errors}");
    assert!(errors.contains("more than 1%."), "{errors}");
}

#[test]
fn a_two_step_funnel_has_one_ratio_overall_and_by_its_shared_label() {
    trial(Plan::Free);
    upgrade(Plan::Pro);
    let rules = Stack::new("shop").alert_rules().unwrap();
    let records: Vec<&str> = rules
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- record: "))
        .collect();
    assert_eq!(
        records,
        [
            "funnel:conversion:ratio_rate1h",
            "funnel_plan:conversion:ratio_rate1h"
        ]
    );
    assert!(rules.contains(
        r#"expr: sum by (plan) (rate(upgrades_total{action_type="upgrade"}[1h])) / sum by (plan) (rate(upgrades_total{action_type="trial"}[1h]))"#
    ));
}

#[test]
fn texts_that_look_like_yaml_are_quoted_and_reach_prometheus_as_written() {
    let rules = Stack::new("shop").alert_rules().unwrap();
    assert_eq!(
        rule(&rules, "ShopLowRefunds"),
        ": ShopLowRefunds
    expr: sum by (action_type, endpoint) (rate(refunds_total{action_type=\"refund\"}[5m])) * 300 < 1
    for: 5m
    labels:
      severity: no
    annotations:
      summary: '#refunds: ''none'' in \"1h\"'
      description: |-
        yes
        really
"
    );

    // `promtool test rules` reads the rule back: `no` is the text, not a
    // boolean, and the quotes and the line break are as declared.
    let dir = std::env::temp_dir().join(format!("bizmetrics-quoted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("alert_rules.yml"), &rules).unwrap();
    std::fs::write(
        dir.join("test.yml"),
        r##"rule_files: [alert_rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'refunds_total{action_type="refund",endpoint="refund"}'
        values: '0+0x20'
    alert_rule_test:
      - eval_time: 10m
        alertname: ShopLowRefunds
        exp_alerts:
          - exp_labels: { action_type: refund, endpoint: refund, severity: "no" }
            exp_annotations:
              summary: "#refunds: 'none' in \"1h\""
              description: "yes\nreally"
"##,
    )
    .unwrap();
    let test = dir.join("test.yml").to_string_lossy().into_owned();
    let printed = run_tool("promtool", "prometheus", &["test", "rules", &test]);
    assert!(printed.contains("SUCCESS"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn alert_timing_replaces_every_window_and_for() {
    let rules = Stack::new("shop")
        .alert_timing(Duration::from_secs(20), Duration::from_secs(10))
        .alert_rules()
        .unwrap();
    let signups = rule(&rules, "ShopLowSignups");
    assert!(signups.contains("[20s])) * 20 < 3\n"), "{signups}");
    assert!(signups.contains("for: 10s"), "{signups}");
    assert!(signups.contains("in the past 20 seconds."), "{signups}");
    assert!(rule(&rules, "ShopCheckoutErrors").contains("for: 10s"));
}

#[test]
fn the_dashboard_breaks_the_funnel_down_by_its_label() {
    let dashboard: serde_json::Value =
        serde_json::from_str(&Stack::new("shop").dashboard().unwrap()).unwrap();
    let variables = dashboard["templating"]["list"].as_array().unwrap();
    assert_eq!(variables[1]["name"], "plan");
    assert_eq!(
        variables[1]["query"]["query"],
        "label_values(upgrades_total, plan)"
    );
    let panels = dashboard["panels"].as_array().unwrap();
    let steps = panels
        .iter()
        .find(|p| p["title"] == "upgrade: actions per step")
        .unwrap();
    assert_eq!(
        steps["targets"][1]["expr"],
        r#"sum(increase(upgrades_total{action_type="upgrade",plan=~"$plan"}[$__range]))"#
    );
}

#[test]
fn every_file_is_written_where_compose_expects_it() {
    let dir = std::env::temp_dir().join(format!("bizmetrics-stack-files-{}", std::process::id()));
    let written = Stack::new("shop").port(8080).write(&dir).unwrap();
    assert_eq!(
        written,
        [
            "alert_rules.yml",
            "grafana/dashboards/shop.json",
            "prometheus.yml",
            "alertmanager.yml",
            "grafana/provisioning/datasources/prometheus.yml",
            "grafana/provisioning/dashboards/bizmetrics.yml",
            "docker-compose.yml",
        ]
    );
    let prometheus = std::fs::read_to_string(dir.join("prometheus.yml")).unwrap();
    assert!(
        prometheus.contains("- job_name: shop\n  static_configs:\n  - targets:\n    - shop:8080\n"),
        "{prometheus}"
    );
    let compose = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
    assert!(compose.contains("SHOP_ADDR: 0.0.0.0:8080\n"), "{compose}");
    for text in [&prometheus, &compose] {
        assert!(text.starts_with("# Generated by bizmetrics"), "{text}");
    }

    // Prometheus and Alertmanager accept the files as they are written.
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let rules = run_tool(
        "promtool",
        "prometheus",
        &["check", "rules", &path("alert_rules.yml")],
    );
    let count = Stack::new("shop")
        .alert_rules()
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("  - alert: ") || line.starts_with("  - record: "))
        .count();
    assert!(
        rules.contains(&format!("SUCCESS: {count} rules found")),
        "{rules}"
    );
    run_tool(
        "promtool",
        "prometheus",
        &["check", "config", &path("prometheus.yml")],
    );
    run_tool(
        "amtool",
        "prometheus-alertmanager",
        &["check-config", &path("alertmanager.yml")],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
