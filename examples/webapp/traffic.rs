//! `webapp traffic`: shoppers walking the funnel against a running instance,
//! so that dashboards and funnels show something real.
//!
//! Each session picks a profile, searches, and drops off at each step with
//! a probability that depends on its device: desktop converts best.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

struct Options {
    target: String,
    rate: f64,
    duration: Duration,
}

/// Requests sent, and how many did not get a 2xx.
#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    failed: AtomicU64,
}

pub async fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let options = parse(args)?;
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let tally = Arc::new(Tally::default());
    println!(
        "sending {} sessions per second to {} for {:?}",
        options.rate, options.target, options.duration
    );

    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate));
    let deadline = Instant::now() + options.duration;
    let mut sessions = tokio::task::JoinSet::new();
    while Instant::now() < deadline {
        ticks.tick().await;
        let (client, target, tally) = (client.clone(), options.target.clone(), tally.clone());
        sessions.spawn(async move { session(&client, &target, &tally).await });
    }
    while sessions.join_next().await.is_some() {}

    println!(
        "sent {} requests, {} not successful (failed purchases are expected)",
        tally.sent.load(Relaxed),
        tally.failed.load(Relaxed)
    );
    Ok(())
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        target: "http://127.0.0.1:3000".into(),
        rate: 10.0,
        duration: Duration::from_mins(1),
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--target" => options.target = value.trim_end_matches('/').into(),
            "--rate" => {
                options.rate = value
                    .parse()
                    .ok()
                    .filter(|rate: &f64| *rate > 0.0)
                    .ok_or_else(|| format!("--rate must be a positive number, not {value}"))?;
            }
            "--duration" => options.duration = crate::duration(flag, value)?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(options)
}

/// One shopper's visit.
async fn session(client: &HttpClient, target: &str, tally: &Tally) {
    let device = pick(&[("mobile", 55), ("desktop", 35), ("tablet", 10)]);
    let profile = format!(
        "device={device}&age_group={}&gender={}&region={}",
        pick(&[
            ("under_25", 25),
            ("25_34", 30),
            ("35_54", 30),
            ("55_plus", 15)
        ]),
        pick(&[("female", 48), ("male", 48), ("other", 4)]),
        pick(&[
            ("hokkaido", 10),
            ("kanto", 45),
            ("kansai", 30),
            ("kyushu", 15)
        ]),
    );
    // Drop-off per step, by device: desktop converts best.
    let (to_cart, to_purchase) = match device {
        "desktop" => (0.5, 0.7),
        "tablet" => (0.4, 0.6),
        _ => (0.3, 0.5),
    };

    if fastrand::f64() < 0.3 {
        send(
            client,
            tally,
            Method::GET,
            &format!("{target}/companies?{profile}"),
            None,
        )
        .await;
    }
    let words = ["tea", "bowl", "bag", "towel", "lantern", "cup", "kettle"];
    let word = words[fastrand::usize(..words.len())];
    send(
        client,
        tally,
        Method::GET,
        &format!("{target}/search?q={word}&{profile}"),
        None,
    )
    .await;
    if fastrand::f64() >= 0.7 {
        return;
    }
    let item = fastrand::i64(1..=12);
    send(
        client,
        tally,
        Method::GET,
        &format!("{target}/items/{item}?{profile}"),
        None,
    )
    .await;
    if fastrand::f64() >= to_cart {
        return;
    }
    let body = serde_json::json!({ "item_id": item, "quantity": fastrand::i64(1..=3) });
    let Some(cart) = send(
        client,
        tally,
        Method::POST,
        &format!("{target}/cart?{profile}"),
        Some(body),
    )
    .await
    else {
        return;
    };
    if fastrand::f64() >= to_purchase {
        return;
    }
    let body = serde_json::json!({ "cart_id": cart["cart_id"] });
    send(
        client,
        tally,
        Method::POST,
        &format!("{target}/purchase?{profile}"),
        Some(body),
    )
    .await;
}

/// A weighted random choice.
fn pick(weighted: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = weighted.iter().map(|&(_, weight)| weight).sum();
    let mut roll = fastrand::u32(..total);
    for &(value, weight) in weighted {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    weighted[0].0
}

/// Sends one request; returns the JSON body of a 2xx answer.
async fn send(
    client: &HttpClient,
    tally: &Tally,
    method: Method,
    url: &str,
    body: Option<serde_json::Value>,
) -> Option<serde_json::Value> {
    tally.sent.fetch_add(1, Relaxed);
    let body = body
        .map(|json| Bytes::from(json.to_string()))
        .unwrap_or_default();
    let request = Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(body))
        .ok()?;
    let answer = async {
        let response = client.request(request).await.ok()?;
        let ok = response.status().is_success();
        let bytes = response.into_body().collect().await.ok()?.to_bytes();
        ok.then(|| serde_json::from_slice(&bytes).ok()).flatten()
    };
    let json = answer.await;
    if json.is_none() {
        tally.failed.fetch_add(1, Relaxed);
    }
    json
}
