//! `webapp export`: writes the alert rules, the Grafana dashboard and the
//! compose stack, all generated from the attributes in this app.
//!
//! ```text
//! cargo run --bin webapp -- export                   # into examples/monitoring
//! cargo run --bin webapp -- export --out /tmp/stack --targets 127.0.0.1:3000 \
//!     --alertmanager 127.0.0.1:9093 --prometheus-url http://127.0.0.1:9090
//! cargo run --bin webapp -- export --out /tmp/edge --agent \
//!     --remote-write http://central:9090/api/v1/write     # agent + central configs
//! ```
//!
//! A setting left out keeps the default of [`Stack`], which suits
//! `docker compose up`.

use std::path::PathBuf;
use std::time::Duration;

use bizmetrics::monitoring::{RemoteWrite, RemoteWriteAuth, Stack};

/// The flags of `webapp export`.
// clap shows these doc comments as they are: no Markdown in them.
#[allow(clippy::doc_markdown)]
#[derive(clap::Args)]
pub struct Args {
    /// Folder to write the files into
    #[arg(long, value_name = "DIR", default_value = "examples/monitoring")]
    out: PathBuf,

    /// Addresses Prometheus scrapes, one per replica, comma-separated
    /// [default: the compose service, webapp:3000]
    #[arg(long, value_name = "HOST:PORT,...", value_delimiter = ',')]
    targets: Option<Vec<String>>,

    /// Where Prometheus sends alerts [default: alertmanager:9093]
    #[arg(long, value_name = "HOST:PORT")]
    alertmanager: Option<String>,

    /// Where Grafana reaches Prometheus [default: http://prometheus:9090]
    #[arg(long, value_name = "URL")]
    prometheus_url: Option<String>,

    /// File Alertmanager reads the Slack webhook URL from
    /// [default: /run/secrets/slack_webhook_url]
    #[arg(long, value_name = "PATH")]
    slack_url_file: Option<String>,

    /// How often Prometheus scrapes and evaluates rules, such as 15s
    /// [default: 15s]
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    scrape_interval: Option<Duration>,

    /// Window of the funnels' conversion ratios, such as 1h [default: 1h]
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    conversion_window: Option<Duration>,

    /// For tests: every alert's window, so that it fires in seconds
    /// (with --alert-for)
    #[arg(
        long,
        value_name = "DURATION",
        value_parser = humantime::parse_duration,
        requires = "alert_for"
    )]
    alert_window: Option<Duration>,

    /// For tests: how long every alert's condition must hold before it
    /// fires (with --alert-window)
    #[arg(
        long = "alert-for",
        value_name = "DURATION",
        value_parser = humantime::parse_duration,
        requires = "alert_window"
    )]
    alert_for: Option<Duration>,

    /// Where Prometheus scrapes the Pushgateway that webapp restock
    /// pushes to [default: pushgateway:9091]
    #[arg(long, value_name = "HOST:PORT")]
    pushgateway: Option<String>,

    /// Age past which the last push of webapp restock is late, and
    /// WebappBatchJobStale fires: a nightly job, allowed two hours' delay
    #[arg(long, value_name = "DURATION", default_value = "26h",
          value_parser = humantime::parse_duration)]
    restock_max_age: Duration,

    #[command(flatten)]
    remote: Box<RemoteWriteArgs>,
}

/// The flags of `remote_write` and agent mode, boxed in [`Args`]: inline,
/// they would make `export` by far the largest of the app's commands.
// clap shows these doc comments as they are: no Markdown in them.
#[allow(clippy::doc_markdown)]
#[derive(clap::Args)]
struct RemoteWriteArgs {
    /// Also send every sample with remote_write to this URL, such as
    /// http://mimir:9009/api/v1/push; repeat for more destinations
    #[arg(long, value_name = "URL", value_parser = remote_write_url)]
    remote_write: Vec<RemoteWrite>,

    /// User name for basic auth at every --remote-write URL
    /// (with --remote-write-password-file)
    #[arg(
        long,
        value_name = "NAME",
        requires_all = ["remote_write", "remote_write_password_file"]
    )]
    remote_write_username: Option<String>,

    /// File Prometheus reads the basic auth password from
    /// (with --remote-write-username)
    #[arg(long, value_name = "PATH", requires = "remote_write_username")]
    remote_write_password_file: Option<String>,

    /// File Prometheus reads a bearer token from, for every --remote-write
    /// URL
    #[arg(
        long,
        value_name = "PATH",
        requires = "remote_write",
        conflicts_with = "remote_write_username"
    )]
    remote_write_bearer_file: Option<String>,

    /// Write prometheus.yml for a Prometheus agent (--enable-feature=agent)
    /// that scrapes and forwards to --remote-write, and the rules and
    /// alerting into prometheus-central.yml, for the Prometheus that
    /// receives its samples
    #[arg(long, requires = "remote_write")]
    agent: bool,
}

/// A `--remote-write` value: the URL checked, its reason alone on error,
/// since clap already quotes the value.
fn remote_write_url(url: &str) -> Result<RemoteWrite, String> {
    RemoteWrite::new(url).map_err(|e| e.reason().to_owned())
}

pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // The checked-in copy lives in examples/monitoring, two folders below
    // the workspace root that compose builds the app from.
    let mut stack = Stack::new("webapp")
        .port(3000)
        .build("../..", "examples/Dockerfile");
    if let Some(targets) = args.targets {
        stack = stack.targets(targets);
    }
    if let Some(addr) = &args.alertmanager {
        stack = stack.alertmanager(addr);
    }
    if let Some(url) = &args.prometheus_url {
        stack = stack.prometheus_url(url);
    }
    if let Some(path) = &args.slack_url_file {
        stack = stack.slack_url_file(path);
    }
    if let Some(interval) = args.scrape_interval {
        stack = stack.scrape_interval(interval);
    }
    if let Some(window) = args.conversion_window {
        stack = stack.conversion_window(window);
    }
    // clap has checked that the two come together.
    if let (Some(per), Some(for_)) = (args.alert_window, args.alert_for) {
        stack = stack.alert_timing(per, for_);
    }
    stack = stack.batch_job(crate::restock::JOB, args.restock_max_age);
    if let Some(addr) = &args.pushgateway {
        stack = stack.pushgateway(addr);
    }

    // One sign-in for every destination: several URLs are usually
    // replicas of one store. The API takes one per destination.
    // clap has checked that the username comes with its password file,
    // and that it does not come with a bearer file.
    let remote = *args.remote;
    let auth = match (
        remote.remote_write_username,
        remote.remote_write_password_file,
        remote.remote_write_bearer_file,
    ) {
        (Some(username), Some(password_file), _) => Some(RemoteWriteAuth::Basic {
            username,
            password_file,
        }),
        (_, _, Some(credentials_file)) => Some(RemoteWriteAuth::Bearer { credentials_file }),
        _ => None,
    };
    let mut destinations = remote
        .remote_write
        .into_iter()
        .map(|destination| match &auth {
            Some(auth) => destination.auth(auth.clone()),
            None => destination,
        });
    // clap has checked that --agent comes with a --remote-write.
    if remote.agent {
        if let Some(first) = destinations.next() {
            stack = stack.agent(first);
        }
    }
    for destination in destinations {
        stack = stack.remote_write(destination);
    }

    // `write` refuses conflicting definitions itself, as `init` would.
    for path in stack.write(&args.out)? {
        println!("wrote {}", args.out.join(path).display());
    }
    Ok(())
}
