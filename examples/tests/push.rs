//! Batch jobs through a real Pushgateway (Debian's `prometheus-pushgateway`,
//! 1.5.1) and a real Prometheus: `webapp restock` and `bizmetrics::push`
//! end to end. Everything listens on 127.0.0.1 and stops on the way out.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use bizmetrics::push::{PushError, PushMethod, Pushgateway};
use bizmetrics_tests::free_port;
use common::prometheus::{eventually, export, query, Server, TempDir};

/// A Pushgateway on a port of its own, stopped when dropped.
struct Gateway {
    url: String,
    _server: Server,
}

impl Gateway {
    async fn start(extra: &[String]) -> Gateway {
        let addr = format!("127.0.0.1:{}", free_port());
        let mut args = vec![format!("--web.listen-address={addr}")];
        args.extend_from_slice(extra);
        let server = Server::start("prometheus-pushgateway", "prometheus-pushgateway", &args);
        let url = format!("http://{addr}");
        let ready = format!("{url}/-/ready");
        eventually(Duration::from_secs(20), "the Pushgateway starts", || {
            let ready = ready.clone();
            async move {
                let response = client().get(&ready).send().await.ok()?;
                // With basic auth on, 401 says it is up too.
                (response.status().is_success() || response.status() == 401).then_some(())
            }
        })
        .await;
        Gateway {
            url,
            _server: server,
        }
    }

    /// The gateway's own `/metrics`: every group's series, and its own.
    async fn metrics(&self) -> String {
        metrics_as(&self.url, None).await
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn metrics_as(url: &str, user: Option<(&str, &str)>) -> String {
    let mut request = client().get(format!("{url}/metrics"));
    if let Some((name, password)) = user {
        request = request.basic_auth(name, Some(password));
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.text().await.unwrap()
}

/// Every sample of metric `name` in an exposition, with its labels: the
/// gateway orders labels its own way, so they are compared as a map.
fn samples(text: &str, name: &str) -> Vec<(BTreeMap<String, String>, f64)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?;
            let (labels, value) = match rest.strip_prefix('{') {
                Some(rest) => rest.split_once("} ")?,
                None => ("", rest.strip_prefix(' ')?),
            };
            let labels = labels
                .split("\",")
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once("=\"").unwrap();
                    (name.to_owned(), value.trim_end_matches('"').to_owned())
                })
                .collect();
            Some((labels, value.parse().unwrap()))
        })
        .collect()
}

/// The value of the one sample of `name` that has every label of `want`.
fn value(text: &str, name: &str, want: &[(&str, &str)]) -> f64 {
    let matching: Vec<f64> = samples(text, name)
        .into_iter()
        .filter(|(labels, _)| {
            want.iter()
                .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, value)| value)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one `{name}` with {want:?}, in:\n{:#?}",
        samples(text, name)
    );
    matching[0]
}

/// Whether any sample of `name` has every label of `want`.
fn has(text: &str, name: &str, want: &[(&str, &str)]) -> bool {
    samples(text, name).iter().any(|(labels, _)| {
        want.iter()
            .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
    })
}

/// Runs `webapp restock` with `args`, and returns how it ended.
fn restock(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_webapp"))
        .arg("restock")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "webapp restock failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const JOB: (&str, &str) = ("job", "webapp_restock");

/// Sets the stock of the items named to 0, as a busy day would.
fn sell_out(db: &Path, items: &[&str]) {
    let conn = rusqlite::Connection::open(db).unwrap();
    for item in items {
        let changed = conn
            .execute("UPDATE items SET stock = 0 WHERE name = ?1", [item])
            .unwrap();
        assert_eq!(changed, 1, "{item}");
    }
}

fn stock(db: &Path, item: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT stock FROM items WHERE name = ?1", [item], |row| {
        row.get(0)
    })
    .unwrap()
}

/// The nightly job, twice, on one database: each run's values arrive
/// exactly, on the gateway and in Prometheus, and the second run's group
/// replaces the first's rather than adding to it. Prometheus runs the
/// exported config and rules, and raises the stale-job alert once the
/// last push is older than the (test-sized) age.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one story, from start to stop
async fn restock_pushes_each_run_and_the_next_run_replaces_it() {
    let gateway = Gateway::start(&[]).await;
    let dir = TempDir::new("push-restock");
    let db = dir.0.join("shop.sqlite3");
    let db_arg = db.to_string_lossy().into_owned();
    let prometheus_port = free_port();
    let gateway_addr = gateway.url.trim_start_matches("http://").to_owned();
    export(
        &dir,
        &[
            "--targets",
            &format!("127.0.0.1:{}", free_port()),
            "--alertmanager",
            &format!("127.0.0.1:{}", free_port()),
            "--scrape-interval",
            "1s",
            "--pushgateway",
            &gateway_addr,
            "--restock-max-age",
            "5s",
        ],
    );
    let path = |name: &str| dir.0.join(name).to_string_lossy().into_owned();
    let _prometheus = Server::start(
        "prometheus",
        "prometheus",
        &[
            format!("--config.file={}", path("prometheus.yml")),
            format!("--storage.tsdb.path={}", path("tsdb")),
            format!("--web.listen-address=127.0.0.1:{prometheus_port}"),
        ],
    );
    let prometheus = format!("http://127.0.0.1:{prometheus_port}");

    // First night, on a fresh shop: nothing is sold out.
    let printed = succeeded(&restock(&["--push", &gateway.url, "--db", &db_arg]));
    assert!(printed.starts_with("restocked 0 items to 100"), "{printed}");
    let text = gateway.metrics().await;
    let runs = |text: &str| {
        value(
            text,
            "batch_job_runs_total",
            &[JOB, ("action_type", "restock"), ("instance", "")],
        )
    };
    let queries = |text: &str, action: &str| {
        value(
            text,
            "database_queries_total",
            &[JOB, ("action_type", action)],
        )
    };
    let outcome = |text: &str, outcome: &str| {
        value(
            text,
            "batch_job_duration_seconds_count",
            &[JOB, ("function", "restock"), ("outcome", outcome)],
        )
    };
    assert_eq!(runs(&text), 1.0);
    assert_eq!(queries(&text, "sold_out_items"), 1.0);
    assert_eq!(queries(&text, "restock_item"), 0.0);
    assert_eq!((outcome(&text, "ok"), outcome(&text, "error")), (1.0, 0.0));
    let first_push = value(&text, "push_time_seconds", &[JOB]);
    assert!(first_push > 0.0);

    // Prometheus scrapes the gateway with honor_labels: the series keep
    // the pushed job, with no `exported_job` beside it.
    let seen = eventually(
        Duration::from_secs(30),
        "Prometheus scrapes the first run from the gateway",
        || async {
            let got = query(&prometheus, r#"batch_job_runs_total{job="webapp_restock"}"#).await;
            (got.len() == 1).then(|| got[0].clone())
        },
    )
    .await;
    assert_eq!(seen.1, 1.0);
    assert!(!seen.0.contains_key("exported_job"), "{:?}", seen.0);
    assert_eq!(seen.0["action_type"], "restock");

    // A day of sales, then the second night: two items sold out.
    sell_out(&db, &["Paper lantern", "Matcha whisk"]);
    let printed = succeeded(&restock(&["--push", &gateway.url, "--db", &db_arg]));
    assert!(
        printed.starts_with("restocked 2 items to 100: Matcha whisk, Paper lantern"),
        "{printed}"
    );
    assert_eq!(stock(&db, "Paper lantern"), 100);
    assert_eq!(stock(&db, "Matcha whisk"), 100);

    // The group holds the second run alone: one run, not two.
    let text = gateway.metrics().await;
    assert_eq!(runs(&text), 1.0);
    assert_eq!(queries(&text, "sold_out_items"), 1.0);
    assert_eq!(queries(&text, "restock_item"), 2.0);
    assert_eq!(outcome(&text, "ok"), 1.0);
    assert!(value(&text, "push_time_seconds", &[JOB]) > first_push);

    eventually(
        Duration::from_secs(30),
        "Prometheus sees the second run, replacing the first",
        || async {
            let restocked = query(
                &prometheus,
                r#"database_queries_total{job="webapp_restock",action_type="restock_item"}"#,
            )
            .await;
            let runs = query(&prometheus, r#"batch_job_runs_total{job="webapp_restock"}"#).await;
            (restocked.first().map(|s| s.1) == Some(2.0) && runs.len() == 1)
                .then(|| assert_eq!(runs[0].1, 1.0, "runs were added up"))
        },
    )
    .await;

    // No push for longer than the 5 s age: the generated alert fires,
    // labeled with the job.
    let alert = eventually(
        Duration::from_secs(30),
        "WebappBatchJobStale fires in Prometheus",
        || async {
            let alerts = query(
                &prometheus,
                r#"ALERTS{alertname="WebappBatchJobStale",alertstate="firing"}"#,
            )
            .await;
            alerts.into_iter().next()
        },
    )
    .await;
    assert_eq!(alert.0["job"], "webapp_restock");
    assert_eq!(alert.0["severity"], "warning");
}

/// A run that fails, here on a database it cannot open, still pushes:
/// one run, with outcome `error`, and the job exits with the failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_restock_records_error_and_still_pushes() {
    let gateway = Gateway::start(&[]).await;
    let output = restock(&[
        "--push",
        &gateway.url,
        "--db",
        "/nonexistent/folder/shop.sqlite3",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("restock failed: database error"),
        "{stderr}"
    );

    let text = gateway.metrics().await;
    let count = |outcome: &str| {
        value(
            &text,
            "batch_job_duration_seconds_count",
            &[JOB, ("function", "restock"), ("outcome", outcome)],
        )
    };
    assert_eq!(
        (count("ok"), count("error"), count("panic")),
        (0.0, 1.0, 0.0)
    );
    assert_eq!(
        value(
            &text,
            "batch_job_runs_total",
            &[JOB, ("action_type", "restock")]
        ),
        1.0
    );
    // The job never reached its queries.
    assert_eq!(
        value(
            &text,
            "database_queries_total",
            &[JOB, ("action_type", "sold_out_items")]
        ),
        0.0
    );
}

/// Nothing listening: the job fails after its bounded tries, within its
/// timeout, saying where it pushed. A gateway that takes the connection
/// and never answers: the push gives up at the timeout, not later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_gateway_is_an_error_within_the_timeout() {
    let dead = format!("http://127.0.0.1:{}", free_port());
    let dir = TempDir::new("push-dead");
    let db = dir.0.join("shop.sqlite3");
    let started = Instant::now();
    let output = restock(&[
        "--push",
        &dead,
        "--push-timeout",
        "3s",
        "--db",
        &db.to_string_lossy(),
    ]);
    let took = started.elapsed();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let want =
        format!("cannot reach the Pushgateway at {dead}/metrics/job/webapp_restock (3 tries)");
    assert!(stderr.contains(&want), "{stderr}");
    // Two waits, 0.5 s and 1 s, between three tries.
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(took >= Duration::from_millis(1500), "took {took:?}");

    // Accepts connections (the kernel does, into the backlog) and never
    // answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let timeout = Duration::from_secs(2);
    let started = Instant::now();
    let error = Pushgateway::new(&url, "silent")
        .timeout(timeout)
        .push()
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error,
        PushError::TimedOut {
            url: format!("{url}/metrics/job/silent"),
            timeout
        }
    );
    assert!(
        took >= timeout && took < timeout + Duration::from_secs(1),
        "took {took:?}"
    );
}

#[bizmetrics::business_metric(action = "replace_check")]
fn replace_check() {}

/// PUT replaces the whole group, so a family the next push lacks is
/// gone; POST replaces only the families it holds. Grouping values with
/// a `/`, or empty, arrive as given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_replaces_the_group_and_post_only_its_families() {
    let gateway = Gateway::start(&[]).await;
    replace_check();
    let extra =
        prometheus::IntGauge::new("push_test_extra", "Pushed once, then unregistered.").unwrap();
    extra.set(7);
    let registry = bizmetrics::registry();
    let push = |method: PushMethod| {
        Pushgateway::new(&gateway.url, "replace")
            .grouping("path", "/var/tmp")
            .grouping("shard", "")
            .method(method)
            .push()
            .unwrap();
    };
    // The empty value is part of the group's key: the gateway shows it.
    let group = [("job", "replace"), ("path", "/var/tmp"), ("shard", "")];

    registry.register(Box::new(extra.clone())).unwrap();
    push(PushMethod::Put);
    registry.unregister(Box::new(extra.clone())).unwrap();
    let text = gateway.metrics().await;
    assert_eq!(value(&text, "push_test_extra", &group), 7.0);
    let action = [
        ("action_type", "replace_check"),
        group[0],
        group[1],
        group[2],
    ];
    assert_eq!(value(&text, "user_actions_total", &action), 1.0);

    push(PushMethod::Post);
    let text = gateway.metrics().await;
    assert!(
        has(&text, "push_test_extra", &group),
        "POST kept the family"
    );

    push(PushMethod::Put);
    let text = gateway.metrics().await;
    assert!(!has(&text, "push_test_extra", &group), "PUT removed it");
    assert!(has(&text, "user_actions_total", &group));

    // And the group can be deleted, since the gateway never forgets it.
    Pushgateway::new(&gateway.url, "replace")
        .grouping("path", "/var/tmp")
        .grouping("shard", "")
        .delete()
        .unwrap();
    let text = gateway.metrics().await;
    assert!(!has(&text, "user_actions_total", &group), "deleted");
}

#[bizmetrics::timed]
fn job_that_panics() {
    panic!("the feed is gone");
}

/// A job that panics: its `#[timed]` records `panic` as the panic leaves
/// it, and the guard, made outside it, pushes that as the panic goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_pushes_when_the_job_panics() {
    let gateway = Gateway::start(&[]).await;
    let url = gateway.url.clone();
    let unwound = std::thread::spawn(move || {
        let _guard = Pushgateway::new(&url, "panicking").guard();
        job_that_panics();
    })
    .join();
    assert!(unwound.is_err(), "the panic went on");

    let text = gateway.metrics().await;
    let want = |outcome| {
        [
            ("job", "panicking"),
            ("function", "job_that_panics"),
            ("outcome", outcome),
        ]
    };
    assert_eq!(
        value(&text, "function_duration_seconds_count", &want("panic")),
        1.0
    );
    assert_eq!(
        value(&text, "function_duration_seconds_count", &want("ok")),
        0.0
    );
}

/// bcrypt of `gateway-secret`, cost 4 (`crypt.crypt` of Python's `crypt`
/// module with `METHOD_BLOWFISH`), for the gateway's `--web.config.file`.
const PASSWORD_HASH: &str = "$2b$04$EQgu4tuN0ewv1PNHwBYbw.ReeHmAWPluIfHrT/R3McTBjpELAQTvW";

/// A gateway behind basic auth: the password from a file is let in, a
/// wrong one is refused with the gateway's 401, at once and not retried,
/// and a missing file is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_auth_from_a_file_and_a_refusal() {
    let dir = TempDir::new("push-auth");
    let path = |name: &str| dir.0.join(name);
    std::fs::write(
        path("web.yml"),
        format!("basic_auth_users:\n  pusher: {PASSWORD_HASH}\n"),
    )
    .unwrap();
    std::fs::write(path("right"), "gateway-secret\n").unwrap();
    std::fs::write(path("wrong"), "guess").unwrap();
    let gateway =
        Gateway::start(&[format!("--web.config.file={}", path("web.yml").display())]).await;
    let to = |password: &str| {
        Pushgateway::new(&gateway.url, "guarded").basic_auth("pusher", path(password))
    };

    to("right").push().unwrap();
    let text = metrics_as(&gateway.url, Some(("pusher", "gateway-secret"))).await;
    assert!(has(&text, "push_time_seconds", &[("job", "guarded")]));

    let started = Instant::now();
    let error = to("wrong").push().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "a 401 is not retried"
    );
    match &error {
        PushError::Refused { url, status, .. } => {
            assert_eq!(
                (url.as_str(), *status),
                (format!("{}/metrics/job/guarded", gateway.url).as_str(), 401)
            );
        }
        other => panic!("not a refusal: {other:?}"),
    }
    assert!(error.to_string().contains("answered 401"), "{error}");

    let error = to("missing").push().unwrap_err();
    assert!(matches!(error, PushError::Credentials { .. }), "{error:?}");
    assert!(error.to_string().contains("missing"), "{error}");
}
