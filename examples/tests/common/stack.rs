//! The monitoring stack as processes: the files `webapp export` writes,
//! a Prometheus and an Alertmanager from Debian on them, and a
//! Slack-compatible webhook run by the test that keeps every message.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::post;
use axum::Json;
use bizmetrics_tests::free_port;
use serde_json::Value;

use super::prometheus::{eventually, export, Server, TempDir};

/// A running Prometheus and Alertmanager, stopped when dropped.
pub struct Stack {
    /// Prometheus's base URL.
    pub prometheus: String,
    /// Alertmanager's base URL.
    pub alertmanager: String,
    messages: Arc<Mutex<Vec<Value>>>,
    // Dropped in this order: the servers, then their folder.
    _servers: [Server; 2],
    pub dir: TempDir,
}

impl Stack {
    /// Exports the files for `targets` with `export_args` (timing, for
    /// tests), and starts the webhook, Alertmanager and Prometheus on them.
    pub async fn start(targets: &[String], export_args: &[&str]) -> Stack {
        let messages: Arc<Mutex<Vec<Value>>> = Arc::default();
        let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let webhook = format!("http://{}/slack", receiver.local_addr().unwrap());
        let inbox = messages.clone();
        let slack = axum::Router::new().route(
            "/slack",
            post(move |Json(message): Json<Value>| async move {
                inbox.lock().unwrap().push(message);
                "ok"
            }),
        );
        tokio::spawn(async move { axum::serve(receiver, slack).await });

        let dir = TempDir::new("stack");
        let path = |name: &str| dir.0.join(name).to_string_lossy().into_owned();
        std::fs::write(path("slack_webhook_url"), &webhook).unwrap();
        let (prometheus_port, alertmanager_port) = (free_port(), free_port());
        let alertmanager_addr = format!("127.0.0.1:{alertmanager_port}");
        let (targets, slack_url_file) = (targets.join(","), path("slack_webhook_url"));
        let mut args = vec![
            "--targets",
            &targets,
            "--alertmanager",
            &alertmanager_addr,
            "--slack-url-file",
            &slack_url_file,
        ];
        args.extend(export_args);
        export(&dir, &args);

        let alertmanager = Server::start(
            "prometheus-alertmanager",
            "prometheus-alertmanager",
            &[
                format!("--config.file={}", path("alertmanager.yml")),
                format!("--storage.path={}", path("alertmanager")),
                format!("--web.listen-address={alertmanager_addr}"),
                // No gossip with peers: a lone instance on loopback.
                "--cluster.listen-address=".to_owned(),
            ],
        );
        let prometheus = Server::start(
            "prometheus",
            "prometheus",
            &[
                format!("--config.file={}", path("prometheus.yml")),
                format!("--storage.tsdb.path={}", path("tsdb")),
                format!("--web.listen-address=127.0.0.1:{prometheus_port}"),
            ],
        );
        Stack {
            prometheus: format!("http://127.0.0.1:{prometheus_port}"),
            alertmanager: format!("http://{alertmanager_addr}"),
            messages,
            _servers: [alertmanager, prometheus],
            dir,
        }
    }

    /// The text of the first message titled `title` that reaches the
    /// webhook within `within`.
    pub async fn message(&self, title: &str, within: Duration) -> String {
        eventually(within, &format!("`{title}` reaches the webhook"), || {
            let messages = self.messages.clone();
            async move {
                let messages = messages.lock().unwrap();
                messages.iter().find_map(|message| {
                    let attachment = &message["attachments"][0];
                    (attachment["title"].as_str()? == title)
                        .then(|| attachment["text"].as_str().unwrap_or_default().to_owned())
                })
            }
        })
        .await
    }

    /// A file of the exported stack.
    pub fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.0.join(name)).unwrap()
    }
}
