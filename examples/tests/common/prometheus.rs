//! Prometheus and its kin as processes for the end-to-end tests: starting
//! and stopping them, their instant queries, and polling until a condition
//! holds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use bizmetrics_tests::needs;
use serde_json::Value;

use super::{try_call, url};

/// A server process from a Debian package, killed when dropped.
pub struct Server(Child);

impl Server {
    pub fn start(program: &str, package: &str, args: &[String]) -> Server {
        let child = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", needs(program, package)));
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh folder, named after `name` and unique to this run.
    pub fn new(name: &str) -> TempDir {
        let dir = TempDir(std::env::temp_dir().join(format!(
            "bizmetrics-{name}-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        )));
        std::fs::create_dir_all(&dir.0).unwrap();
        dir
    }
}

/// Runs `webapp export` with `args` into `dir`, and fails on any error.
pub fn export(dir: &TempDir, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_webapp"))
        .arg("export")
        .arg("--out")
        .arg(&dir.0)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "webapp export {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An instant query: each series' labels and value.
pub async fn query(prometheus: &str, promql: &str) -> Vec<(BTreeMap<String, String>, f64)> {
    let url = url(prometheus, "/api/v1/query", &[&[("query", promql)]]);
    // Not up yet: no data, and the caller polls again.
    let Ok((status, body)) = try_call(Method::GET, &url, None).await else {
        return Vec::new();
    };
    assert!(
        status != StatusCode::BAD_REQUEST,
        "Prometheus refused `{promql}`: {body}"
    );
    let response: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    response["data"]["result"]
        .as_array()
        .map(|series| {
            series
                .iter()
                .map(|s| {
                    let labels = serde_json::from_value(s["metric"].clone()).unwrap();
                    let value = s["value"][1].as_str().unwrap().parse().unwrap();
                    (labels, value)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `check` until it returns `Some`, or fails with `what`.
pub async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    within: Duration,
    what: &str,
    mut check: impl FnMut() -> F,
) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {within:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
