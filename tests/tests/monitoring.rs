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

// A 4-week window and whole-second latency bound, where the factors and the
// `le` label differ from the example's.
#[timed(
    name = "payment_duration_seconds",
    buckets = [0.1, 1.0],
    slo(availability = "99.5%", window = "28d", latency(p90 = "1s"))
)]
fn pay() -> Result<(), String> {
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

/// The rules of the `slo` group: from `- name: shop_slos` to the end.
fn slo_group(rules: &str) -> &str {
    let start = rules
        .find("- name: shop_slos\n")
        .unwrap_or_else(|| panic!("no slo group in\n{rules}"));
    &rules[start..]
}

#[test]
fn an_objective_records_its_error_ratio_over_every_window_sloth_style() {
    let rules = Stack::new("shop").alert_rules().unwrap();
    let group = slo_group(&rules);
    let records: Vec<&str> = group
        .lines()
        .filter_map(|line| line.strip_prefix("  - record: "))
        .collect();
    let windows = ["28d", "5m", "30m", "1h", "2h", "6h", "1d", "3d"];
    let expected: Vec<String> = windows
        .iter()
        .chain(&windows)
        .map(|window| format!("slo:sli_error:ratio_rate{window}"))
        .collect();
    assert_eq!(records, expected, "availability, then latency");
    assert!(group.contains(
        r#"  - record: slo:sli_error:ratio_rate5m
    expr: sum by (function, module) (rate(payment_duration_seconds_count{function="pay",module="monitoring",outcome=~"error|panic"}[5m])) / sum by (function, module) (rate(payment_duration_seconds_count{function="pay",module="monitoring"}[5m]))
    labels:
      slo: availability
"#
    ), "{group}");
    // 1 s may be scraped as `le="1"` or `le="1.0"`.
    assert!(group.contains(
        r#"  - record: slo:sli_error:ratio_rate3d
    expr: 1 - sum by (function, module) (rate(payment_duration_seconds_bucket{function="pay",module="monitoring",le=~"1|1\\.0"}[3d])) / sum by (function, module) (rate(payment_duration_seconds_count{function="pay",module="monitoring"}[3d]))
    labels:
      slo: latency
"#
    ), "{group}");
}

#[test]
fn an_objective_pages_and_tickets_on_the_workbook_pairs_scaled_to_its_window() {
    let rules = Stack::new("shop").alert_rules().unwrap();
    let group = slo_group(&rules);
    let ratio = |window: &str| {
        format!(
            r#"slo:sli_error:ratio_rate{window}{{function="pay",module="monitoring",slo="availability"}}"#
        )
    };
    let pair = |factor: &str, long: &str, short: &str| {
        format!(
            "({} > ({factor} * (1 - 0.995)) and {} > ({factor} * (1 - 0.995)))",
            ratio(long),
            ratio(short)
        )
    };
    // 28 days: 2% of the budget in 1 hour is 14.4 × 28/30.
    let page = format!(
        "  - alert: ShopErrorBudgetBurn
    expr: {} or {}
    for: 2m
    labels:
      severity: page
      function: pay
      module: monitoring
      slo: availability
",
        pair("13.44", "1h", "5m"),
        pair("5.6", "6h", "30m")
    );
    assert!(group.contains(&page), "{page}\nnot in\n{group}");
    let ticket = format!(
        "  - alert: ShopErrorBudgetBurn
    expr: {} or {}
    for: 15m
    labels:
      severity: ticket
",
        pair("2.8", "1d", "2h"),
        pair("0.9333333333333", "3d", "6h")
    );
    assert!(group.contains(&ticket), "{ticket}\nnot in\n{group}");
    assert!(group.contains(
        "description: Calls to pay run over 1s at 13.44 times the rate that the objective, 90% within 1s over 28 days, can afford over the past 1 hour and 5 minutes, or at 5.6 times over the past 6 hours and 30 minutes; {{ $value | humanizePercentage }} over the longer window.\n"
    ), "{group}");
    // `alert_timing` is for `alert(...)`: the workbook's windows stay.
    let fast = Stack::new("shop")
        .alert_timing(Duration::from_secs(20), Duration::from_secs(10))
        .alert_rules()
        .unwrap();
    assert_eq!(slo_group(&fast), group);
}

#[test]
fn the_dashboard_shows_each_objective_s_budget_and_burn_rate() {
    let dashboard: serde_json::Value =
        serde_json::from_str(&Stack::new("shop").dashboard().unwrap()).unwrap();
    let panels = dashboard["panels"].as_array().unwrap();
    let expr = |title: &str| {
        let panel = panels
            .iter()
            .find(|p| p["title"] == title)
            .unwrap_or_else(|| panic!("no panel `{title}`"));
        panel["targets"][0]["expr"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        expr("pay: 99.5% availability: budget left over 28d"),
        r#"1 - slo:sli_error:ratio_rate28d{function="pay",module="monitoring",slo="availability"} / (1 - 0.995)"#
    );
    assert_eq!(
        expr("pay: 90% within 1s: burn rate"),
        r#"slo:sli_error:ratio_rate1h{function="pay",module="monitoring",slo="latency"} / (1 - 0.9)"#
    );
}

#[test]
fn a_two_step_funnel_has_one_ratio_overall_and_by_its_shared_label() {
    trial(Plan::Free);
    upgrade(Plan::Pro);
    let rules = Stack::new("shop").alert_rules().unwrap();
    let records: Vec<&str> = rules
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- record: "))
        .filter(|record| record.starts_with("funnel"))
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

/// An export in normal mode removes the `prometheus-central.yml` an agent
/// export left in the same folder, but never a file edited by hand.
#[test]
fn a_stale_central_config_from_agent_mode_is_removed_but_not_a_hand_written_one() {
    use bizmetrics::monitoring::RemoteWrite;

    let dir = std::env::temp_dir().join(format!("bizmetrics-stale-{}", std::process::id()));
    let central = dir.join("prometheus-central.yml");
    let write = RemoteWrite::new("http://central:9090/api/v1/write").unwrap();
    Stack::new("shop").agent(write).write(&dir).unwrap();
    assert!(central.exists(), "agent mode writes the central half");

    Stack::new("shop").write(&dir).unwrap();
    assert!(!central.exists(), "normal mode removes the stale half");

    std::fs::write(&central, "# mine\nglobal: {}\n").unwrap();
    Stack::new("shop").write(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(&central).unwrap(),
        "# mine\nglobal: {}\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
