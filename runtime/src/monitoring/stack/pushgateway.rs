//! The Pushgateway in the stack, when it has batch jobs: Prometheus's
//! scrape job for it and its compose service.

use super::compose::{loopback, Service};
use super::prometheus::{ScrapeConfig, StaticConfig};
use crate::monitoring::Stack;

/// The image compose runs: the version the end-to-end tests push to
/// (Debian's `prometheus-pushgateway`).
const IMAGE: &str = "prom/pushgateway:v1.5.1";

/// The compose service's name, and its port.
const SERVICE: &str = "pushgateway";
const PORT: u16 = 9091;

/// Whether the stack runs and scrapes a Pushgateway.
pub(super) fn wanted(stack: &Stack) -> bool {
    !stack.batch_jobs.is_empty()
}

/// `honor_labels: true`: a pushed series keeps the `job` and `instance`
/// it was pushed with, rather than getting the gateway's, so each batch
/// job is told apart from the others and from the gateway itself.
pub(super) fn scrape_config(stack: &Stack) -> Option<ScrapeConfig> {
    wanted(stack).then(|| ScrapeConfig {
        job_name: SERVICE.to_owned(),
        honor_labels: true,
        static_configs: vec![StaticConfig {
            targets: vec![stack.pushgateway.clone()],
        }],
    })
}

pub(super) fn service(stack: &Stack) -> Option<(String, Service)> {
    wanted(stack).then(|| {
        (
            SERVICE.to_owned(),
            Service {
                image: Some(IMAGE),
                ports: loopback(PORT, PORT),
                ..Service::default()
            },
        )
    })
}
