//! `webapp restock`: the nightly job that brings sold-out items back in
//! stock. It exits long before any scrape could read its metrics, so it
//! pushes them to a Pushgateway as it ends, however it ends.
//!
//! ```text
//! cargo run --bin webapp -- restock --push http://127.0.0.1:9091
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use bizmetrics::push::Pushgateway;
use bizmetrics::{business_metric, timed};

use crate::db::{self, Db, Item};
use crate::error::AppError;

bizmetrics::defaults! {
    /// A batch job's runs. Not a shopper's action: one metric keeps one set
    /// of labels, and `user_actions_total` carries the shopper's profile.
    batch_job = business_metric(
        name = "batch_job_runs_total",
        help = "Runs of the shop's batch jobs, by job.",
    );
    /// A batch job's time and outcome, in buckets for minutes and hours,
    /// not a request's milliseconds.
    batch_job_time = timed(
        name = "batch_job_duration_seconds",
        help = "How long the shop's batch jobs ran, by job and outcome.",
        buckets = [0.1, 1, 10, 60, 600, 3600],
    );
}

/// The job's name on the Pushgateway, and so the `job` label of what it
/// pushes; `webapp export` watches it under this name.
pub const JOB: &str = "webapp_restock";

/// The flags of `webapp restock`.
// clap shows these doc comments as they are: no Markdown in them.
#[allow(clippy::doc_markdown)]
#[derive(clap::Args)]
pub struct Args {
    /// Pushgateway the run's metrics go to when it ends, such as
    /// http://127.0.0.1:9091
    #[arg(long, env = "WEBAPP_PUSHGATEWAY", value_name = "URL")]
    push: String,

    /// SQLite database file of the shop
    #[arg(
        long,
        env = "WEBAPP_DB",
        value_name = "PATH",
        default_value = "webapp.sqlite3"
    )]
    db: PathBuf,

    /// Stock each sold-out item is brought back to
    #[arg(long, value_name = "COUNT", default_value_t = 100,
          value_parser = clap::value_parser!(i64).range(1..))]
    stock: i64,

    /// Longest the push may take, retries included, such as 10s
    #[arg(long, value_name = "DURATION", default_value = "10s",
          value_parser = humantime::parse_duration)]
    push_timeout: Duration,

    /// File holding a bearer token for the Pushgateway
    #[arg(long, value_name = "PATH", conflicts_with = "push_username")]
    push_bearer_file: Option<PathBuf>,

    /// User name for basic auth at the Pushgateway (with
    /// --push-password-file)
    #[arg(long, value_name = "NAME", requires = "push_password_file")]
    push_username: Option<String>,

    /// File holding the basic auth password (with --push-username)
    #[arg(long, value_name = "PATH", requires = "push_username")]
    push_password_file: Option<PathBuf>,
}

pub async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    bizmetrics::init()?;
    let mut gateway = Pushgateway::new(&args.push, JOB).timeout(args.push_timeout);
    // clap has checked that the two kinds do not come together.
    if let Some(file) = &args.push_bearer_file {
        gateway = gateway.bearer_token(file);
    }
    if let (Some(username), Some(file)) = (&args.push_username, &args.push_password_file) {
        gateway = gateway.basic_auth(username, file);
    }
    // A URL that can never work fails before the job runs, not after.
    gateway.url()?;

    // Outside `restock`, so that its outcome is recorded before the push;
    // on a panic the guard pushes as it unwinds.
    let guard = gateway.guard();
    let result = restock(&args.db, args.stock).await;
    let pushed = guard.push();
    match (result, pushed) {
        (Ok(items), Ok(())) => {
            let names: Vec<&str> = items.iter().map(|item| item.name.as_str()).collect();
            println!(
                "restocked {} items to {}: {}; pushed to {}",
                items.len(),
                args.stock,
                names.join(", "),
                args.push
            );
            Ok(())
        }
        (Ok(_), Err(push)) => Err(push.into()),
        (Err(job), pushed) => {
            if let Err(push) = pushed {
                eprintln!("webapp: {push}");
            }
            Err(format!("restock failed: {}", message(job)).into())
        }
    }
}

/// The job itself: every sold-out item back to `stock`. Each run counts
/// one `restock` action, and its time and outcome.
#[business_metric(defaults = batch_job, action = "restock")]
#[timed(defaults = batch_job_time)]
async fn restock(db: &Path, stock: i64) -> Result<Vec<Item>, AppError> {
    let db = Db::open(db)?;
    let sold_out = db.run(db::sold_out_items).await?;
    for item in &sold_out {
        let id = item.id;
        db.run(move |conn| db::restock_item(conn, id, stock))
            .await?;
    }
    Ok(sold_out)
}

fn message(error: AppError) -> String {
    match error {
        AppError::BadRequest(message)
        | AppError::NotFound(message)
        | AppError::Conflict(message)
        | AppError::Internal(message) => message,
    }
}
