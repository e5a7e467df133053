//! `docker-compose.yml`: the app, Prometheus, Alertmanager and Grafana.

use serde::Serialize;

use super::pushgateway;
use crate::catalog::site_metric::SiteMetric;
use crate::monitoring::yaml::{self, Comment};
use crate::monitoring::Stack;

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

pub(super) fn compose(stack: &Stack) -> String {
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
    if let Some(gateway) = pushgateway_service(stack) {
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

/// The Pushgateway's service, when the stack has batch jobs.
fn pushgateway_service(stack: &Stack) -> Option<(String, Service)> {
    pushgateway::wanted(stack).then(|| {
        (
            pushgateway::SERVICE.to_owned(),
            Service {
                image: Some(pushgateway::IMAGE),
                ports: loopback(pushgateway::PORT, pushgateway::PORT),
                ..Service::default()
            },
        )
    })
}
