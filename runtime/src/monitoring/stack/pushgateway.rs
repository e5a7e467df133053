//! The Pushgateway in the stack, when it has batch jobs: whether it runs,
//! and its image, name and port, which the Prometheus and compose files
//! both refer to.

use crate::monitoring::Stack;

/// The image compose runs: the version the end-to-end tests push to
/// (Debian's `prometheus-pushgateway`).
pub(super) const IMAGE: &str = "prom/pushgateway:v1.5.1";

/// The compose service's name, and its port.
pub(super) const SERVICE: &str = "pushgateway";
pub(super) const PORT: u16 = 9091;

/// Whether the stack runs and scrapes a Pushgateway.
pub(super) fn wanted(stack: &Stack) -> bool {
    !stack.batch_jobs.is_empty()
}
