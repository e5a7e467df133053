//! The stack around the app: Prometheus, Alertmanager and Grafana
//! configuration, and a `docker-compose.yml` that runs them all.

use std::time::Duration;

use serde::Serialize;

use super::yaml::{self, Comment};
use super::Stack;

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

/// `prometheus.yml`.
#[derive(Serialize)]
struct PrometheusConfig {
    global: Global,
    rule_files: Vec<&'static str>,
    alerting: Alerting,
    scrape_configs: Vec<ScrapeConfig>,
}

#[derive(Serialize)]
struct Global {
    #[serde(serialize_with = "yaml::duration")]
    scrape_interval: Duration,
    #[serde(serialize_with = "yaml::duration")]
    evaluation_interval: Duration,
}

#[derive(Serialize)]
struct Alerting {
    alertmanagers: Vec<AlertmanagerTargets>,
}

#[derive(Serialize)]
struct AlertmanagerTargets {
    static_configs: Vec<StaticConfig>,
}

#[derive(Serialize)]
struct ScrapeConfig {
    job_name: String,
    static_configs: Vec<StaticConfig>,
}

#[derive(Serialize)]
struct StaticConfig {
    targets: Vec<String>,
}

fn prometheus(stack: &Stack) -> String {
    let config = PrometheusConfig {
        global: Global {
            scrape_interval: stack.scrape_interval,
            evaluation_interval: stack.scrape_interval,
        },
        rule_files: vec!["alert_rules.yml"],
        alerting: Alerting {
            alertmanagers: vec![AlertmanagerTargets {
                static_configs: vec![StaticConfig {
                    targets: vec![stack.alertmanager.clone()],
                }],
            }],
        },
        scrape_configs: vec![ScrapeConfig {
            job_name: stack.app.clone(),
            static_configs: vec![StaticConfig {
                targets: stack.scrape_targets(),
            }],
        }],
    };
    yaml::document(
        &config,
        &[Comment {
            above: Some("scrape_configs"),
            text: "One target per replica; each series gets its `instance` label, and
dashboards and rules add replicas up with `sum by`.",
        }],
    )
}

/// `alertmanager.yml`.
#[derive(Serialize)]
struct AlertmanagerConfig {
    route: Route,
    receivers: Vec<Receiver>,
}

#[derive(Serialize)]
struct Route {
    receiver: &'static str,
    group_by: Vec<&'static str>,
    #[serde(serialize_with = "yaml::duration")]
    group_wait: Duration,
    #[serde(serialize_with = "yaml::duration")]
    group_interval: Duration,
    #[serde(serialize_with = "yaml::duration")]
    repeat_interval: Duration,
}

#[derive(Serialize)]
struct Receiver {
    name: &'static str,
    slack_configs: Vec<SlackConfig>,
}

#[derive(Serialize)]
struct SlackConfig {
    api_url_file: String,
    send_resolved: bool,
    title: &'static str,
    text: &'static str,
}

/// Slack messages name the alert, and say whether it fires or resolved.
const SLACK_TITLE: &str = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}";

/// Slack messages list each alert's summary, description and labels.
const SLACK_TEXT: &str = "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ range .Labels.SortedPairs }}• {{ .Name }}: `{{ .Value }}`\n{{ end }}\n{{ end }}";

fn alertmanager(stack: &Stack) -> String {
    let config = AlertmanagerConfig {
        route: Route {
            receiver: "slack",
            group_by: vec!["alertname"],
            // Alertmanager's own defaults, 30 s and 5 m, are 2 and 20 default
            // scrape intervals; they scale with the interval so that tests are quick.
            group_wait: stack.scrape_interval * 2,
            group_interval: stack.scrape_interval * 20,
            repeat_interval: Duration::from_secs(4 * 3600),
        },
        receivers: vec![Receiver {
            name: "slack",
            slack_configs: vec![SlackConfig {
                api_url_file: stack.slack_url_file.clone(),
                send_resolved: true,
                title: SLACK_TITLE,
                text: SLACK_TEXT,
            }],
        }],
    };
    yaml::document(
        &config,
        &[Comment {
            above: Some("receivers"),
            text: "Alerts go to a Slack incoming webhook. Its URL is a secret, so it is read
from a file, `api_url_file`: compose writes SLACK_WEBHOOK_URL there.",
        }],
    )
}

/// Grafana's provisioning of data sources.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasources {
    api_version: u32,
    datasources: Vec<Datasource>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasource {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
    access: &'static str,
    url: String,
    is_default: bool,
}

fn datasource(stack: &Stack) -> String {
    let config = Datasources {
        api_version: 1,
        datasources: vec![Datasource {
            name: "Prometheus",
            kind: "prometheus",
            uid: "prometheus",
            access: "proxy",
            url: stack.prometheus_url.clone(),
            is_default: true,
        }],
    };
    yaml::document(&config, &[])
}

/// Grafana's provisioning of dashboards.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DashboardProviders {
    api_version: u32,
    providers: Vec<DashboardProvider>,
}

#[derive(Serialize)]
struct DashboardProvider {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    options: ProviderOptions,
}

#[derive(Serialize)]
struct ProviderOptions {
    path: &'static str,
}

fn dashboards() -> String {
    let config = DashboardProviders {
        api_version: 1,
        providers: vec![DashboardProvider {
            name: "bizmetrics",
            kind: "file",
            options: ProviderOptions {
                path: "/var/lib/grafana/dashboards",
            },
        }],
    };
    yaml::document(&config, &[])
}

/// `docker-compose.yml`.
#[derive(Serialize)]
struct Compose {
    /// The app's service first, under its name, then the stack's.
    #[serde(serialize_with = "yaml::pairs")]
    services: Vec<(String, Service)>,
    secrets: Secrets,
}

/// One compose service; each sets the fields it needs.
#[derive(Serialize, Default)]
struct Service {
    #[serde(skip_serializing_if = "Option::is_none")]
    build: Option<Build>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "yaml::pairs")]
    environment: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    volumes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    secrets: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

#[derive(Serialize)]
struct Build {
    context: String,
    dockerfile: String,
}

#[derive(Serialize)]
struct Secrets {
    slack_webhook_url: Secret,
}

/// A secret compose takes from its own environment.
#[derive(Serialize)]
struct Secret {
    environment: &'static str,
}

/// A port published on loopback only: `127.0.0.1:host:container`.
fn loopback(host: u16, container: u16) -> Vec<String> {
    vec![format!("127.0.0.1:{host}:{container}")]
}

fn compose(stack: &Stack) -> String {
    let (context, dockerfile) = &stack.build;
    let port = stack.port;
    let app = &stack.app;
    let env_prefix = app
        .to_ascii_uppercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let read_only = |files: &[(&str, &str)]| -> Vec<String> {
        files
            .iter()
            .map(|(from, to)| format!("./{from}:{to}:ro"))
            .collect()
    };
    let services = vec![
        (
            app.clone(),
            Service {
                build: Some(Build {
                    context: context.clone(),
                    dockerfile: dockerfile.clone(),
                }),
                environment: vec![(format!("{env_prefix}_ADDR"), format!("0.0.0.0:{port}"))],
                ports: loopback(port, port),
                ..Service::default()
            },
        ),
        (
            "prometheus".to_owned(),
            Service {
                image: Some("prom/prometheus:v2.53.2"),
                volumes: read_only(&[
                    ("prometheus.yml", "/etc/prometheus/prometheus.yml"),
                    ("alert_rules.yml", "/etc/prometheus/alert_rules.yml"),
                ]),
                ports: loopback(9090, 9090),
                depends_on: vec![app.clone(), "alertmanager".to_owned()],
                ..Service::default()
            },
        ),
        (
            "alertmanager".to_owned(),
            Service {
                image: Some("prom/alertmanager:v0.27.0"),
                volumes: read_only(&[("alertmanager.yml", "/etc/alertmanager/alertmanager.yml")]),
                secrets: vec!["slack_webhook_url"],
                ports: loopback(9093, 9093),
                ..Service::default()
            },
        ),
        (
            "grafana".to_owned(),
            Service {
                image: Some("grafana/grafana:11.2.0"),
                environment: vec![(
                    "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH".to_owned(),
                    format!("/var/lib/grafana/dashboards/{app}.json"),
                )],
                volumes: read_only(&[
                    ("grafana/provisioning", "/etc/grafana/provisioning"),
                    ("grafana/dashboards", "/var/lib/grafana/dashboards"),
                ]),
                ports: loopback(3001, 3000),
                depends_on: vec!["prometheus".to_owned()],
                ..Service::default()
            },
        ),
    ];
    let config = Compose {
        services,
        secrets: Secrets {
            slack_webhook_url: Secret {
                environment: "SLACK_WEBHOOK_URL",
            },
        },
    };
    yaml::document(
        &config,
        &[Comment {
            above: None,
            text: &format!(
                "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... docker compose up
App :{port}, Prometheus :9090, Alertmanager :9093, Grafana :3001, on loopback."
            ),
        }],
    )
}
