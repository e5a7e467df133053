//! The stack around the app: Prometheus, Alertmanager and Grafana
//! configuration, and a `docker-compose.yml` that runs them all.

use super::{prometheus_duration, yaml, Stack, HEADER};

/// The files besides the rules and the dashboard, as `(path, content)`.
pub(super) fn render(stack: &Stack) -> Vec<(String, String)> {
    vec![
        ("prometheus.yml".to_owned(), prometheus(stack)),
        ("alertmanager.yml".to_owned(), alertmanager(stack)),
        (
            "grafana/provisioning/datasources/prometheus.yml".to_owned(),
            datasource(stack),
        ),
        (
            "grafana/provisioning/dashboards/bizmetrics.yml".to_owned(),
            dashboards(),
        ),
        ("docker-compose.yml".to_owned(), compose(stack)),
    ]
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| yaml::string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

fn prometheus(stack: &Stack) -> String {
    let interval = prometheus_duration(stack.scrape_interval);
    format!(
        "{HEADER}global:
  scrape_interval: {interval}
  evaluation_interval: {interval}
rule_files:
  - alert_rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: {alertmanager}
scrape_configs:
  # One target per replica; each series gets its `instance` label, and
  # dashboards and rules add replicas up with `sum by`.
  - job_name: {job}
    static_configs:
      - targets: {targets}
",
        alertmanager = list(std::slice::from_ref(&stack.alertmanager)),
        job = yaml::string(&stack.app),
        targets = list(&stack.scrape_targets()),
    )
}

/// Slack messages list each alert's summary, description and labels.
const SLACK_TEXT: &str = "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ range .Labels.SortedPairs }}• {{ .Name }}: `{{ .Value }}`\n{{ end }}\n{{ end }}";

fn alertmanager(stack: &Stack) -> String {
    // Alertmanager's own defaults, 30 s and 5 m, are 2 and 20 default
    // scrape intervals; they scale with the interval so that tests are quick.
    let group_wait = prometheus_duration(stack.scrape_interval * 2);
    let group_interval = prometheus_duration(stack.scrape_interval * 20);
    format!(
        "{HEADER}route:
  receiver: slack
  group_by: ['alertname']
  group_wait: {group_wait}
  group_interval: {group_interval}
  repeat_interval: 4h
receivers:
  - name: slack
    slack_configs:
      # A Slack incoming webhook. Its URL is a secret, so it is read from
      # a file: compose writes SLACK_WEBHOOK_URL there.
      - api_url_file: {url_file}
        send_resolved: true
        title: '[{{{{ .Status | toUpper }}}}] {{{{ .CommonLabels.alertname }}}}'
        text: {text}
",
        url_file = yaml::string(&stack.slack_url_file),
        text = yaml::string(SLACK_TEXT),
    )
}

fn datasource(stack: &Stack) -> String {
    format!(
        "{HEADER}apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    uid: prometheus
    access: proxy
    url: {url}
    isDefault: true
",
        url = yaml::string(&stack.prometheus_url)
    )
}

fn dashboards() -> String {
    format!(
        "{HEADER}apiVersion: 1
providers:
  - name: bizmetrics
    type: file
    options:
      path: /var/lib/grafana/dashboards
"
    )
}

fn compose(stack: &Stack) -> String {
    let (context, dockerfile) = &stack.build;
    let port = stack.port;
    let app = &stack.app;
    format!(
        "{HEADER}# SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... docker compose up
# App :{port}, Prometheus :9090, Alertmanager :9093, Grafana :3001, on loopback.
services:
  {app}:
    build:
      context: {context}
      dockerfile: {dockerfile}
    environment:
      {env_prefix}_ADDR: '0.0.0.0:{port}'
    ports: ['127.0.0.1:{port}:{port}']
  prometheus:
    image: prom/prometheus:v2.53.2
    volumes:
      - ./prometheus.yml:/etc/prometheus/prometheus.yml:ro
      - ./alert_rules.yml:/etc/prometheus/alert_rules.yml:ro
    ports: ['127.0.0.1:9090:9090']
    depends_on: [{app}, alertmanager]
  alertmanager:
    image: prom/alertmanager:v0.27.0
    volumes:
      - ./alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro
    secrets: [slack_webhook_url]
    ports: ['127.0.0.1:9093:9093']
  grafana:
    image: grafana/grafana:11.2.0
    environment:
      GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: /var/lib/grafana/dashboards/{app}.json
    volumes:
      - ./grafana/provisioning:/etc/grafana/provisioning:ro
      - ./grafana/dashboards:/var/lib/grafana/dashboards:ro
    ports: ['127.0.0.1:3001:3000']
    depends_on: [prometheus]
secrets:
  slack_webhook_url:
    environment: SLACK_WEBHOOK_URL
",
        context = yaml::string(context),
        dockerfile = yaml::string(dockerfile),
        env_prefix = app
            .to_ascii_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
    )
}
