//! Shared by the app's tests: the real `webapp` binary on an ephemeral
//! port with a temporary database, and a small HTTP client.

#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

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

    /// Sends SIGTERM, waits for the app to exit, and returns its status and
    /// what it printed last.
    pub fn terminate(&mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let printed = self.rest_of_stdout.take().unwrap().join().unwrap();
                return (status, printed);
            }
            assert!(
                Instant::now() < deadline,
                "webapp did not stop within 10 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
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
) -> Result<(StatusCode, String), hyper_util::client::legacy::Error> {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let request = Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .unwrap();
    let response = client.request(request).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Ok((status, String::from_utf8(bytes.to_vec()).unwrap()))
}

pub async fn get(url: &str) -> (StatusCode, String) {
    call(Method::GET, url, None).await
}

pub async fn post(url: &str, body: &str) -> (StatusCode, String) {
    call(Method::POST, url, Some(body)).await
}

#[allow(unused_imports)] // not every test file reads samples
pub use bizmetrics_tests::sample_in as sample;
