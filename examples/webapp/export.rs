//! `webapp export`: writes the alert rules, the Grafana dashboard and the
//! compose stack, all generated from the attributes in this app.
//!
//! ```text
//! cargo run --bin webapp -- export                   # into examples/monitoring
//! cargo run --bin webapp -- export --out /tmp/stack --targets 127.0.0.1:3000 \
//!     --alertmanager 127.0.0.1:9093 --prometheus-url http://127.0.0.1:9090
//! ```

use std::path::PathBuf;

use bizmetrics::monitoring::Stack;

use crate::duration;

pub fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    // The checked-in copy lives in examples/monitoring, two folders below
    // the workspace root that compose builds the app from.
    let mut stack = Stack::new("webapp")
        .port(3000)
        .build("../..", "examples/Dockerfile");
    let mut out = PathBuf::from("examples/monitoring");
    let mut alert_timing = (None, None);

    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        stack = match flag.as_str() {
            "--out" => {
                out = value.into();
                stack
            }
            "--targets" => stack.targets(value.split(',')),
            "--alertmanager" => stack.alertmanager(value),
            "--prometheus-url" => stack.prometheus_url(value),
            "--slack-url-file" => stack.slack_url_file(value),
            "--scrape-interval" => stack.scrape_interval(duration(flag, value)?),
            "--conversion-window" => stack.conversion_window(duration(flag, value)?),
            "--alert-window" => {
                alert_timing.0 = Some(duration(flag, value)?);
                stack
            }
            "--alert-for" => {
                alert_timing.1 = Some(duration(flag, value)?);
                stack
            }
            other => return Err(format!("unknown flag {other}").into()),
        };
    }
    // For tests: every alert with a short window, so it fires in seconds.
    match alert_timing {
        (Some(per), Some(for_)) => stack = stack.alert_timing(per, for_),
        (None, None) => {}
        _ => return Err("--alert-window and --alert-for go together".into()),
    }

    // `write` refuses conflicting definitions itself, as `init` would.
    for path in stack.write(&out)? {
        println!("wrote {}", out.join(path).display());
    }
    Ok(())
}
