//! `alertmanager.yml`: alerts grouped and sent to Slack.

use std::time::Duration;

use serde::Serialize;

use crate::monitoring::yaml::{self, Comment};
use crate::monitoring::Stack;

/// `alertmanager.yml`.
#[derive(Serialize)]
struct AlertmanagerConfig {
    route: Route,
    receivers: Vec<Receiver>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inhibit_rules: Vec<crate::monitoring::rules::InhibitRule>,
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

pub(super) fn config(stack: &Stack) -> String {
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
        inhibit_rules: crate::monitoring::rules::inhibit_rules(stack),
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
