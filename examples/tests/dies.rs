//! When the app dies: SIGTERM with a real Prometheus (Debian's
//! `prometheus`) scraping, so that its last count equals the requests
//! sent; a second signal; a grace period with no scrape; and the down
//! alert through a real Alertmanager to a webhook, holding back the
//! low-activity alerts. All on loopback.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp, clippy::cast_precision_loss)]

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::prometheus::{eventually, query};
use common::stack::Stack;
use common::{get, try_call, App};
use serde_json::Value;

/// Requests sent to `/companies` before SIGTERM.
const REQUESTS: u32 = 7;

/// What Prometheus holds last for `list_companies` after `REQUESTS`
/// requests and a SIGTERM right after them, with the app started with
/// `args` and scraped every second.
async fn last_count_after_sigterm(args: &[&str]) -> f64 {
    let mut app = App::start(args);
    let target = app
        .metrics
        .trim_start_matches("http://")
        .trim_end_matches("/metrics")
        .to_owned();
    let stack = Stack::start(&[target], &["--scrape-interval", "1s"]).await;
    eventually(
        Duration::from_secs(30),
        "Prometheus scrapes the app",
        || async {
            let up = query(&stack.prometheus, "up").await;
            (up.first().map(|(_, v)| *v) == Some(1.0)).then_some(())
        },
    )
    .await;

    for _ in 0..REQUESTS {
        let (status, body) = get(&format!("{}/companies", app.base)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    app.signal("TERM");
    let (status, printed) = app
        .wait(Duration::from_secs(15))
        .expect("webapp stops within 15 s of SIGTERM while scraped every second");
    assert!(status.success(), "webapp exited with {status}");
    assert_eq!(printed, ["webapp stopped"]);

    // Two scrape intervals for the last sample to land; range selectors
    // skip the stale marker that follows it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let last = query(
        &stack.prometheus,
        r#"sum(last_over_time(user_actions_total{action_type="list_companies"}[10m]))"#,
    )
    .await;
    last.first().map_or(0.0, |(_, value)| *value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_loses_no_count_with_metrics_on_the_app_port() {
    assert_eq!(last_count_after_sigterm(&[]).await, f64::from(REQUESTS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_loses_no_count_with_metrics_on_their_own_port() {
    let last = last_count_after_sigterm(&["--metrics-addr", "127.0.0.1:0"]).await;
    assert_eq!(last, f64::from(REQUESTS));
}

/// The figures in RELIABILITY.md: `cargo test -p bizmetrics-examples
/// --test dies -- --ignored --nocapture`. A grace of 0 s is a plain
/// graceful shutdown, with no wait for a scrape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, about a minute: run it for the table"]
async fn loss_with_and_without_the_final_scrape() {
    const RUNS: u32 = 5;
    for (what, args) in [
        ("--shutdown-grace 0s", &["--shutdown-grace", "0s"][..]),
        ("default grace", &[][..]),
    ] {
        let mut lost = Vec::new();
        for _ in 0..RUNS {
            lost.push(f64::from(REQUESTS) - last_count_after_sigterm(args).await);
        }
        println!("{what}: of {REQUESTS} requests per run, lost {lost:?}");
        if args.is_empty() {
            assert!(
                lost.iter().all(|&l| l == 0.0),
                "the final scrape lost {lost:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sigterm_exits_at_once() {
    let mut app = App::start(&[]);
    app.signal("TERM");
    app.draining().await;
    let (status, _) = get(&format!("{}/companies", app.base)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    // No scrape comes: the app waits out its 20 s grace.
    assert!(
        app.wait(Duration::from_secs(1)).is_none(),
        "webapp stopped with no final scrape"
    );
    app.signal("TERM");
    let (status, _) = app
        .wait(Duration::from_secs(2))
        .expect("a second SIGTERM stops webapp at once");
    assert_eq!(status.code(), Some(143), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_grace_period_ends_the_wait_when_no_scrape_comes() {
    let mut app = App::start(&["--shutdown-grace", "2s"]);
    let signalled = Instant::now();
    app.signal("TERM");
    app.draining().await;
    let (status, printed) = app
        .wait(Duration::from_secs(10))
        .expect("webapp stops once its grace period has passed");
    let waited = signalled.elapsed();
    assert!(status.success(), "{status}");
    assert_eq!(printed, ["webapp stopped"]);
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(5),
        "stopped {waited:?} after SIGTERM, with a grace of 2 s"
    );
}

/// Prometheus scrapes every second; alerts look 20 s back and fire after
/// 3 s. The app, idle, raises the low-activity alerts; once it is gone,
/// `WebappDown` reaches the webhook with `severity: page`, and Alertmanager
/// holds the low-activity alerts back while they still fire.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_down_alert_pages_alone() {
    let app = App::start(&[]);
    let target = app.base.trim_start_matches("http://").to_owned();
    let stack = Stack::start(
        std::slice::from_ref(&target),
        &[
            "--scrape-interval",
            "1s",
            "--alert-window",
            "20s",
            "--alert-for",
            "3s",
        ],
    )
    .await;
    stack
        .message("[FIRING] WebappLowUserActivity", Duration::from_secs(45))
        .await;

    drop(app); // SIGKILL: no final scrape, as a crash
    let text = stack
        .message("[FIRING] WebappDown", Duration::from_secs(30))
        .await;
    for line in [
        "*webapp is down*",
        "• alertname: `WebappDown`",
        &format!("• instance: `{target}`"),
        "• job: `webapp`",
        "• severity: `page`",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }

    // The low-activity alerts still fire in Prometheus, over samples from
    // before the app died, and Alertmanager holds them back.
    let alerts = format!("{}/api/v2/alerts", stack.alertmanager);
    eventually(
        Duration::from_secs(10),
        "Alertmanager inhibits WebappLowUserActivity while WebappDown fires",
        || async {
            let firing = query(
                &stack.prometheus,
                r#"ALERTS{alertname="WebappLowUserActivity",alertstate="firing"}"#,
            )
            .await;
            let (status, body) = try_call(axum::http::Method::GET, &alerts, None)
                .await
                .ok()?;
            assert_eq!(status, StatusCode::OK, "{body}");
            let alerts: Vec<Value> = serde_json::from_str(&body).unwrap();
            let low: Vec<&Value> = alerts
                .iter()
                .filter(|a| a["labels"]["alertname"] == "WebappLowUserActivity")
                .collect();
            let inhibited = low.iter().all(|a| {
                a["status"]["state"] == "suppressed"
                    && !a["status"]["inhibitedBy"].as_array().unwrap().is_empty()
            });
            (!firing.is_empty() && !low.is_empty() && inhibited).then_some(())
        },
    )
    .await;
}
