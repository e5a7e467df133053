//! 10,000 series in one family, in bizmetrics, `measured`,
//! `prometheus-client` and the prometheus crate; see `scrape/common.rs`.

#[path = "scrape/common.rs"]
mod common;

use common::{Action, Endpoint, Hundred};

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_0_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family(a: Hundred, b: Hundred) {}

#[derive(measured::LabelGroup)]
#[label(set = MeasuredSet)]
struct MeasuredLabels {
    action_type: Action,
    endpoint: Endpoint,
    a: Hundred,
    b: Hundred,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, prometheus_client::encoding::EncodeLabelSet)]
struct ClientLabels {
    action_type: Action,
    endpoint: Endpoint,
    a: Hundred,
    b: Hundred,
}

fn main() {
    common::compare(&common::Shape {
        names: &["family_0_total"],
        a: common::all(),
        b: common::all(),
        bizmetrics: &[family],
        measured_set: MeasuredSet::default,
        measured_labels: |a, b| MeasuredLabels {
            action_type: Action::A,
            endpoint: Endpoint::Family,
            a,
            b,
        },
        client: |a, b| ClientLabels {
            action_type: Action::A,
            endpoint: Endpoint::Family,
            a,
            b,
        },
        target: 1.0,
        rounds: 60,
        block: 2,
    });
}
