//! Shared by the `scrape_*` benches: `bizmetrics::render()` against the
//! prometheus crate gathering and encoding the same series, timed and with
//! the bytes each scrape allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use prometheus::{Encoder, IntCounterVec, Opts, Registry, TextEncoder};

/// Counts the bytes allocated, to report them per scrape.
pub struct Counting;

pub static ALLOCATED: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[derive(Clone, Copy, bizmetrics::LabelValue)]
#[allow(dead_code)]
pub enum Ten {
    A0,
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    A7,
    A8,
    A9,
}

#[derive(Clone, Copy, bizmetrics::LabelValue)]
#[allow(dead_code)]
pub enum Hundred {
    B0,
    B1,
    B2,
    B3,
    B4,
    B5,
    B6,
    B7,
    B8,
    B9,
    B10,
    B11,
    B12,
    B13,
    B14,
    B15,
    B16,
    B17,
    B18,
    B19,
    B20,
    B21,
    B22,
    B23,
    B24,
    B25,
    B26,
    B27,
    B28,
    B29,
    B30,
    B31,
    B32,
    B33,
    B34,
    B35,
    B36,
    B37,
    B38,
    B39,
    B40,
    B41,
    B42,
    B43,
    B44,
    B45,
    B46,
    B47,
    B48,
    B49,
    B50,
    B51,
    B52,
    B53,
    B54,
    B55,
    B56,
    B57,
    B58,
    B59,
    B60,
    B61,
    B62,
    B63,
    B64,
    B65,
    B66,
    B67,
    B68,
    B69,
    B70,
    B71,
    B72,
    B73,
    B74,
    B75,
    B76,
    B77,
    B78,
    B79,
    B80,
    B81,
    B82,
    B83,
    B84,
    B85,
    B86,
    B87,
    B88,
    B89,
    B90,
    B91,
    B92,
    B93,
    B94,
    B95,
    B96,
    B97,
    B98,
    B99,
}

/// Median seconds and bytes allocated of `scrape`, over `runs` runs.
fn measure(runs: usize, mut scrape: impl FnMut() -> usize) -> (f64, u64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = Vec::with_capacity(runs);
    let mut size = 0;
    for run in 0..=runs {
        let allocated = ALLOCATED.load(Relaxed);
        let start = Instant::now();
        size = black_box(scrape());
        let elapsed = start.elapsed().as_secs_f64();
        if run > 0 {
            times.push(elapsed);
            bytes.push(ALLOCATED.load(Relaxed) - allocated);
        }
    }
    times.sort_by(f64::total_cmp);
    bytes.sort_unstable();
    (times[runs / 2], bytes[runs / 2], size)
}

/// A hand-made prometheus registry with what `render()` exports: the
/// process collector, and `families` counters of `first` x `second` series
/// with the same four labels, all created up front as bizmetrics does.
fn prometheus_registry(families: usize, first: usize, second: usize) -> Registry {
    let registry = Registry::new();
    let process = prometheus::process_collector::ProcessCollector::for_self();
    registry.register(Box::new(process)).unwrap();
    for family in 0..families {
        let name = format!("family_{family}_total");
        let labels = ["action_type", "endpoint", "a", "b"];
        let vec = IntCounterVec::new(Opts::new(name, "help"), &labels).unwrap();
        let endpoint = if families == 1 {
            "family".to_owned()
        } else {
            format!("family_{family}")
        };
        for a in 0..first {
            for b in 0..second {
                let (a, b) = (format!("a{a}"), format!("b{b}"));
                vec.with_label_values(&["a", &endpoint, &a, &b]).inc_by(0);
            }
        }
        registry.register(Box::new(vec)).unwrap();
    }
    registry
}

/// Prints the comparison for `series` series in `families` families.
pub fn compare(series: usize, families: usize, first: usize, second: usize, runs: usize) {
    bizmetrics::init().expect("consistent definitions");
    let registry = prometheus_registry(families, first, second);
    let (ours, our_bytes, our_size) = measure(runs, || bizmetrics::render().len());
    let (theirs, their_bytes, their_size) = measure(runs, || {
        let mut buffer = Vec::new();
        TextEncoder::new()
            .encode(&registry.gather(), &mut buffer)
            .unwrap();
        buffer.len()
    });
    println!("scrape of {series} series, median of {runs}:");
    println!(
        "  bizmetrics::render()         {:>9.3} ms {:>12} bytes allocated, {our_size} bytes of text",
        ours * 1e3,
        our_bytes
    );
    println!(
        "  prometheus gather + encode   {:>9.3} ms {:>12} bytes allocated, {their_size} bytes of text",
        theirs * 1e3,
        their_bytes
    );
    println!(
        "  ratio {:.2}x the prometheus crate's time (target at most 1x)",
        ours / theirs
    );
}
