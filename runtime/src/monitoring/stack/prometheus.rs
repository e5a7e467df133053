//! `prometheus.yml`, and in agent mode `prometheus-central.yml`.

use std::time::Duration;

use serde::Serialize;

use super::pushgateway;
use crate::monitoring::yaml::{self, Comment};
use crate::monitoring::{RemoteWrite, RemoteWriteAuth, Stack};

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
    pub(super) static_configs: Vec<StaticConfig>,
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

pub(super) fn config(stack: &Stack) -> String {
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
        .chain(pushgateway_scrape_config(stack))
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
pub(super) fn central(stack: &Stack) -> String {
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

/// `honor_labels: true`: a pushed series keeps the `job` and `instance`
/// it was pushed with, rather than getting the gateway's, so each batch
/// job is told apart from the others and from the gateway itself.
fn pushgateway_scrape_config(stack: &Stack) -> Option<ScrapeConfig> {
    pushgateway::wanted(stack).then(|| ScrapeConfig {
        job_name: pushgateway::SERVICE.to_owned(),
        honor_labels: true,
        static_configs: vec![StaticConfig {
            targets: vec![stack.pushgateway.clone()],
        }],
    })
}
