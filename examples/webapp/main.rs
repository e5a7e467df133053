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
//! | `--shutdown-grace` | `WEBAPP_SHUTDOWN_GRACE` | `20s` |
//!
//! On Ctrl-C, or SIGTERM on Unix, it stops taking requests, lets those in
//! flight finish, and serves `/metrics` until a scrape has read the final
//! counts or the grace period has passed; a second signal exits at once.

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

    /// After Ctrl-C or SIGTERM, how long /metrics waits for a final scrape;
    /// 0s stops as soon as the requests in flight finish
    #[arg(
        long,
        env = "WEBAPP_SHUTDOWN_GRACE",
        value_name = "DURATION",
        default_value_t = bizmetrics::axum::DEFAULT_GRACE.into()
    )]
    shutdown_grace: humantime::Duration,
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

    let shutdown = bizmetrics::axum::Shutdown::on_signals().grace(*config.shutdown_grace);
    let mut app = handlers::router(AppState { db, health });
    let metrics_listener = match &config.metrics_addr {
        Some(addr) => Some(TcpListener::bind(addr).await?),
        None => {
            app = app.merge(bizmetrics::axum::router());
            None
        }
    };
    // A panicking handler answers 500 and is counted as one; the server
    // keeps serving. The shutdown layer goes last, around everything that
    // records.
    let app = app
        .layer(CatchPanicLayer::new())
        .layer(HttpMetricsLayer::new())
        .layer(shutdown.layer());

    let listener = TcpListener::bind(&config.addr).await?;
    let addr = listener.local_addr()?;
    println!("webapp listening on http://{addr}/");
    match metrics_listener {
        Some(metrics) => {
            println!("metrics on http://{}/metrics", metrics.local_addr()?);
            let metrics = axum::serve(metrics, bizmetrics::axum::router())
                .with_graceful_shutdown(shutdown.final_scrape());
            let metrics = tokio::spawn(async move { metrics.await });
            // The app's port closes at the signal; the metrics port waits
            // for the final scrape.
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown.triggered())
                .await?;
            metrics.await??;
        }
        None => {
            println!("metrics on http://{addr}/metrics");
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown.final_scrape())
                .await?;
        }
    }
    println!("webapp stopped");
    Ok(())
}
