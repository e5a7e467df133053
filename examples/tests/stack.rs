//! End to end on the real thing: three replicas of the example app, a
//! Prometheus (Debian's `prometheus`) scraping them every second with the
//! generated rules, and an Alertmanager (`prometheus-alertmanager`)
//! routing to a Slack-compatible webhook that this test runs. All on
//! loopback; everything started here is stopped on the way out.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp, clippy::cast_precision_loss)]

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use common::prometheus::{eventually, query};
use common::stack::Stack;
use common::{get, post, url, App, Pairs, MOBILE};
use serde_json::Value;

const DESKTOP: Pairs<'_> = &[
    ("device", "desktop"),
    ("age_group", "35_54"),
    ("gender", "male"),
    ("region", "kansai"),
];

/// What the shoppers sent, by action, over all replicas.
#[derive(Default)]
struct Sent {
    by_action: Mutex<BTreeMap<&'static str, u64>>,
    rounds: AtomicU64,
}

impl Sent {
    fn add(&self, action: &'static str) {
        *self.by_action.lock().unwrap().entry(action).or_default() += 1;
    }
}

/// One round on one replica: search → view → cart → purchase on mobile,
/// a shorter path on desktop, and a company listing. Every action but
/// `sales_report` stays busy; `sales_report` goes quiet.
async fn round(base: &str, sent: &Sent) {
    let ok = |(status, body): (StatusCode, String)| {
        assert!(status.is_success(), "{status}: {body}");
        body
    };
    for profile in [MOBILE, MOBILE, DESKTOP, DESKTOP] {
        ok(get(&url(base, "/search", &[&[("q", "a")], profile])).await);
        sent.add("search");
    }
    for profile in [MOBILE, MOBILE, DESKTOP] {
        ok(get(&url(base, "/items/8", &[profile])).await);
        sent.add("view_item");
    }
    let mut carts = Vec::new();
    for profile in [MOBILE, DESKTOP] {
        let cart: Value = serde_json::from_str(&ok(post(
            &url(base, "/cart", &[profile]),
            r#"{"item_id": 8}"#,
        )
        .await))
        .unwrap();
        carts.push(cart["cart_id"].as_i64().unwrap());
        sent.add("add_to_cart");
    }
    ok(post(
        &url(base, "/purchase", &[MOBILE]),
        &format!(r#"{{"cart_id": {}}}"#, carts[0]),
    )
    .await);
    sent.add("purchase");
    ok(get(&url(base, "/companies", &[MOBILE])).await);
    sent.add("list_companies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one story, from start to stop
async fn three_replicas_prometheus_alertmanager_and_a_webhook() {
    let replicas: Vec<App> = (0..3).map(|_| App::start(&[])).collect();
    let targets: Vec<String> = replicas
        .iter()
        .map(|app| app.base.trim_start_matches("http://").to_owned())
        .collect();

    // The generated files, with test-only timing: 1 s scrapes, and the
    // low-activity alert over 20 s, firing after 10 s.
    let stack = Stack::start(
        &targets,
        &[
            "--scrape-interval",
            "1s",
            "--conversion-window",
            "10m",
            "--alert-window",
            "20s",
            "--alert-for",
            "10s",
        ],
    )
    .await;
    let prometheus = stack.prometheus.clone();

    // Every replica scraped at least once, so every series has its zero.
    eventually(
        Duration::from_secs(30),
        "Prometheus scrapes all three replicas",
        || async {
            let up = query(&prometheus, r#"up{job="webapp"}"#).await;
            (up.len() == 3 && up.iter().all(|(_, value)| *value == 1.0)).then_some(())
        },
    )
    .await;

    // Shoppers on every replica, in whole rounds, until the alert arrives.
    let sent = Arc::new(Sent::default());
    let stop = Arc::new(AtomicBool::new(false));
    let shoppers = {
        let (sent, stop) = (sent.clone(), stop.clone());
        let bases: Vec<String> = replicas.iter().map(|app| app.base.clone()).collect();
        tokio::spawn(async move {
            while !stop.load(Relaxed) {
                for base in &bases {
                    round(base, &sent).await;
                }
                sent.rounds.fetch_add(1, Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    // `sales_report` has been quiet from the start: its alert reaches the
    // webhook with the rule's labels and annotations, and no busy action.
    let text = stack
        .message("[FIRING] WebappLowUserActivity", Duration::from_secs(90))
        .await;
    for line in [
        "*Low user activity detected on webapp*",
        "User activity is unusually low. Less than 10 requests in the past 20 seconds.",
        "• alertname: `WebappLowUserActivity`",
        "• action_type: `sales_report`",
        "• endpoint: `/report`",
        "• severity: `warning`",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }
    for busy in [
        "search",
        "view_item",
        "add_to_cart",
        "purchase",
        "list_companies",
    ] {
        assert!(
            !text.contains(&format!("action_type: `{busy}`")),
            "{busy} was busy, yet alerted:\n{text}"
        );
    }

    stop.store(true, Relaxed);
    shoppers.await.unwrap();
    let sent_by_action = sent.by_action.lock().unwrap().clone();
    let total: u64 = sent_by_action.values().sum();
    assert!(sent.rounds.load(Relaxed) > 0);

    // Summed over the three instances, every action is counted once.
    eventually(
        Duration::from_secs(20),
        "Prometheus sees every action sent",
        || async {
            let sum = query(&prometheus, "sum(user_actions_total)").await;
            (sum.first().map(|(_, v)| *v) == Some(total as f64)).then_some(())
        },
    )
    .await;
    let by_action = query(&prometheus, "sum by (action_type) (user_actions_total)").await;
    for (labels, value) in &by_action {
        let action = labels["action_type"].as_str();
        let want = sent_by_action.get(action).copied().unwrap_or(0);
        assert_eq!(*value, want as f64, "{action}");
    }
    let per_instance = query(&prometheus, "sum by (instance) (user_actions_total)").await;
    assert_eq!(per_instance.len(), 3);
    assert!(per_instance.iter().all(|(_, v)| *v == total as f64 / 3.0));

    // Each replica got whole rounds: 4 searches, 3 views, 2 carts and 1
    // purchase, so the conversion rules give these ratios exactly.
    let conversions = [
        (
            "funnel:conversion:ratio_rate10m",
            "",
            vec![
                ("search", "view_item", 0.75),
                ("view_item", "add_to_cart", 2.0 / 3.0),
                ("add_to_cart", "purchase", 0.5),
                ("search", "purchase", 0.25),
            ],
        ),
        (
            "funnel_device:conversion:ratio_rate10m",
            "mobile",
            vec![
                ("search", "view_item", 1.0),
                ("view_item", "add_to_cart", 0.5),
                ("add_to_cart", "purchase", 1.0),
                ("search", "purchase", 0.5),
            ],
        ),
        (
            "funnel_device:conversion:ratio_rate10m",
            "desktop",
            vec![
                ("search", "view_item", 0.5),
                ("view_item", "add_to_cart", 1.0),
                ("add_to_cart", "purchase", 0.0),
                ("search", "purchase", 0.0),
            ],
        ),
    ];
    for (rule, device, ratios) in conversions {
        for (from, to, want) in ratios {
            let device_matcher = if device.is_empty() {
                String::new()
            } else {
                format!(r#",device="{device}""#)
            };
            let promql =
                format!(r#"{rule}{{funnel="purchase",from="{from}",to="{to}"{device_matcher}}}"#);
            let what = format!("{promql} = {want}");
            eventually(Duration::from_secs(20), &what, || async {
                let got = query(&prometheus, &promql).await;
                got.first()
                    .filter(|(_, v)| (v - want).abs() < 1e-9)
                    .map(|_| ())
            })
            .await;
        }
    }

    // Every query of every generated panel returns data, with Grafana's
    // variables as "All" and the dashboard's range as 5 minutes.
    let dashboard: Value =
        serde_json::from_str(&stack.file("grafana/dashboards/webapp.json")).unwrap();
    let mut checked = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap();
            let promql = expr.replace("$device", ".*").replace("$__range", "5m");
            let result = query(&prometheus, &promql).await;
            assert!(
                !result.is_empty(),
                "panel `{}`: `{expr}` returned no data",
                panel["title"]
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} panel queries");
}
