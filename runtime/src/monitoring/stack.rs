//! The stack around the app: Prometheus, Alertmanager and Grafana
//! configuration, and a `docker-compose.yml` that runs them all.

mod pushgateway;

use std::time::Duration;

use serde::Serialize;

use super::yaml::{self, Comment};
use super::{RemoteWrite, RemoteWriteAuth, Stack};
use crate::catalog::site_metric::SiteMetric;

/// The files one mode writes and the other does not: what an export in
/// the other mode may have left behind.
pub(super) const MODE_FILES: [&str; 1] = ["prometheus-central.yml"];

/// The files besides the rules and the dashboard, as `(path, content)`.
pub(super) fn render(stack: &Stack) -> Vec<(String, String)> {
    let mut files = vec![("prometheus.yml".to_owned(), prometheus(stack))];
    if stack.agent {
        files.push(("prometheus-central.yml".to_owned(), central(stack)));
    }
    files.extend([
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
    ]);
    files
}

/// `prometheus.yml`, and in agent mode `prometheus-central.yml`: each
/// part is left out where that Prometheus has none.
#[derive(Serialize)]
struct PrometheusConfig {
    global: Global,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rule_files: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alerting: Option<Alerting>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scrape_configs: Vec<ScrapeConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remote_write: Vec<RemoteWriteConfig>,
}

#[derive(Serialize)]
struct Global {
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "yaml::some_duration"
    )]
    scrape_interval: Option<Duration>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "yaml::some_duration"
    )]
    evaluation_interval: Option<Duration>,
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
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    honor_labels: bool,
    static_configs: Vec<StaticConfig>,
}

#[derive(Serialize)]
struct StaticConfig {
    targets: Vec<String>,
}

/// One `remote_write` entry; Prometheus refuses both kinds of auth at
/// once, which [`RemoteWriteAuth`] rules out.
#[derive(Serialize)]
struct RemoteWriteConfig {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization: Option<Authorization>,
}

#[derive(Serialize)]
struct BasicAuth {
    username: String,
    password_file: String,
}

#[derive(Serialize)]
struct Authorization {
    #[serde(rename = "type")]
    kind: &'static str,
    credentials_file: String,
}

impl RemoteWriteConfig {
    fn new(destination: &RemoteWrite) -> RemoteWriteConfig {
        let mut config = RemoteWriteConfig {
            url: destination.url().to_owned(),
            basic_auth: None,
            authorization: None,
        };
        match destination.authentication() {
            None => {}
            Some(RemoteWriteAuth::Basic {
                username,
                password_file,
            }) => {
                config.basic_auth = Some(BasicAuth {
                    username: username.clone(),
                    password_file: password_file.clone(),
                });
            }
            Some(RemoteWriteAuth::Bearer { credentials_file }) => {
                config.authorization = Some(Authorization {
                    kind: "Bearer",
                    credentials_file: credentials_file.clone(),
                });
            }
        }
        config
    }
}

/// The rules and where their alerts go: in `prometheus.yml`, or in agent
/// mode in `prometheus-central.yml`.
fn rules_and_alerting(stack: &Stack) -> (Vec<&'static str>, Option<Alerting>) {
    let alerting = Alerting {
        alertmanagers: vec![AlertmanagerTargets {
            static_configs: vec![StaticConfig {
                targets: vec![stack.alertmanager.clone()],
            }],
        }],
    };
    (vec!["alert_rules.yml"], Some(alerting))
}

fn prometheus(stack: &Stack) -> String {
    let (rule_files, alerting) = if stack.agent {
        (Vec::new(), None)
    } else {
        rules_and_alerting(stack)
    };
    let config = PrometheusConfig {
        global: Global {
            scrape_interval: Some(stack.scrape_interval),
            // An agent evaluates nothing.
            evaluation_interval: (!stack.agent).then_some(stack.scrape_interval),
        },
        rule_files,
        alerting,
        scrape_configs: std::iter::once(ScrapeConfig {
            job_name: stack.app.clone(),
            honor_labels: false,
            static_configs: vec![StaticConfig {
                targets: stack.scrape_targets(),
            }],
        })
        .chain(pushgateway::scrape_config(stack))
        .collect(),
        remote_write: stack
            .remote_writes
            .iter()
            .map(RemoteWriteConfig::new)
            .collect(),
    };
    let mut comments = vec![Comment {
        above: Some("scrape_configs"),
        text: "One target per replica; each series gets its `instance` label, and
dashboards and rules add replicas up with `sum by`.",
    }];
    if stack.agent {
        comments.push(Comment {
            above: None,
            text: "A Prometheus agent: it scrapes and forwards, and keeps nothing to query.
prometheus --enable-feature=agent --config.file=prometheus.yml --storage.agent.path=DIR
The rules and alerting are in prometheus-central.yml, where the samples land.",
        });
    }
    if !stack.remote_writes.is_empty() {
        comments.push(Comment {
            above: Some("remote_write"),
            text: "Every sample scraped is also sent here. Secrets stay in the files named.",
        });
    }
    yaml::document(&config, &comments)
}

/// `prometheus-central.yml`, in agent mode: the Prometheus that receives
/// the agent's samples, evaluates the rules and sends the alerts.
fn central(stack: &Stack) -> String {
    let (rule_files, alerting) = rules_and_alerting(stack);
    let config = PrometheusConfig {
        global: Global {
            scrape_interval: None,
            evaluation_interval: Some(stack.scrape_interval),
        },
        rule_files,
        alerting,
        scrape_configs: Vec::new(),
        remote_write: Vec::new(),
    };
    yaml::document(
        &config,
        &[Comment {
            above: None,
            text: "The Prometheus the agent of prometheus.yml writes to: it scrapes nothing,
and evaluates the rules on the samples it receives.
prometheus --web.enable-remote-write-receiver --config.file=prometheus-central.yml",
        }],
    )
}

/// `alertmanager.yml`.
#[derive(Serialize)]
struct AlertmanagerConfig {
    route: Route,
    receivers: Vec<Receiver>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inhibit_rules: Vec<super::rules::InhibitRule>,
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
        inhibit_rules: super::rules::inhibit_rules(stack),
    };
    let mut comments = vec![Comment {
        above: Some("receivers"),
        text: "Alerts go to a Slack incoming webhook. Its URL is a secret, so it is read
from a file, `api_url_file`: compose writes SLACK_WEBHOOK_URL there.",
    }];
    if !config.inhibit_rules.is_empty() {
        comments.push(Comment {
            above: Some("inhibit_rules"),
            text: "While the app is down, its low-activity alerts would fire too: the down
alert pages alone.",
        });
    }
    yaml::document(&config, &comments)
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
    #[serde(skip_serializing_if = "Option::is_none")]
    secrets: Option<Secrets>,
}

/// One compose service; each sets the fields it needs.
#[derive(Serialize, Default)]
struct Service {
    #[serde(skip_serializing_if = "Option::is_none")]
    build: Option<Build>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    command: Vec<String>,
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
    let mut services = vec![
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
        ("prometheus".to_owned(), prometheus_service(stack)),
    ];
    if let Some(gateway) = pushgateway::service(stack) {
        services[1].1.depends_on.push(gateway.0.clone());
        services.push(gateway);
    }
    // An agent answers no queries and sends no alerts: Alertmanager and
    // Grafana belong with the central Prometheus, wherever that runs.
    if !stack.agent {
        services.extend([
            (
                "alertmanager".to_owned(),
                Service {
                    image: Some("prom/alertmanager:v0.27.0"),
                    volumes: read_only(&[(
                        "alertmanager.yml",
                        "/etc/alertmanager/alertmanager.yml",
                    )]),
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
        ]);
    }
    let config = Compose {
        services,
        secrets: (!stack.agent).then_some(Secrets {
            slack_webhook_url: Secret {
                environment: "SLACK_WEBHOOK_URL",
            },
        }),
    };
    let mut text = if stack.agent {
        format!(
            "docker compose up: the app :{port}, and a Prometheus agent that forwards to
the remote_write of prometheus.yml. Mount any password or token file it names."
        )
    } else {
        format!(
            "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... docker compose up
App :{port}, Prometheus :9090, Alertmanager :9093, Grafana :3001, on loopback."
        )
    };
    if pushgateway::wanted(stack) {
        text.push_str("\nBatch jobs push to the Pushgateway, http://127.0.0.1:9091 from the host.");
    }
    yaml::document(
        &config,
        &[Comment {
            above: None,
            text: &text,
        }],
    )
}

/// Prometheus in compose: with the rules, or as an agent.
fn prometheus_service(stack: &Stack) -> Service {
    let config = ("prometheus.yml", "/etc/prometheus/prometheus.yml");
    let app = stack.app.clone();
    if stack.agent {
        Service {
            image: Some(PROMETHEUS_IMAGE),
            // The image's own flags point at a TSDB, which an agent has not.
            command: [
                "--config.file=/etc/prometheus/prometheus.yml",
                "--enable-feature=agent",
                "--storage.agent.path=/prometheus",
            ]
            .map(str::to_owned)
            .to_vec(),
            volumes: read_only(&[config]),
            ports: loopback(9090, 9090),
            depends_on: vec![app],
            ..Service::default()
        }
    } else {
        Service {
            image: Some(PROMETHEUS_IMAGE),
            // The image's own flags, and the features the app's metrics
            // use: exemplars, and native histograms where a site keeps one.
            command: prometheus_flags(),
            volumes: read_only(&[
                config,
                ("alert_rules.yml", "/etc/prometheus/alert_rules.yml"),
            ]),
            ports: loopback(9090, 9090),
            depends_on: vec![app, "alertmanager".to_owned()],
            ..Service::default()
        }
    }
}

const PROMETHEUS_IMAGE: &str = "prom/prometheus:v2.53.2";

/// The flags of a Prometheus that keeps the app's exemplars and, when a
/// call site is `#[timed(native)]`, its native histograms.
fn prometheus_flags() -> Vec<String> {
    let native = crate::catalog::catalog()
        .sites
        .iter()
        .any(SiteMetric::is_native);
    let features = if native {
        "--enable-feature=exemplar-storage,native-histograms"
    } else {
        "--enable-feature=exemplar-storage"
    };
    [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        features,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Files mounted read-only: `./from:to:ro`, from the output folder.
fn read_only(files: &[(&str, &str)]) -> Vec<String> {
    files
        .iter()
        .map(|(from, to)| format!("./{from}:{to}:ro"))
        .collect()
}
