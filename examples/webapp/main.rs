//! The article's web service rebuilt in axum: a small shop and company
//! directory on SQLite, with every metric declared in attributes.
//!
//! ```text
//! cargo run --bin webapp                      # UI and /metrics on 127.0.0.1:3000
//! cargo run --bin webapp -- traffic --rate 20 --duration 60s
//! cargo run --bin webapp -- export            # rules, dashboard, compose stack
//! cargo run --bin webapp -- restock --push http://127.0.0.1:9091   # nightly job
//! cargo run --bin webapp -- --help            # every command and flag
//! ```
//!
//! Settings, as flags or environment variables (a flag wins):
//!
//! | flag | variable | default |
//! |---|---|---|
//! | `--addr` | `WEBAPP_ADDR` | `127.0.0.1:3000` |
//! | `--db` | `WEBAPP_DB` | `webapp.sqlite3` |
//! | `--metrics-addr` | `WEBAPP_METRICS_ADDR` | none: `/metrics` is on `--addr` |
//!
//! It stops gracefully on Ctrl-C, and on SIGTERM where there is one (Unix).

mod db;
mod error;
mod export;
mod handlers;
mod profile;
mod restock;
mod traffic;

use std::path::PathBuf;
use std::process::ExitCode;

use bizmetrics::axum::HttpMetricsLayer;
use clap::{Parser, Subcommand};
use prometheus::IntGauge;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;

use crate::db::Db;
use crate::handlers::AppState;

/// A small shop and company directory on SQLite, with business metrics for
/// Prometheus
#[derive(Parser)]
#[command(
    name = "webapp",
    version,
    args_conflicts_with_subcommands = true,
    args_override_self = true,
    subcommand_value_name = "COMMAND"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the shop's pages, its JSON API and /metrics (the default)
    Serve(ServeArgs),
    /// Send shoppers through the funnel of a running instance
    Traffic(traffic::Args),
    /// Write the alert rules, the Grafana dashboard and the compose stack
    Export(export::Args),
    /// Restock sold-out items, a nightly job, and push its metrics to a
    /// Pushgateway
    Restock(restock::Args),
}

/// Where the app listens and keeps its data. A flag wins over its
/// environment variable.
#[derive(clap::Args)]
struct ServeArgs {
    /// Address for the pages, the API and, without --metrics-addr, /metrics
    #[arg(
        long,
        env = "WEBAPP_ADDR",
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:3000"
    )]
    addr: String,

    /// SQLite database file, created with the shop's items on first start
    #[arg(
        long,
        env = "WEBAPP_DB",
        value_name = "PATH",
        default_value = "webapp.sqlite3"
    )]
    db: PathBuf,

    /// Serve /metrics on this address instead, apart from the app
    #[arg(long, env = "WEBAPP_METRICS_ADDR", value_name = "HOST:PORT")]
    metrics_addr: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    // A bad flag or `--help` exits here, with clap's message and status.
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Traffic(args)) => traffic::run(args).await,
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Restock(args)) => restock::run(args).await,
        Some(Command::Serve(args)) => serve(args).await,
        None => serve(cli.serve).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webapp: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
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

/// Ctrl-C anywhere, and SIGTERM from a process manager on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No Ctrl-C handler: wait for the other signal.
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate() => {}
    }
}

/// SIGTERM, as `kill`, `docker stop` and systemd send it.
#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{signal, SignalKind};

    match signal(SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

/// No SIGTERM outside Unix: Ctrl-C alone stops the app.
#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}
