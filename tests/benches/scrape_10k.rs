//! `render()` against the prometheus crate for 10,000 series; see `scrape/common.rs`.

#[path = "scrape/common.rs"]
mod common;

use common::Hundred;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[allow(dead_code)]
#[bizmetrics::business_metric(action = "a", name = "family_0_total", labels(a = a, b = b))]
fn family(a: Hundred, b: Hundred) {}

fn main() {
    common::compare(10_000, 1, 100, 100, 21);
}
