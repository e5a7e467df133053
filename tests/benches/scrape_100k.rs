//! `render()` against the prometheus crate for 100,000 series; see `scrape/common.rs`.

#[path = "scrape/common.rs"]
mod common;

use common::Hundred;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_0_total", labels(a = a, b = b))]
fn family_0(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_1_total", labels(a = a, b = b))]
fn family_1(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_2_total", labels(a = a, b = b))]
fn family_2(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_3_total", labels(a = a, b = b))]
fn family_3(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_4_total", labels(a = a, b = b))]
fn family_4(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_5_total", labels(a = a, b = b))]
fn family_5(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_6_total", labels(a = a, b = b))]
fn family_6(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_7_total", labels(a = a, b = b))]
fn family_7(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_8_total", labels(a = a, b = b))]
fn family_8(a: Hundred, b: Hundred) {}

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_9_total", labels(a = a, b = b))]
fn family_9(a: Hundred, b: Hundred) {}

fn main() {
    common::compare(100_000, 10, 100, 100, 7);
}
