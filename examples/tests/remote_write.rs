//! Scaling out with `remote_write`, end to end on the real thing: the
//! example app; a Prometheus agent (`prometheus --enable-feature=agent`)
//! scraping it every second with the exported `prometheus.yml`; and a
//! second Prometheus with `--web.enable-remote-write-receiver` and the
//! exported `prometheus-central.yml`, standing in for Mimir or Thanos.
//! Between the two, a gate run by this test lets a write through only with
//! the basic auth the agent reads from its password file. All on loopback;
//! everything started here is stopped on the way out.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp, clippy::cast_precision_loss)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use bizmetrics_tests::{free_port, run_tool};
use common::prometheus::{eventually, export, query, Server, TempDir};
use common::{get, post, url, App, MOBILE};
use serde::Deserialize;
use serde_json::Value;

/// The rule groups of a rules file: their names and their alerts' names.
#[derive(Deserialize)]
struct RuleFile {
    groups: Vec<RuleGroup>,
}

#[derive(Deserialize)]
struct RuleGroup {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
struct Rule {
    alert: Option<String>,
}

#[test]
fn promtool_accepts_both_halves_and_remote_write_beside_the_rules() {
    let dir = TempDir::new("remote-write-check");
    let path = |name: &str| dir.0.join(name).to_string_lossy().into_owned();
    std::fs::write(path("password"), "secret").unwrap();
    std::fs::write(path("token"), "secret").unwrap();

    export(
        &dir,
        &[
            "--agent",
            "--remote-write",
            "http://central:9090/api/v1/write",
            "--remote-write-username",
            "agent",
            "--remote-write-password-file",
            &path("password"),
        ],
    );
    let agent = std::fs::read_to_string(path("prometheus.yml")).unwrap();
    assert!(
        agent.contains(&format!(
            "remote_write:\n- url: http://central:9090/api/v1/write\n  basic_auth:\n    username: agent\n    password_file: {}\n",
            path("password")
        )),
        "{agent}"
    );
    // No `rule_files`, `alerting` or `evaluation_interval`: an agent
    // refuses the first two, and evaluates nothing.
    let keys = |value: &Value| -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    };
    let parsed: Value = yaml_serde::from_str(&agent).unwrap();
    let want = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect();
    assert_eq!(
        keys(&parsed),
        want(&["global", "remote_write", "scrape_configs"])
    );
    assert_eq!(keys(&parsed["global"]), want(&["scrape_interval"]));
    let checked = run_tool(
        "promtool",
        "prometheus",
        &["check", "config", "--agent", &path("prometheus.yml")],
    );
    assert!(checked.contains("SUCCESS"), "{checked}");
    let checked = run_tool(
        "promtool",
        "prometheus",
        &["check", "config", &path("prometheus-central.yml")],
    );
    // promtool checks the rules file the central config names, too.
    assert!(checked.contains("SUCCESS: 1 rule files found"), "{checked}");
    let (_, _, count) = rules(&path("alert_rules.yml"));
    assert!(
        checked.contains(&format!("SUCCESS: {count} rules found")),
        "{checked}"
    );

    // Without --agent: the rules stay, and remote_write comes on top.
    let dir = TempDir::new("remote-write-server");
    let path = |name: &str| dir.0.join(name).to_string_lossy().into_owned();
    std::fs::write(path("token"), "secret").unwrap();
    export(
        &dir,
        &[
            "--remote-write",
            "https://mimir.example.com/api/v1/push",
            "--remote-write-bearer-file",
            &path("token"),
        ],
    );
    assert!(!dir.0.join("prometheus-central.yml").exists());
    let server = std::fs::read_to_string(path("prometheus.yml")).unwrap();
    assert!(
        server.contains(&format!(
            "remote_write:\n- url: https://mimir.example.com/api/v1/push\n  authorization:\n    type: Bearer\n    credentials_file: {}\n",
            path("token")
        )),
        "{server}"
    );
    assert!(
        server.contains("rule_files:\n- alert_rules.yml\n"),
        "{server}"
    );
    run_tool(
        "promtool",
        "prometheus",
        &["check", "config", &path("prometheus.yml")],
    );
}

/// A rules file's group names, distinct alert names, and how many rules it has.
fn rules(path: &str) -> (BTreeSet<String>, BTreeSet<String>, usize) {
    let file: RuleFile = yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let groups = file.groups.iter().map(|g| g.name.clone()).collect();
    let rules: Vec<&Rule> = file.groups.iter().flat_map(|g| &g.rules).collect();
    let alerts = rules.iter().filter_map(|r| r.alert.clone()).collect();
    (groups, alerts, rules.len())
}

/// The gate in front of the central Prometheus: a write passes only with
/// the expected `Authorization` header, and goes on unchanged.
struct Gate {
    url: String,
    passed: Arc<AtomicU64>,
    refused: Arc<AtomicU64>,
}

impl Gate {
    async fn start(authorization: String, central: String) -> Gate {
        let (passed, refused) = (Arc::<AtomicU64>::default(), Arc::<AtomicU64>::default());
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let (pass, refuse) = (passed.clone(), refused.clone());
        let write = move |headers: HeaderMap, body: Bytes| async move {
            let signed = headers
                .get("authorization")
                .is_some_and(|value| value.as_bytes() == authorization.as_bytes());
            if !signed {
                refuse.fetch_add(1, Relaxed);
                return StatusCode::UNAUTHORIZED;
            }
            pass.fetch_add(1, Relaxed);
            let mut request = client.post(&central).body(body);
            // The remote-write protocol's headers: snappy-compressed protobuf.
            for name in [
                "content-type",
                "content-encoding",
                "x-prometheus-remote-write-version",
            ] {
                if let Some(value) = headers.get(name) {
                    request = request.header(name, value.as_bytes());
                }
            }
            match request.send().await {
                Ok(response) => StatusCode::from_u16(response.status().as_u16()).unwrap(),
                // Not up yet: the agent retries on a 5xx.
                Err(_) => StatusCode::BAD_GATEWAY,
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api/v1/write", listener.local_addr().unwrap());
        let app = axum::Router::new().route("/api/v1/write", axum::routing::post(write));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Gate {
            url,
            passed,
            refused,
        }
    }
}

/// The `Authorization` header of basic auth, as reqwest writes it.
fn basic_auth_header(username: &str, password: &str) -> String {
    let request = reqwest::Client::new()
        .get("http://127.0.0.1/")
        .basic_auth(username, Some(password))
        .build()
        .unwrap();
    request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Drives the funnel with a different number of each action, and returns
/// how many of each it sent.
async fn shop(base: &str) -> BTreeMap<&'static str, u64> {
    let ok = |(status, body): (StatusCode, String)| {
        assert!(status.is_success(), "{status}: {body}");
        body
    };
    let mut sent = BTreeMap::new();
    for _ in 0..7 {
        ok(get(&url(base, "/search", &[&[("q", "a")], MOBILE])).await);
        *sent.entry("search").or_default() += 1;
    }
    for _ in 0..5 {
        ok(get(&url(base, "/items/8", &[MOBILE])).await);
        *sent.entry("view_item").or_default() += 1;
    }
    let mut carts = Vec::new();
    for _ in 0..3 {
        let body = ok(post(&url(base, "/cart", &[MOBILE]), r#"{"item_id": 8}"#).await);
        let cart: Value = serde_json::from_str(&body).unwrap();
        carts.push(cart["cart_id"].as_i64().unwrap());
        *sent.entry("add_to_cart").or_default() += 1;
    }
    for cart in &carts[..2] {
        let body = format!(r#"{{"cart_id": {cart}}}"#);
        ok(post(&url(base, "/purchase", &[MOBILE]), &body).await);
        *sent.entry("purchase").or_default() += 1;
    }
    for _ in 0..4 {
        ok(get(&url(base, "/companies", &[MOBILE])).await);
        *sent.entry("list_companies").or_default() += 1;
    }
    sent
}

/// The sum of every sample of `metric` in an exposition text, which must
/// have at least one.
fn total(text: &str, metric: &str) -> f64 {
    let values: Vec<f64> = text
        .lines()
        .filter(|line| {
            line.strip_prefix(metric)
                .is_some_and(|rest| rest.starts_with(['{', ' ']))
        })
        .map(|line| line.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .collect();
    assert!(!values.is_empty(), "no `{metric}` samples in:\n{text}");
    values.iter().sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one story, from start to stop
async fn an_agent_forwards_every_action_to_a_central_prometheus_with_the_rules() {
    let app = App::start(&[]);
    let dir = TempDir::new("remote-write");
    let path = |name: &str| dir.0.join(name).to_string_lossy().into_owned();
    let (central_port, agent_port) = (free_port(), free_port());
    let central = format!("http://127.0.0.1:{central_port}");
    let agent = format!("http://127.0.0.1:{agent_port}");

    let password = format!("{:016x}", fastrand::u64(..));
    std::fs::write(path("password"), &password).unwrap();
    let gate = Gate::start(
        basic_auth_header("agent", &password),
        format!("{central}/api/v1/write"),
    )
    .await;

    // Test-only timing: 1 s scrapes and evaluations, and the low-activity
    // alert over 20 s, firing after 10 s. No Alertmanager listens at the
    // address given: the alerts are read from the central's API.
    let alertmanager = format!("127.0.0.1:{}", free_port());
    export(
        &dir,
        &[
            "--agent",
            "--remote-write",
            &gate.url,
            "--remote-write-username",
            "agent",
            "--remote-write-password-file",
            &path("password"),
            "--targets",
            app.base.trim_start_matches("http://"),
            "--alertmanager",
            &alertmanager,
            "--scrape-interval",
            "1s",
            "--alert-window",
            "20s",
            "--alert-for",
            "10s",
        ],
    );

    let _central = Server::start(
        "prometheus",
        "prometheus",
        &[
            format!("--config.file={}", path("prometheus-central.yml")),
            format!("--storage.tsdb.path={}", path("tsdb")),
            format!("--web.listen-address=127.0.0.1:{central_port}"),
            "--web.enable-remote-write-receiver".to_owned(),
        ],
    );
    let _agent = Server::start(
        "prometheus",
        "prometheus",
        &[
            "--enable-feature=agent".to_owned(),
            format!("--config.file={}", path("prometheus.yml")),
            format!("--storage.agent.path={}", path("agent")),
            format!("--web.listen-address=127.0.0.1:{agent_port}"),
        ],
    );

    // Every series of the app arrives, at zero, before any action: the
    // agent scraped it and wrote through the gate.
    let (_, exposition) = get(&app.metrics).await;
    let series = exposition
        .lines()
        .filter(|line| line.starts_with("user_actions_total{"))
        .count();
    assert!(series > 5, "only {series} user_actions_total series");
    eventually(
        Duration::from_secs(90),
        &format!("the central Prometheus receives the app's {series} user_actions_total series"),
        || async {
            let count = query(&central, "count(user_actions_total)").await;
            (count.first().map(|(_, v)| *v) == Some(series as f64)).then_some(())
        },
    )
    .await;

    let sent = shop(&app.base).await;
    let total_sent: u64 = sent.values().sum();

    // Every increment arrives: the counters' values, not a rate, per
    // action, and zero for the actions never sent.
    let by_action = eventually(
        Duration::from_secs(90),
        &format!("the central Prometheus counts the {total_sent} actions sent"),
        || async {
            let sum = query(&central, "sum(user_actions_total)").await;
            (sum.first().map(|(_, v)| *v) == Some(total_sent as f64)).then_some(())?;
            Some(query(&central, "sum by (action_type) (user_actions_total)").await)
        },
    )
    .await;
    assert!(by_action.len() > sent.len(), "{by_action:?}");
    for (labels, value) in &by_action {
        let action = labels["action_type"].as_str();
        let want = sent.get(action).copied().unwrap_or(0);
        assert_eq!(*value, want as f64, "{action}");
    }
    // And they equal what the app itself exports.
    let (_, exposition) = get(&app.metrics).await;
    assert_eq!(
        total(&exposition, "user_actions_total"),
        total_sent as f64,
        "{exposition}"
    );

    // The central loads every generated group and alert, and evaluates
    // each rule without error.
    let (groups, alerts, count) = rules(&path("alert_rules.yml"));
    assert!(alerts.contains("WebappLowUserActivity"), "{alerts:?}");
    eventually(
        Duration::from_secs(30),
        "the central Prometheus evaluates every generated rule",
        || async {
            let (status, body) = get(&format!("{central}/api/v1/rules")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let response: Value = serde_json::from_str(&body).unwrap();
            let loaded = response["data"]["groups"].as_array()?;
            let names: BTreeSet<String> = loaded
                .iter()
                .map(|g| g["name"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(names, groups, "the central's rule groups");
            let rules: Vec<&Value> = loaded
                .iter()
                .flat_map(|g| g["rules"].as_array().unwrap())
                .collect();
            let loaded_alerts: BTreeSet<String> = rules
                .iter()
                .filter(|r| r["type"] == "alerting")
                .map(|r| r["name"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(loaded_alerts, alerts, "the central's alerts");
            assert_eq!(
                rules.len(),
                count,
                "every rule, an alert's page and ticket both"
            );
            rules.iter().all(|r| r["health"] == "ok").then_some(())
        },
    )
    .await;

    // The rules work on the received samples: `sales_report` was never
    // sent, so its low-activity alert goes pending, then fires.
    eventually(
        Duration::from_secs(90),
        "the central raises WebappLowUserActivity for sales_report",
        || async {
            let (_, body) = get(&format!("{central}/api/v1/alerts")).await;
            let response: Value = serde_json::from_str(&body).ok()?;
            response["data"]["alerts"]
                .as_array()?
                .iter()
                .any(|a| {
                    a["labels"]["alertname"] == "WebappLowUserActivity"
                        && a["labels"]["action_type"] == "sales_report"
                })
                .then_some(())
        },
    )
    .await;

    // The agent lost nothing on the way, and never wrote without its
    // password.
    let (status, agent_metrics) = get(&format!("{agent}/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        total(&agent_metrics, "prometheus_remote_storage_samples_total") > 0.0,
        "the agent reports no samples sent:\n{agent_metrics}"
    );
    for lost in [
        "prometheus_remote_storage_samples_failed_total",
        "prometheus_remote_storage_samples_dropped_total",
    ] {
        assert_eq!(total(&agent_metrics, lost), 0.0, "{lost}");
    }
    assert!(gate.passed.load(Relaxed) > 0);
    assert_eq!(gate.refused.load(Relaxed), 0, "writes without the password");
}
