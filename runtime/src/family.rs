//! Metric families: call sites grouped by name, checked, and merged.
//!
//! Call sites that share a name must agree on kind, help, label names and
//! buckets. Call sites that share every label value feed one series, whose
//! value is the sum of their cells: two handlers with the same action count
//! together, and copies of a function (as `#[debug_handler]` makes) stay
//! correct.

use std::collections::BTreeMap;

use prometheus::proto;

use crate::error::Problem;
use crate::site::{Help, Location, Site, Storage};

/// The metric kind of a family, with what must match across its sites.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Counter,
    Gauge,
    Histogram { buckets: &'static [f64] },
}

impl Kind {
    fn of(storage: Storage) -> Self {
        match storage {
            Storage::Counter(_) => Kind::Counter,
            Storage::Gauge(_) => Kind::Gauge,
            Storage::Histogram(histogram) => Kind::Histogram {
                buckets: histogram.buckets(),
            },
        }
    }
}

/// One exported series and the cells that add up to it.
#[derive(Debug)]
struct Series {
    /// `(name, value)`, sorted by name.
    labels: Vec<(&'static str, &'static str)>,
    sources: Vec<(Storage, usize)>,
}

/// A consistent metric family, ready to be read at scrape time.
#[derive(Debug)]
pub(crate) struct Family {
    pub(crate) name: &'static str,
    pub(crate) help: &'static str,
    pub(crate) label_names: Vec<&'static str>,
    pub(crate) location: Location,
    kind: Kind,
    series: Vec<Series>,
}

/// Groups call sites into families. Sites that conflict with the first
/// definition of their family (in source order) are reported and left out.
pub(crate) fn build(sites: &[Site]) -> (Vec<Family>, Vec<Problem>) {
    let mut sorted: Vec<&Site> = sites.iter().collect();
    sorted.sort_by_key(|site| (site.name, site.location));

    let mut families = Vec::new();
    let mut problems = Vec::new();
    for group in sorted.chunk_by(|a, b| a.name == b.name) {
        let first = group[0];
        let mut members = vec![first];
        for &site in &group[1..] {
            match conflict(first, site) {
                Some(problem) => problems.push(problem),
                None => members.push(site),
            }
        }
        let family = Family::merge(&members);
        if family.series.len() > crate::MAX_SERIES {
            problems.push(Problem::TooManySeries {
                metric: family.name,
                series: family.series.len(),
                sites: members.iter().map(|site| series_product(site)).collect(),
            });
        } else {
            families.push(family);
        }
    }
    (families, problems)
}

/// `device 3 × outcome 4 at src/a.rs:1:1`: where a call site's series come from.
fn series_product(site: &Site) -> String {
    let factors: Vec<String> = site
        .dimensions
        .iter()
        .map(|d| format!("{} {}", d.name, d.cardinality))
        .collect();
    let factors = if factors.is_empty() {
        "1".to_owned()
    } else {
        factors.join(" × ")
    };
    format!("{factors} at {}", site.location)
}

fn label_names(site: &Site) -> Vec<&'static str> {
    let statics = site.labels.iter().map(|&(name, _)| name);
    let dynamics = site.dimensions.iter().map(|d| d.name);
    let mut names: Vec<_> = statics.chain(dynamics).collect();
    names.sort_unstable();
    names
}

fn conflict(first: &Site, other: &Site) -> Option<Problem> {
    let problem = |what, kept: String, conflicting: String| Problem::Conflict {
        metric: first.name,
        what,
        kept: (first.location, kept),
        conflicting: (other.location, conflicting),
    };
    let (kind, other_kind) = (Kind::of(first.storage), Kind::of(other.storage));
    let name = |kind| match kind {
        Kind::Counter => "a counter".to_owned(),
        Kind::Gauge => "a gauge".to_owned(),
        Kind::Histogram { .. } => "a histogram".to_owned(),
    };
    match (kind, other_kind) {
        (Kind::Histogram { buckets: a }, Kind::Histogram { buckets: b }) if a != b => {
            return Some(problem("buckets", format!("{a:?}"), format!("{b:?}")));
        }
        _ if std::mem::discriminant(&kind) != std::mem::discriminant(&other_kind) => {
            return Some(problem("kinds", name(kind), name(other_kind)));
        }
        _ => {}
    }
    let (names, other_names) = (label_names(first), label_names(other));
    if names != other_names {
        return Some(problem(
            "label names",
            format!("{names:?}"),
            format!("{other_names:?}"),
        ));
    }
    if let (Help::Explicit(a), Help::Explicit(b)) = (first.help, other.help) {
        if a != b {
            return Some(problem("help texts", format!("{a:?}"), format!("{b:?}")));
        }
    }
    None
}

impl Family {
    fn merge(members: &[&Site]) -> Family {
        let first = members[0];
        let help = members
            .iter()
            .find(|site| matches!(site.help, Help::Explicit(_)))
            .map_or(first.help, |site| site.help)
            .text();

        let mut by_values: BTreeMap<Vec<&'static str>, Series> = BTreeMap::new();
        for site in members {
            for index in 0..site.series_count() {
                let dimensions = site.dimensions.iter().map(|d| d.name);
                let mut labels: Vec<_> = site
                    .labels
                    .iter()
                    .copied()
                    .chain(dimensions.zip(site.dimension_values(index)))
                    .collect();
                labels.sort_unstable();
                let values = labels.iter().map(|&(_, value)| value).collect();
                by_values
                    .entry(values)
                    .or_insert_with(|| Series {
                        labels,
                        sources: Vec::new(),
                    })
                    .sources
                    .push((site.storage, index));
            }
        }

        Family {
            name: first.name,
            help,
            label_names: label_names(first),
            location: first.location,
            kind: Kind::of(first.storage),
            series: by_values.into_values().collect(),
        }
    }

    /// Reads every series' cells into a protobuf-model family.
    pub(crate) fn collect(&self) -> proto::MetricFamily {
        let mut family = proto::MetricFamily::default();
        family.set_name(self.name.to_owned());
        family.set_help(self.help.to_owned());
        family.set_field_type(match self.kind {
            Kind::Counter => proto::MetricType::COUNTER,
            Kind::Gauge => proto::MetricType::GAUGE,
            Kind::Histogram { .. } => proto::MetricType::HISTOGRAM,
        });
        let metrics = self.series.iter().map(|series| self.read(series)).collect();
        family.set_metric(metrics);
        family
    }

    #[allow(clippy::cast_precision_loss)] // exact below 2^53 calls or ns
    fn read(&self, series: &Series) -> proto::Metric {
        let labels = series
            .labels
            .iter()
            .map(|&(name, value)| {
                let mut pair = proto::LabelPair::default();
                pair.set_name(name.to_owned());
                pair.set_value(value.to_owned());
                pair
            })
            .collect();
        let mut metric = proto::Metric::from_label(labels);
        match self.kind {
            Kind::Counter => {
                let mut total = 0u64;
                for &(storage, index) in &series.sources {
                    if let Storage::Counter(counter) = storage {
                        total = total.wrapping_add(counter.get(index));
                    }
                }
                let mut counter = proto::Counter::default();
                counter.set_value(total as f64);
                metric.set_counter(counter);
            }
            Kind::Gauge => {
                let mut total = 0i64;
                for &(storage, index) in &series.sources {
                    if let Storage::Gauge(gauge) = storage {
                        total = total.wrapping_add(gauge.get(index));
                    }
                }
                let mut gauge = proto::Gauge::default();
                gauge.set_value(total as f64);
                metric.set_gauge(gauge);
            }
            Kind::Histogram { buckets } => {
                let mut counts = vec![0u64; buckets.len() + 1];
                let mut sum_ns = 0u64;
                for &(storage, index) in &series.sources {
                    if let Storage::Histogram(histogram) = storage {
                        let snapshot = histogram.snapshot(index);
                        for (total, count) in counts.iter_mut().zip(snapshot.counts) {
                            *total = total.wrapping_add(count);
                        }
                        sum_ns = sum_ns.wrapping_add(snapshot.sum_ns);
                    }
                }
                let mut cumulative = 0u64;
                let mut proto_buckets = Vec::with_capacity(buckets.len());
                for (&bound, &count) in buckets.iter().zip(&counts) {
                    cumulative += count;
                    let mut bucket = proto::Bucket::default();
                    bucket.set_upper_bound(bound);
                    bucket.set_cumulative_count(cumulative);
                    proto_buckets.push(bucket);
                }
                let mut histogram = proto::Histogram::default();
                histogram.set_sample_count(counts.iter().sum());
                histogram.set_sample_sum(sum_ns as f64 / 1e9);
                histogram.set_bucket(proto_buckets);
                metric.set_histogram(histogram);
            }
        }
        metric
    }
}
