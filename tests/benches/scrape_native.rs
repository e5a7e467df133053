//! A native histogram family's scrape; compare with `scrape_classic`.

#[path = "scrape/common.rs"]
#[allow(dead_code)] // the four-crate comparison's parts go unused here
mod common;
#[path = "scrape/histograms.rs"]
mod histograms;

use common::Hundred;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

#[bizmetrics::timed(name = "bench_histogram_seconds", native, labels(a = a))]
fn site(a: Hundred, spins: u32) {
    histograms::spin(spins);
}

fn main() {
    let values = common::all::<Hundred>();
    histograms::fill(|a, spins| site(values[a], spins));
    histograms::scrape("native");
}
