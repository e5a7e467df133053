//! `webapp traffic`: shoppers walking the funnel against a running instance,
//! so that dashboards and funnels show something real.
//!
//! Each session picks a profile, searches, and drops off at each step with
//! a probability that depends on its device: desktop converts best.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Client, RequestBuilder};

/// The flags of `webapp traffic`.
#[derive(clap::Args)]
pub struct Args {
    /// The running webapp to send shoppers to
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:3000")]
    target: String,

    /// New shopping sessions per second
    #[arg(long, value_name = "PER_SECOND", default_value = "10", value_parser = positive_rate)]
    rate: f64,

    /// How long to send for, such as 60s, 2m or 1h
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "60s",
        value_parser = humantime::parse_duration
    )]
    duration: Duration,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    text.parse()
        .ok()
        .filter(|rate: &f64| *rate > 0.0 && rate.is_finite())
        .ok_or_else(|| format!("must be a positive number, not {text}"))
}

/// Requests sent, and how many did not get a 2xx.
#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    failed: AtomicU64,
}

pub async fn run(options: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Without a trailing slash, so that paths can follow it.
    let target = options.target.trim_end_matches('/').to_owned();
    // Straight to the target, as a browser on the same network would go:
    // no proxy from the environment.
    let client = Client::builder().no_proxy().build()?;
    let tally = Arc::new(Tally::default());
    println!(
        "sending {} sessions per second to {} for {:?}",
        options.rate, target, options.duration
    );

    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate));
    let deadline = Instant::now() + options.duration;
    let mut sessions = tokio::task::JoinSet::new();
    while Instant::now() < deadline {
        ticks.tick().await;
        let (client, target, tally) = (client.clone(), target.clone(), tally.clone());
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

/// One shopper's visit.
async fn session(client: &Client, target: &str, tally: &Tally) {
    let device = pick(&[("mobile", 55), ("desktop", 35), ("tablet", 10)]);
    let profile = [
        ("device", device),
        (
            "age_group",
            pick(&[
                ("under_25", 25),
                ("25_34", 30),
                ("35_54", 30),
                ("55_plus", 15),
            ]),
        ),
        (
            "gender",
            pick(&[("female", 48), ("male", 48), ("other", 4)]),
        ),
        (
            "region",
            pick(&[
                ("hokkaido", 10),
                ("kanto", 45),
                ("kansai", 30),
                ("kyushu", 15),
            ]),
        ),
    ];
    // Every request carries the shopper's profile as query parameters.
    let get = |path: &str| client.get(format!("{target}{path}")).query(&profile);
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{target}{path}"))
            .query(&profile)
            .json(&body)
    };
    // Drop-off per step, by device: desktop converts best.
    let (to_cart, to_purchase) = match device {
        "desktop" => (0.5, 0.7),
        "tablet" => (0.4, 0.6),
        _ => (0.3, 0.5),
    };

    if fastrand::f64() < 0.3 {
        send(tally, get("/companies")).await;
    }
    let words = ["tea", "bowl", "bag", "towel", "lantern", "cup", "kettle"];
    let word = words[fastrand::usize(..words.len())];
    send(tally, get("/search").query(&[("q", word)])).await;
    if fastrand::f64() >= 0.7 {
        return;
    }
    let item = fastrand::i64(1..=12);
    send(tally, get(&format!("/items/{item}"))).await;
    if fastrand::f64() >= to_cart {
        return;
    }
    let body = serde_json::json!({ "item_id": item, "quantity": fastrand::i64(1..=3) });
    let Some(cart) = send(tally, post("/cart", body)).await else {
        return;
    };
    if fastrand::f64() >= to_purchase {
        return;
    }
    let body = serde_json::json!({ "cart_id": cart["cart_id"] });
    send(tally, post("/purchase", body)).await;
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
async fn send(tally: &Tally, request: RequestBuilder) -> Option<serde_json::Value> {
    tally.sent.fetch_add(1, Relaxed);
    let answer = async {
        let response = request.send().await.ok()?.error_for_status().ok()?;
        response.json().await.ok()
    };
    let json = answer.await;
    if json.is_none() {
        tally.failed.fetch_add(1, Relaxed);
    }
    json
}
