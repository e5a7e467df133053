//! Grafana's provisioning: the Prometheus data source and the dashboards
//! folder.

use serde::Serialize;

use crate::monitoring::yaml;
use crate::monitoring::Stack;

/// Grafana's provisioning of data sources.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasources {
    api_version: u32,
    datasources: Vec<Datasource>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasource {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
    access: &'static str,
    url: String,
    is_default: bool,
}

pub(super) fn datasource(stack: &Stack) -> String {
    let config = Datasources {
        api_version: 1,
        datasources: vec![Datasource {
            name: "Prometheus",
            kind: "prometheus",
            uid: "prometheus",
            access: "proxy",
            url: stack.prometheus_url.clone(),
            is_default: true,
        }],
    };
    yaml::document(&config, &[])
}

/// Grafana's provisioning of dashboards.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DashboardProviders {
    api_version: u32,
    providers: Vec<DashboardProvider>,
}

#[derive(Serialize)]
struct DashboardProvider {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    options: ProviderOptions,
}

#[derive(Serialize)]
struct ProviderOptions {
    path: &'static str,
}

pub(super) fn dashboards() -> String {
    let config = DashboardProviders {
        api_version: 1,
        providers: vec![DashboardProvider {
            name: "bizmetrics",
            kind: "file",
            options: ProviderOptions {
                path: "/var/lib/grafana/dashboards",
            },
        }],
    };
    yaml::document(&config, &[])
}
