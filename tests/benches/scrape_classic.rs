//! A classic histogram family's scrape; compare with `scrape_native`.

#[path = "scrape/common.rs"]
#[allow(dead_code)] // the four-crate comparison's parts go unused here
mod common;
#[path = "scrape/histograms.rs"]
mod histograms;

use common::Hundred;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[bizmetrics::timed(name = "bench_histogram_seconds", labels(a = a))]
fn site(a: Hundred, spins: u32) {
    histograms::spin(spins);
}

fn main() {
    let values = common::all::<Hundred>();
    histograms::fill(|a, spins| site(values[a], spins));
    histograms::scrape("classic");
}
