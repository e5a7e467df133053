//! The stack around the app: Prometheus, Alertmanager and Grafana
//! configuration, and a `docker-compose.yml` that runs them all.

mod alertmanager;
mod compose;
mod grafana;
mod prometheus;
mod pushgateway;

use super::Stack;

/// The files one mode writes and the other does not: what an export in
/// the other mode may have left behind.
pub(super) const MODE_FILES: [&str; 1] = ["prometheus-central.yml"];

/// The files besides the rules and the dashboard, as `(path, content)`.
pub(super) fn render(stack: &Stack) -> Vec<(String, String)> {
    let mut files = vec![("prometheus.yml".to_owned(), prometheus::config(stack))];
    if stack.agent {
        files.push((
            "prometheus-central.yml".to_owned(),
            prometheus::central(stack),
        ));
    }
    files.extend([
        ("alertmanager.yml".to_owned(), alertmanager::config(stack)),
        (
            "grafana/provisioning/datasources/prometheus.yml".to_owned(),
            grafana::datasource(stack),
        ),
        (
            "grafana/provisioning/dashboards/bizmetrics.yml".to_owned(),
            grafana::dashboards(),
        ),
        ("docker-compose.yml".to_owned(), compose::compose(stack)),
    ]);
    files
}
