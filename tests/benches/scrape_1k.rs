//! `render()` against the prometheus crate for 1,000 series; see `scrape/common.rs`.

#[path = "scrape/common.rs"]
mod common;

use common::{Hundred, Ten};

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_0_total", labels(a = a, b = b))]
fn family(a: Ten, b: Hundred) {}

fn main() {
    common::compare(1_000, 1, 10, 100, 51);
}
