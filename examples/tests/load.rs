//! Load: concurrent shoppers against the real app for 15 seconds, with a
//! scrape every 100 ms. Nothing may fail, and `/metrics` must account for
//! every request exactly. Prints the request rate and p99.

#![allow(clippy::float_cmp)] // counts are whole numbers, exact in f64

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{call, get, sample, url, App, Pairs};

const SHOPPERS: usize = 16;
const SECONDS: u64 = 15;
const PROFILE: Pairs<'_> = &[
    ("device", "tablet"),
    ("age_group", "35_54"),
    ("gender", "other"),
    ("region", "kyushu"),
];

/// What the client sent: per (method, route) the count, all answered 200.
type Sent = BTreeMap<(&'static str, &'static str), u64>;

async fn shopper(base: String, stop: Arc<AtomicBool>) -> (Sent, Vec<Duration>, Vec<String>) {
    let (mut sent, mut latencies, mut failures) = (Sent::new(), Vec::new(), Vec::new());
    let mut visit = 0_u64;
    while !stop.load(Ordering::Relaxed) {
        visit += 1;
        // The funnel, with purchases of plentiful items only, so that every
        // request should succeed.
        let item = 7 + visit % 2;
        let (method, route, url, body) = match visit % 5 {
            0 => (
                "GET",
                "/companies",
                url(&base, "/companies", &[PROFILE]),
                None,
            ),
            1 => (
                "GET",
                "/search",
                url(&base, "/search", &[&[("q", "tea")], PROFILE]),
                None,
            ),
            2 => (
                "GET",
                "/items/{id}",
                url(&base, &format!("/items/{item}"), &[PROFILE]),
                None,
            ),
            3 => (
                "POST",
                "/cart",
                url(&base, "/cart", &[PROFILE]),
                Some(format!(r#"{{"item_id":{item}}}"#)),
            ),
            _ => ("GET", "/health", format!("{base}/health"), None),
        };
        let start = Instant::now();
        let method_value = if method == "GET" {
            Method::GET
        } else {
            Method::POST
        };
        let (status, text) = call(method_value, &url, body.as_deref()).await;
        latencies.push(start.elapsed());
        *sent.entry((method, route)).or_default() += 1;
        if status != StatusCode::OK {
            failures.push(format!("{method} {url}: {status} {text}"));
        }
        if route == "/cart" && status == StatusCode::OK {
            // Complete the purchase for the cart just filled.
            let cart: serde_json::Value = serde_json::from_str(&text).unwrap();
            let body = format!(r#"{{"cart_id":{}}}"#, cart["cart_id"]);
            let start = Instant::now();
            let (status, text) = call(
                Method::POST,
                &common::url(&base, "/purchase", &[PROFILE]),
                Some(&body),
            )
            .await;
            latencies.push(start.elapsed());
            *sent.entry(("POST", "/purchase")).or_default() += 1;
            if status != StatusCode::OK {
                failures.push(format!("POST /purchase: {status} {text}"));
            }
        }
    }
    (sent, latencies, failures)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_load_nothing_fails_and_every_request_is_counted() {
    let app = App::start(&[]);
    let stop = Arc::new(AtomicBool::new(false));

    let scrape_failures = Arc::new(Mutex::new(Vec::new()));
    let scrape_task = {
        let (metrics, stop, failures) =
            (app.metrics.clone(), stop.clone(), scrape_failures.clone());
        tokio::spawn(async move {
            let mut scrapes = 0_u64;
            let mut ticks = tokio::time::interval(Duration::from_millis(100));
            while !stop.load(Ordering::Relaxed) {
                ticks.tick().await;
                let (status, text) = get(&metrics).await;
                scrapes += 1;
                if status != StatusCode::OK || !text.contains("# TYPE user_actions_total counter") {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("scrape {scrapes}: {status}"));
                }
            }
            scrapes
        })
    };
    let shoppers: Vec<_> = (0..SHOPPERS)
        .map(|_| tokio::spawn(shopper(app.base.clone(), stop.clone())))
        .collect();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(SECONDS)).await;
    stop.store(true, Ordering::Relaxed);

    let (mut sent, mut latencies, mut failures) = (Sent::new(), Vec::new(), Vec::new());
    for shopper in shoppers {
        let (s, l, f) = shopper.await.unwrap();
        for (route, count) in s {
            *sent.entry(route).or_default() += count;
        }
        latencies.extend(l);
        failures.extend(f);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let scrapes = scrape_task.await.unwrap();

    latencies.sort();
    let total: u64 = sent.values().sum();
    let p99 = latencies[latencies.len() * 99 / 100];
    #[allow(clippy::cast_precision_loss)]
    let rate = total as f64 / elapsed;
    println!(
        "{total} requests in {elapsed:.1} s: {rate:.0} requests/s, p99 {p99:?}, {scrapes} scrapes"
    );

    assert!(
        failures.is_empty(),
        "{} failed requests, first: {:?}",
        failures.len(),
        failures.first()
    );
    let scrape_failures = std::mem::take(&mut *scrape_failures.lock().unwrap());
    assert!(
        scrape_failures.is_empty(),
        "failed scrapes: {scrape_failures:?}"
    );

    let text = get(&app.metrics).await.1;
    for ((method, route), count) in &sent {
        let series = format!(
            r#"http_requests_total{{method="{method}",route="{route}",status_code="200"}}"#
        );
        #[allow(clippy::cast_precision_loss)]
        let expected = *count as f64;
        assert_eq!(sample(&text, &series), expected, "{series}");
    }
    #[allow(clippy::cast_precision_loss)]
    let counted_scrapes = scrapes as f64;
    assert_eq!(
        sample(
            &text,
            r#"http_requests_total{method="GET",route="/metrics",status_code="200"}"#
        ),
        counted_scrapes,
        "every scrape but this last one is counted"
    );
    let actions = |action: &str, endpoint: &str| {
        sample(
            &text,
            &format!(
                r#"user_actions_total{{action_type="{action}",age_group="35_54",device="tablet",endpoint="{endpoint}",gender="other",region="kyushu"}}"#
            ),
        )
    };
    #[allow(clippy::cast_precision_loss)]
    let count = |method, route| sent[&(method, route)] as f64;
    assert_eq!(
        actions("list_companies", "/companies"),
        count("GET", "/companies")
    );
    assert_eq!(actions("search", "/search"), count("GET", "/search"));
    assert_eq!(actions("add_to_cart", "/cart"), count("POST", "/cart"));
    assert_eq!(actions("purchase", "/purchase"), count("POST", "/purchase"));
    assert_eq!(sample(&text, "health_check_status"), 1.0);
}
