//! 100,000 series in ten families of 10,000 (bizmetrics' most per
//! family), in bizmetrics, `measured`, `prometheus-client` and the
//! prometheus crate; see `scrape/common.rs`.

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
fn family_0(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_1_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_1(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_2_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_2(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_3_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_3(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_4_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_4(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_5_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_5(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_6_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_6(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_7_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_7(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_8_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_8(a: Hundred, b: Hundred) {}

#[bizmetrics::business_metric(
    action = "a",
    endpoint = "family",
    name = "family_9_total",
    help = "Scrape benchmark series.",
    labels(a = a, b = b)
)]
fn family_9(a: Hundred, b: Hundred) {}

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
        names: &[
            "family_0_total",
            "family_1_total",
            "family_2_total",
            "family_3_total",
            "family_4_total",
            "family_5_total",
            "family_6_total",
            "family_7_total",
            "family_8_total",
            "family_9_total",
        ],
        a: common::all(),
        b: common::all(),
        bizmetrics: &[
            family_0, family_1, family_2, family_3, family_4, family_5, family_6, family_7,
            family_8, family_9,
        ],
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
        rounds: 20,
        block: 1,
    });
}
