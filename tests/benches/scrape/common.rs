//! Shared by the `scrape_*` benches: `bizmetrics::render()` against
//! `measured`, `prometheus-client` and the prometheus crate exposing the
//! same series. Each crate's text is first checked to hold exactly the
//! expected samples; then the four scrape in interleaved rounds, so that a
//! noisy machine slows them alike, and a table gives median times, the
//! ratio to `measured` and the bytes each scrape allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use bizmetrics::LabelValue;
use measured::label::LabelGroupSet;
use measured::metric::group::Encoding;
use measured::metric::name::MetricName;
use measured::metric::MetricFamilyEncoding;
use measured::text::BufferedTextEncoder;
use measured::CounterVec;
use measured::FixedCardinalityLabel;
use prometheus::{Encoder, IntCounterVec, Opts, TextEncoder};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

/// Counts what is allocated, to report it per scrape.
pub struct Counting;

static BYTES: AtomicU64 = AtomicU64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    // Forwarded rather than left to the default (alloc, copy, free), so a
    // growing buffer costs what it costs with the system allocator. Counted
    // as an allocation of the new size.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as u64, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Bytes and allocations so far, to diff around a scrape.
pub fn allocated() -> (u64, u64) {
    (BYTES.load(Relaxed), ALLOCATIONS.load(Relaxed))
}

// Label value types for all four crates. The text of a value is
// bizmetrics' (`A0` is `a0`), which `measured`'s derive also writes.
// (Declared one by one: `measured`'s derive breaks inside `macro_rules!`.)

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, bizmetrics::LabelValue, measured::FixedCardinalityLabel,
)]
pub enum Action {
    A,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, bizmetrics::LabelValue, measured::FixedCardinalityLabel,
)]
pub enum Endpoint {
    Family,
}

#[allow(dead_code)] // only `scrape_1k` has a label of ten values
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, bizmetrics::LabelValue, measured::FixedCardinalityLabel,
)]
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

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, bizmetrics::LabelValue, measured::FixedCardinalityLabel,
)]
#[rustfmt::skip]
pub enum Hundred {
    B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17, B18, B19,
    B20, B21, B22, B23, B24, B25, B26, B27, B28, B29, B30, B31, B32, B33, B34, B35, B36, B37,
    B38, B39, B40, B41, B42, B43, B44, B45, B46, B47, B48, B49, B50, B51, B52, B53, B54, B55,
    B56, B57, B58, B59, B60, B61, B62, B63, B64, B65, B66, B67, B68, B69, B70, B71, B72, B73,
    B74, B75, B76, B77, B78, B79, B80, B81, B82, B83, B84, B85, B86, B87, B88, B89, B90, B91,
    B92, B93, B94, B95, B96, B97, B98, B99,
}

/// `prometheus-client`'s derive would write the variant's name (`A0`), so
/// its values get bizmetrics' text by hand.
macro_rules! client_label_value {
    ($($name:ident),*) => {$(
        impl EncodeLabelValue for $name {
            fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> fmt::Result {
                encoder.write_str(Self::label(self.ordinal()))
            }
        }
    )*};
}

client_label_value!(Action, Endpoint, Ten, Hundred);

/// Every value of `T`, in order.
pub fn all<T: FixedCardinalityLabel>() -> Vec<T> {
    (0..T::cardinality()).map(T::decode).collect()
}

/// The help text of every family, in every crate.
pub const HELP: &str = "Scrape benchmark series.";

/// The series of one bench, declared in each crate. Every family has the
/// labels `action_type="a"`, `endpoint="family"` and every combination of
/// `a` and `b`; the series `(a, b)` counts [`value`] of them.
pub struct Shape<A: 'static, B: 'static, L, M, C> {
    /// The families' names, as they appear in the text.
    pub names: &'static [&'static str],
    pub a: Vec<A>,
    pub b: Vec<B>,
    /// Each family's `#[business_metric]` function, in `names` order.
    pub bizmetrics: &'static [fn(A, B)],
    /// `measured`'s label set.
    pub measured_set: fn() -> L,
    /// `measured`'s label group of `(a, b)`.
    pub measured_labels: fn(A, B) -> M,
    /// `prometheus-client`'s label set of `(a, b)`.
    pub client: fn(A, B) -> C,
    /// At most this many times `measured`'s time for `render()`.
    pub target: f64,
    /// Timed rounds (one more warms up), and scrapes of each crate per round.
    pub rounds: usize,
    pub block: usize,
}

impl<A, B, L, M, C> Shape<A, B, L, M, C> {
    fn series(&self) -> usize {
        self.names.len() * self.a.len() * self.b.len()
    }

    /// Every `(family name, a, b, value)`.
    fn each(&self) -> impl Iterator<Item = (usize, &'static str, A, B, u64)> + '_
    where
        A: Copy,
        B: Copy,
    {
        let names = self.names.iter().enumerate();
        names.flat_map(move |(family, &name)| {
            self.a.iter().enumerate().flat_map(move |(i, &a)| {
                let value = move |j: usize| (i + j + 1) as u64;
                let b = self.b.iter().enumerate();
                b.map(move |(j, &b)| (family, name, a, b, value(j)))
            })
        })
    }
}

/// One crate's scrape: it hands its text to the visitor, so the check
/// reads exactly what is timed.
pub struct Contender {
    name: &'static str,
    note: &'static str,
    scrape: Scrape,
}

/// Scrapes once and hands the text to the visitor.
type Scrape = Box<dyn FnMut(&mut dyn FnMut(&[u8]))>;

impl Contender {
    fn new<T: AsRef<[u8]>>(
        name: &'static str,
        note: &'static str,
        mut scrape: impl FnMut() -> T + 'static,
    ) -> Self {
        let scrape = Box::new(move |see: &mut dyn FnMut(&[u8])| see(scrape().as_ref()));
        Contender { name, note, scrape }
    }
}

fn bizmetrics<A: Copy, B: Copy, L, M, C>(shape: &Shape<A, B, L, M, C>) -> Contender {
    bizmetrics::init().expect("consistent definitions");
    // A default build's render() also writes the process collector, which
    // the other crates do not have. Removed through the public registry so
    // that all four write the same series; the sample check fails if not.
    #[cfg(target_os = "linux")]
    let _ = bizmetrics::registry().unregister(Box::new(
        prometheus::process_collector::ProcessCollector::for_self(),
    ));
    for (family, _, a, b, value) in shape.each() {
        for _ in 0..value {
            (shape.bizmetrics[family])(a, b);
        }
    }
    Contender::new(
        "bizmetrics::render()",
        "a new String per scrape",
        bizmetrics::render,
    )
}

fn prometheus<A, B, L, M, C>(shape: &Shape<A, B, L, M, C>) -> Contender
where
    A: Copy + LabelValue,
    B: Copy + LabelValue,
{
    let registry = prometheus::Registry::new();
    let labels = ["action_type", "endpoint", "a", "b"];
    let vecs: Vec<IntCounterVec> = (shape.names.iter())
        .map(|&name| IntCounterVec::new(Opts::new(name, HELP), &labels).unwrap())
        .collect();
    for (family, _, a, b, value) in shape.each() {
        let (a, b) = (A::label(a.ordinal()), B::label(b.ordinal()));
        let series = vecs[family].with_label_values(&["a", "family", a, b]);
        series.inc_by(value);
    }
    for vec in vecs {
        registry.register(Box::new(vec)).unwrap();
    }
    Contender::new(
        "prometheus gather + encode",
        "a new Vec per scrape, as its docs do",
        move || {
            let mut text = Vec::new();
            let families = registry.gather();
            TextEncoder::new().encode(&families, &mut text).unwrap();
            text
        },
    )
}

fn measured<A, B, L, M, C>(shape: &Shape<A, B, L, M, C>) -> Contender
where
    A: Copy,
    B: Copy,
    L: for<'a> LabelGroupSet<Group<'a> = M> + 'static,
    CounterVec<L>: MetricFamilyEncoding<BufferedTextEncoder>,
{
    let (set, group) = (shape.measured_set, shape.measured_labels);
    // Dense: every series has its counter from the start, as in bizmetrics.
    // (`CounterVec::new()` would pick a sparse map above 1,024 series.)
    let vecs: Vec<CounterVec<L>> = (shape.names.iter())
        .map(|_| CounterVec::dense_with_label_set(set()))
        .collect();
    for (family, _, a, b, value) in shape.each() {
        vecs[family].inc_by(group(a, b), value);
    }
    let names: Vec<&'static MetricName> = (shape.names.iter())
        .map(|&name| MetricName::from_str(name))
        .collect();
    let mut encoder = BufferedTextEncoder::new();
    Contender::new(
        "measured",
        "one BufferedTextEncoder reused across scrapes, as its docs advise",
        move || {
            for (&name, vec) in names.iter().zip(&vecs) {
                // What `#[derive(MetricGroup)]` writes for a documented field.
                let Ok(()) = encoder.write_help(name, HELP);
                let Ok(()) = vec.collect_family_into(name, &mut encoder);
            }
            encoder.finish()
        },
    )
}

fn client<A, B, L, M, C>(shape: &Shape<A, B, L, M, C>) -> Contender
where
    A: Copy,
    B: Copy,
    C: EncodeLabelSet + Clone + Eq + std::hash::Hash + fmt::Debug + Send + Sync + 'static,
{
    let mut registry = prometheus_client::registry::Registry::default();
    let families: Vec<Family<C, Counter>> =
        (shape.names.iter()).map(|_| Family::default()).collect();
    for (family, _, a, b, value) in shape.each() {
        families[family]
            .get_or_create(&(shape.client)(a, b))
            .inc_by(value);
    }
    for (&name, family) in shape.names.iter().zip(families) {
        // OpenMetrics appends `_total` to a counter's samples.
        let name = name
            .strip_suffix("_total")
            .expect("counter names end in _total");
        registry.register(name, HELP, family);
    }
    Contender::new(
        "prometheus-client",
        "a new String per scrape, as its docs do",
        move || {
            let mut text = String::new();
            prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
            text
        },
    )
}

/// One sample line: name, labels sorted by name, value.
type Sample = (String, Vec<(String, String)>, u64);

fn sample(name: &str, labels: &[(&str, &str)], value: f64) -> Sample {
    let mut labels: Vec<_> = (labels.iter())
        .map(|&(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    labels.sort();
    // `+ 0.0` makes -0 and 0 one value.
    (name.to_owned(), labels, (value + 0.0).to_bits())
}

fn expected<A, B, L, M, C>(shape: &Shape<A, B, L, M, C>) -> Vec<Sample>
where
    A: Copy + LabelValue,
    B: Copy + LabelValue,
{
    #[allow(clippy::cast_precision_loss)] // small counts
    let mut samples: Vec<Sample> = (shape.each())
        .map(|(_, name, a, b, value)| {
            let (a, b) = (A::label(a.ordinal()), B::label(b.ordinal()));
            let labels = [
                ("action_type", "a"),
                ("endpoint", "family"),
                ("a", a),
                ("b", b),
            ];
            sample(name, &labels, value as f64)
        })
        .collect();
    samples.sort();
    samples
}

/// The sample lines of a text exposition, Prometheus or OpenMetrics,
/// sorted; comments (`# HELP`, `# TYPE`, `# EOF`) and blank lines skipped.
fn samples(text: &[u8]) -> Result<Vec<Sample>, String> {
    let text = std::str::from_utf8(text).map_err(|e| e.to_string())?;
    let mut samples = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        samples.push(parse_line(line).ok_or_else(|| format!("unparsable line {line:?}"))?);
    }
    samples.sort();
    Ok(samples)
}

/// `name{label="value",...} value [timestamp]`.
fn parse_line(line: &str) -> Option<Sample> {
    let name_end = line.find(['{', ' '])?;
    let (name, mut rest) = line.split_at(name_end);
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        rest = inner;
        loop {
            rest = rest.strip_prefix(',').unwrap_or(rest);
            if let Some(after) = rest.strip_prefix('}') {
                rest = after;
                break;
            }
            let (label, after) = rest.split_once("=\"")?;
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next()? {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next()?.1 {
                        'n' => value.push('\n'),
                        other => value.push(other),
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.push((label.to_owned(), value));
            rest = &after[end + 1..];
        }
    }
    let value: f64 = rest.split_whitespace().next()?.parse().ok()?;
    let borrowed: Vec<(&str, &str)> = (labels.iter())
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    Some(sample(name, &borrowed, value))
}

/// Panics unless `contender`'s text holds exactly the `expected` samples.
fn check(contender: &mut Contender, expected: &[Sample]) {
    let mut got = Err(String::new());
    (contender.scrape)(&mut |text| got = samples(text));
    let got = got.unwrap_or_else(|e| panic!("{}: {e}", contender.name));
    if got == expected {
        return;
    }
    let (got_counts, expected_counts) = (counts(&got), counts(expected));
    let differ = |a: &HashMap<&Sample, i64>, b: &HashMap<&Sample, i64>| -> Vec<String> {
        let mut lines: Vec<String> = (a.iter())
            .filter(|&(sample, n)| b.get(sample).copied().unwrap_or(0) < *n)
            .map(|(sample, _)| format!("    {}", show(sample)))
            .collect();
        lines.sort();
        lines.truncate(5);
        lines
    };
    panic!(
        "{} does not write the same samples as the others: {} sample lines, {} expected\n  \
         unexpected (first 5):\n{}\n  missing (first 5):\n{}",
        contender.name,
        got.len(),
        expected.len(),
        differ(&got_counts, &expected_counts).join("\n"),
        differ(&expected_counts, &got_counts).join("\n"),
    );
}

/// A sample as a text line, labels sorted.
fn show((name, labels, value): &Sample) -> String {
    let labels: Vec<String> = (labels.iter())
        .map(|(name, value)| format!("{name}={value:?}"))
        .collect();
    format!("{name}{{{}}} {}", labels.join(","), f64::from_bits(*value))
}

/// How many times each sample occurs.
fn counts(samples: &[Sample]) -> HashMap<&Sample, i64> {
    let mut counts = HashMap::new();
    for sample in samples {
        *counts.entry(sample).or_default() += 1;
    }
    counts
}

/// What one contender's scrapes measured.
#[derive(Default)]
struct Runs {
    seconds: Vec<f64>,
    bytes: Vec<u64>,
    allocations: Vec<u64>,
    text: usize,
}

fn scrape_once(contender: &mut Contender, runs: &mut Runs) {
    let (bytes, allocations) = allocated();
    let start = Instant::now();
    let mut text = 0;
    (contender.scrape)(&mut |t| text = black_box(t).len());
    let elapsed = start.elapsed().as_secs_f64();
    runs.seconds.push(elapsed);
    let (after_bytes, after_allocations) = allocated();
    runs.bytes.push(after_bytes - bytes);
    runs.allocations.push(after_allocations - allocations);
    runs.text = text;
}

/// The value at quantile `q` of `values`, sorting them.
fn quantile<T: Copy + PartialOrd>(values: &mut [T], q: f64) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((values.len() - 1) as f64 * q).round() as usize;
    values[index]
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Builds `shape`'s series in all four crates, checks that their texts hold
/// the same samples, times them interleaved and prints the table.
pub fn compare<A, B, L, M, C>(shape: &Shape<A, B, L, M, C>)
where
    A: Copy + LabelValue,
    B: Copy + LabelValue,
    L: for<'a> LabelGroupSet<Group<'a> = M> + 'static,
    CounterVec<L>: MetricFamilyEncoding<BufferedTextEncoder>,
    C: EncodeLabelSet + Clone + Eq + std::hash::Hash + fmt::Debug + Send + Sync + 'static,
{
    let setup = Instant::now();
    let mut contenders = [
        bizmetrics(shape),
        measured(shape),
        client(shape),
        prometheus(shape),
    ];
    let expected = expected(shape);
    for contender in &mut contenders {
        check(contender, &expected);
    }
    let setup = setup.elapsed();

    let timing = Instant::now();
    let mut runs: Vec<Runs> = contenders.iter().map(|_| Runs::default()).collect();
    for round in 0..=shape.rounds {
        // Each round starts with the next contender, so none always runs
        // right after the same one.
        for k in 0..contenders.len() {
            let i = (round + k) % contenders.len();
            for _ in 0..shape.block {
                let mut scratch = Runs::default();
                let target = if round == 0 {
                    &mut scratch
                } else {
                    &mut runs[i]
                };
                scrape_once(&mut contenders[i], target);
            }
        }
    }
    let timing = timing.elapsed();

    let families = shape.names.len();
    println!(
        "scrape of {} series ({families} counter {}, 4 labels), all four checked to write the same {} samples;",
        grouped(shape.series() as u64),
        if families == 1 { "family" } else { "families" },
        grouped(expected.len() as u64),
    );
    println!(
        "{} interleaved rounds of {} scrape(s) each (setup {:.1} s, timing {:.1} s); medians:",
        shape.rounds,
        shape.block,
        setup.as_secs_f64(),
        timing.as_secs_f64(),
    );
    println!(
        "  {:<28} {:>10} {:>21} {:>12} {:>15} {:>12} {:>13}",
        "", "time", "p25 .. p75", "vs measured", "bytes alloc'd", "allocations", "bytes of text"
    );
    let mut medians: Vec<f64> = Vec::new();
    for runs in &mut runs {
        medians.push(quantile(&mut runs.seconds, 0.5));
    }
    let measured = medians[1];
    for ((contender, runs), &median) in contenders.iter().zip(&mut runs).zip(&medians) {
        let (p25, p75) = (
            quantile(&mut runs.seconds, 0.25),
            quantile(&mut runs.seconds, 0.75),
        );
        println!(
            "  {:<28} {:>7.3} ms {:>9.3} .. {:>6.3} ms {:>11.2}x {:>15} {:>12} {:>13}",
            contender.name,
            median * 1e3,
            p25 * 1e3,
            p75 * 1e3,
            median / measured,
            grouped(quantile(&mut runs.bytes, 0.5)),
            grouped(quantile(&mut runs.allocations, 0.5)),
            grouped(runs.text as u64),
        );
    }
    for contender in &contenders {
        println!("  {}: {}", contender.name, contender.note);
    }
    let ratio = medians[0] / measured;
    println!(
        "  target: render() at most {:.1}x measured's time; now {ratio:.2}x, {}",
        shape.target,
        if ratio <= shape.target {
            "met"
        } else {
            "missed"
        },
    );
}
