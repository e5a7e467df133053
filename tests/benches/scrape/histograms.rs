//! Shared by `scrape_native` and `scrape_classic`: one `#[timed]` family
//! of 100 label values, filled with durations spread over five decades,
//! scraped in the text format and in protobuf. The two benches differ only
//! in `native` on their call site, so their tables compare the two kinds.

use std::hint::black_box;
use std::time::Instant;

use bizmetrics::Format;

use super::common::allocated;

/// Fills the family: 20,000 calls whose bodies spin 1 to 2^15 times.
pub fn fill(site: impl Fn(usize, u32)) {
    for call in 0..20_000 {
        site(call % 100, 1 << (call % 16));
    }
}

/// A body that takes longer the more it spins.
pub fn spin(spins: u32) {
    for turn in 0..spins {
        black_box(turn);
    }
}

/// Times each format's scrape in interleaved rounds and prints medians.
#[allow(clippy::cast_precision_loss)]
pub fn scrape(kind: &str) {
    const ROUNDS: usize = 41;
    const SCRAPES: u32 = 20;
    let formats = [("text", Format::Text), ("protobuf", Format::Protobuf)];
    let mut samples = vec![Vec::new(); formats.len()];
    let mut sizes = vec![(0, 0, 0); formats.len()];
    for round in 0..=ROUNDS {
        for (index, &(_, format)) in formats.iter().enumerate() {
            let (bytes, allocations) = allocated();
            let started = Instant::now();
            let mut size = 0;
            for _ in 0..SCRAPES {
                size = black_box(bizmetrics::render_as(format)).len();
            }
            let elapsed = started.elapsed().as_secs_f64() * 1e3 / f64::from(SCRAPES);
            let (after_bytes, after_allocations) = allocated();
            sizes[index] = (
                size,
                (after_bytes - bytes) / u64::from(SCRAPES),
                (after_allocations - allocations) / u64::from(SCRAPES),
            );
            if round > 0 {
                samples[index].push(elapsed); // round 0 warms up
            }
        }
    }
    println!("scrape of one {kind} histogram family, 100 series x 4 outcomes, median of {ROUNDS} rounds:");
    println!("  format       time per scrape   bytes out   bytes alloc'd   allocations");
    for (((name, _), mut times), (size, bytes, allocations)) in
        formats.iter().zip(samples).zip(sizes)
    {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!("  {name:<10} {median:>12.3} ms {size:>11} {bytes:>15} {allocations:>13}");
    }
}
