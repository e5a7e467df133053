//! Shared by the app's tests: the real `webapp` binary on an ephemeral
//! port with a temporary database, an HTTP client, and URLs with their
//! query strings encoded.

#![allow(dead_code)] // each test file uses its own part

pub mod prometheus;
pub mod stack;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};

/// A running `webapp`, stopped when dropped.
pub struct App {
    child: Child,
    pub base: String,
    pub metrics: String,
    db: std::path::PathBuf,
    /// What the app prints after its addresses, until it exits.
    rest_of_stdout: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl App {
    pub fn start(extra: &[&str]) -> App {
        let db = std::env::temp_dir().join(format!(
            "bizmetrics-webapp-{}-{}.sqlite3",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut child = Command::new(env!("CARGO_BIN_EXE_webapp"))
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the webapp binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut url = |prefix: &str| {
            let line = lines.next().expect("webapp prints its addresses").unwrap();
            line.strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected `{prefix}...`, got `{line}`"))
                .to_owned()
        };
        let base = url("webapp listening on ").trim_end_matches('/').to_owned();
        let metrics = url("metrics on ");
        // Keep reading, so the app never writes to a closed pipe.
        let rest_of_stdout = Some(std::thread::spawn(move || {
            lines.map_while(Result::ok).collect()
        }));
        App {
            child,
            base,
            metrics,
            db,
            rest_of_stdout,
        }
    }

    /// Sends SIGTERM, gives the app its final scrape once it turns requests
    /// away, and returns its status and what it printed last.
    pub async fn terminate(&mut self) -> (std::process::ExitStatus, Vec<String>) {
        self.signal("TERM");
        self.draining().await;
        let (status, body) = get(&self.metrics).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.wait(Duration::from_secs(10))
            .expect("webapp stops within 10 s of its final scrape")
    }

    /// Waits until the app has begun to shut down: its port answers `503`,
    /// or no longer accepts when `/metrics` is on a port of its own.
    pub async fn draining(&self) {
        let health = format!("{}/health", self.base);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match try_call(Method::GET, &health, None).await {
                Ok((StatusCode::SERVICE_UNAVAILABLE, _)) | Err(_) => return,
                Ok(_) => {}
            }
            assert!(
                Instant::now() < deadline,
                "webapp kept serving after SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends the signal `name` (`TERM`, `INT`, ...) with `kill`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits up to `within` for the app to exit, and returns its status
    /// and what it printed last; `None` if it still runs.
    pub fn wait(&mut self, within: Duration) -> Option<(std::process::ExitStatus, Vec<String>)> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let printed = self.rest_of_stdout.take().unwrap().join().unwrap();
                return Some((status, printed));
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.db);
    }
}

/// A query string's `name=value` pairs.
pub type Pairs<'a> = &'a [(&'a str, &'a str)];

/// A shopper's profile on a phone, as query pairs.
#[allow(dead_code)] // not every test binary sends it
pub const MOBILE: Pairs<'_> = &[
    ("device", "mobile"),
    ("age_group", "25_34"),
    ("gender", "female"),
    ("region", "kanto"),
];

/// `base` and `path`, followed by every pair of `pairs` in order as the
/// query string, encoded as a browser encodes a form.
pub fn url(base: &str, path: &str, pairs: &[Pairs<'_>]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for pairs in pairs {
        query.extend_pairs(*pairs);
    }
    match query.finish() {
        query if query.is_empty() => format!("{base}{path}"),
        query => format!("{base}{path}?{query}"),
    }
}

/// Sends one request, a JSON body if any, and returns the answer's status
/// and body.
pub async fn call(method: Method, url: &str, body: Option<&str>) -> (StatusCode, String) {
    try_call(method, url, body)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// As [`call`], but a server that is not up yet is an `Err`, not a panic.
pub async fn try_call(
    method: Method,
    url: &str,
    body: Option<&str>,
) -> Result<(StatusCode, String), reqwest::Error> {
    // A client per call: each test has a runtime of its own, and a pooled
    // connection belongs to the runtime that opened it. Only loopback
    // here, so no proxy from the environment.
    let client = reqwest::Client::builder().no_proxy().build()?;
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await?;
    let status = response.status();
    Ok((status, response.text().await?))
}

pub async fn get(url: &str) -> (StatusCode, String) {
    call(Method::GET, url, None).await
}

pub async fn post(url: &str, body: &str) -> (StatusCode, String) {
    call(Method::POST, url, Some(body)).await
}

#[allow(unused_imports)] // not every test file reads samples
pub use bizmetrics_tests::sample_in as sample;
