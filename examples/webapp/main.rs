//! The seed's web service rebuilt in axum: a small shop and company
//! directory on SQLite, with every metric declared in attributes.
//!
//! ```text
//! cargo run --bin webapp                      # UI and /metrics on 127.0.0.1:3000
//! cargo run --bin webapp -- traffic --rate 20 --duration 60s
//! cargo run --bin webapp -- export            # rules, dashboard, compose stack
//! ```
//!
//! Settings, as flags or environment variables:
//!
//! | flag | variable | default |
//! |---|---|---|
//! | `--addr` | `WEBAPP_ADDR` | `127.0.0.1:3000` |
//! | `--db` | `WEBAPP_DB` | `webapp.sqlite3` |
//! | `--metrics-addr` | `WEBAPP_METRICS_ADDR` | none: `/metrics` is on `--addr` |

mod db;
mod error;
mod export;
mod handlers;
mod profile;
mod traffic;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bizmetrics::axum::HttpMetricsLayer;
use prometheus::IntGauge;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;

use crate::db::Db;
use crate::handlers::AppState;

struct Config {
    addr: String,
    db: PathBuf,
    metrics_addr: Option<String>,
}

impl Config {
    /// Flags first, then environment variables, then defaults.
    fn from_args(args: &[String]) -> Result<Config, String> {
        let mut config = Config {
            addr: std::env::var("WEBAPP_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into()),
            db: std::env::var("WEBAPP_DB")
                .unwrap_or_else(|_| "webapp.sqlite3".into())
                .into(),
            metrics_addr: std::env::var("WEBAPP_METRICS_ADDR").ok(),
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--addr" => config.addr.clone_from(value),
                "--db" => config.db = value.into(),
                "--metrics-addr" => config.metrics_addr = Some(value.clone()),
                other => return Err(format!("unknown flag {other}")),
            }
        }
        Ok(config)
    }
}

const USAGE: &str =
    "usage: webapp [serve] [--addr HOST:PORT] [--db PATH] [--metrics-addr HOST:PORT]
       webapp traffic [--target URL] [--rate PER_SECOND] [--duration 60s]
       webapp export [--out DIR] [--targets HOST:PORT,...] [--alertmanager HOST:PORT]
                     [--prometheus-url URL] [--slack-url-file PATH] [--scrape-interval 15s]
                     [--conversion-window 1h] [--alert-window 5m --alert-for 5m]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("traffic") => traffic::run(&args[1..]).await,
        Some("export") => export::run(&args[1..]),
        Some("serve") => serve(&args[1..]).await,
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => serve(&args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webapp: {error}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_args(args)?;
    bizmetrics::init()?;

    let health = IntGauge::new(
        "health_check_status",
        "1 when the last health check passed, 0 when it failed.",
    )?;
    bizmetrics::registry().register(Box::new(health.clone()))?;
    let db = Db::open(&config.db)?;
    health.set(i64::from(db.run(db::ping).await.is_ok()));

    let mut app = handlers::router(AppState { db, health });
    let metrics_listener = match &config.metrics_addr {
        Some(addr) => Some(TcpListener::bind(addr).await?),
        None => {
            app = app.merge(bizmetrics::axum::router());
            None
        }
    };
    // A panicking handler answers 500 and is counted as one; the server
    // keeps serving.
    let app = app
        .layer(CatchPanicLayer::new())
        .layer(HttpMetricsLayer::new());

    let listener = TcpListener::bind(&config.addr).await?;
    let addr = listener.local_addr()?;
    println!("webapp listening on http://{addr}/");
    if let Some(metrics) = metrics_listener {
        let metrics_addr = metrics.local_addr()?;
        println!("metrics on http://{metrics_addr}/metrics");
        let metrics_app = bizmetrics::axum::router();
        tokio::spawn(async move { axum::serve(metrics, metrics_app).await });
    } else {
        println!("metrics on http://{addr}/metrics");
    }

    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    println!("webapp stopped");
    Ok(())
}

/// A flag's duration: `90s`, `2m`, `1h` or `500ms`.
fn duration(flag: &str, text: &str) -> Result<Duration, String> {
    let bad = || format!("{flag} must look like 60s, 2m, 1h or 500ms, not {text}");
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let number: u64 = number.parse().map_err(|_| bad())?;
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(Duration::from_secs(number)),
        "m" => Ok(Duration::from_secs(number * 60)),
        "h" => Ok(Duration::from_secs(number * 3600)),
        _ => Err(bad()),
    }
}

/// Ctrl-C, or SIGTERM from a process manager.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
