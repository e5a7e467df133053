//! Hostile label values and help text, escaped so that `promtool` and a
//! real Prometheus server (Debian's `prometheus` package) accept them and
//! read back exactly what was declared, in both exposition formats.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bizmetrics::business_metric;
use bizmetrics_tests::{free_port, needs, query_path};

#[business_metric(
    action = "quote\"back\\slash",
    endpoint = "/café/naïve",
    name = "hostile_total",
    help = "Help with \"quotes\", a \\ backslash,\na newline and ünïcödé.",
    labels(note = "line\nbreak\ttab", empty = "")
)]
fn hostile() {}

/// A Prometheus server, killed when dropped.
struct Prometheus(Child, std::path::PathBuf);

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

/// A blocking HTTP/1.0 GET: the body.
fn http_get(addr: SocketAddr, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
}

fn query(prometheus: SocketAddr, promql: &str) -> serde_json::Value {
    let body = http_get(prometheus, &query_path(promql)).unwrap_or_default();
    serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_and_a_real_prometheus_read_escaped_values_back_exactly() {
    hostile();

    bizmetrics_tests::promtool_check(&bizmetrics::render());

    // Prometheus 2.42 asks for OpenMetrics and cannot be told otherwise, so
    // the text format is served on a path that ignores `Accept`.
    let app = bizmetrics::axum::router::<()>().route(
        "/metrics-text",
        axum::routing::get(|| async { bizmetrics::render() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = std::env::temp_dir().join(format!("bizmetrics-prometheus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global: {{ scrape_interval: 1s }}\nscrape_configs:\n\
             - job_name: openmetrics\n  static_configs: [{{ targets: ['{target}'] }}]\n\
             - job_name: text\n  metrics_path: /metrics-text\n  static_configs: [{{ targets: ['{target}'] }}]\n"
        ),
    )
    .unwrap();
    let web: SocketAddr = ([127, 0, 0, 1], free_port()).into();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address={web}"))
        .arg("--log.level=error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", needs("prometheus", "prometheus")));
    let _prometheus = Prometheus(child, dir);

    for job in ["openmetrics", "text"] {
        let deadline = Instant::now() + Duration::from_secs(30);
        let result = loop {
            let answer = query(web, &format!("hostile_total{{job=\"{job}\"}}"));
            if let Some(series) = answer["data"]["result"]
                .as_array()
                .filter(|r| !r.is_empty())
            {
                break series[0].clone();
            }
            assert!(
                Instant::now() < deadline,
                "Prometheus never scraped hostile_total as {job}: {answer}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let labels = &result["metric"];
        assert_eq!(labels["action_type"], "quote\"back\\slash", "{job}");
        assert_eq!(labels["endpoint"], "/café/naïve", "{job}");
        assert_eq!(labels["note"], "line\nbreak\ttab", "{job}");
        assert_eq!(
            labels.get("empty"),
            None,
            "an empty label value is no label, as Prometheus defines it"
        );
        assert_eq!(result["value"][1], "1", "{job}");

        let up = query(web, &format!("up{{job=\"{job}\"}}"));
        assert_eq!(up["data"]["result"][0]["value"][1], "1", "{up}");

        // The help text, as Prometheus read it: OpenMetrics declares the
        // family without `_total`.
        let family = if job == "text" {
            "hostile_total"
        } else {
            "hostile"
        };
        let path = query_path_of(
            "/api/v1/targets/metadata",
            &format!("{{job=\"{job}\"}}"),
            family,
        );
        let metadata: serde_json::Value =
            serde_json::from_str(&http_get(web, &path).unwrap()).unwrap();
        assert_eq!(
            metadata["data"][0]["help"],
            "Help with \"quotes\", a \\ backslash,\na newline and ünïcödé.",
            "{job}: {metadata}"
        );
        assert_eq!(metadata["data"][0]["type"], "counter", "{job}: {metadata}");
    }

    let targets: serde_json::Value =
        serde_json::from_str(&http_get(web, "/api/v1/targets").unwrap()).unwrap();
    for target in targets["data"]["activeTargets"].as_array().unwrap() {
        assert_eq!(target["lastError"], "", "{targets}");
    }
}

/// `/api/v1/targets/metadata?match_target=..&metric=..`, encoded.
fn query_path_of(path: &str, match_target: &str, metric: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("match_target", match_target)
        .append_pair("metric", metric)
        .finish();
    format!("{path}?{query}")
}
