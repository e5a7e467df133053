//! Metric families: call sites grouped by name, checked, and merged.
//!
//! Call sites that share a name must agree on kind, help, label names and
//! buckets. Call sites that share every label value feed one series, whose
//! value is the sum of their cells: two handlers with the same action count
//! together, and copies of a function (as `#[debug_handler]` makes) stay
//! correct.

use std::collections::BTreeMap;
use std::ops::Range;

use prometheus::proto;

use crate::catalog::site_metric::{SiteMetric, Storage};
use crate::decl::{CallSite, Help, Location, MAX_SERIES};
use crate::error::Problem;
use crate::escape;
use crate::exemplar::{self, Exemplar};

/// The metric kind of a family, with what must match across its sites.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FamilyKind {
    Counter,
    Gauge,
    /// `schema` is the native histogram's, where one is kept.
    Histogram {
        buckets: &'static [f64],
        schema: Option<u8>,
    },
}

impl FamilyKind {
    /// `a counter`, for messages.
    fn noun(self) -> &'static str {
        match self {
            FamilyKind::Counter => "a counter",
            FamilyKind::Gauge => "a gauge",
            FamilyKind::Histogram { .. } => "a histogram",
        }
    }

    fn of(storage: Storage) -> Self {
        match storage {
            Storage::Counter(_) => FamilyKind::Counter,
            Storage::Gauge(_) => FamilyKind::Gauge,
            Storage::Histogram(histogram) => FamilyKind::Histogram {
                buckets: histogram.buckets(),
                schema: histogram.native.map(|native| native.schema),
            },
        }
    }
}

/// One exported series: where its text and feeds lie in its family's.
#[derive(Debug)]
struct Series {
    /// `(name, value)`, sorted by name.
    labels: Vec<(&'static str, &'static str)>,
    /// `name{labels} `: a counter's or gauge's sample line up to its
    /// value, the same in both formats. Most of a scrape is copying these.
    line: Range<usize>,
    /// The labels alone, escaped, within `line`.
    label_text: Range<usize>,
    feeds: Range<usize>,
}

/// A series as the merge collects it, before it is laid out.
struct Draft {
    labels: Vec<(&'static str, &'static str)>,
    feeds: Vec<Feed>,
}

/// One call site's series that feeds an exported series.
#[derive(Debug)]
struct Feed {
    storage: Storage,
    series: usize,
    call_site: &'static CallSite,
}

/// A consistent metric family, ready to be read at scrape time.
#[derive(Debug)]
pub(crate) struct Family {
    pub(crate) name: &'static str,
    pub(crate) help: &'static str,
    pub(crate) label_names: Vec<&'static str>,
    pub(crate) location: Location,
    pub(crate) kind: FamilyKind,
    /// A histogram's `le` values, `+Inf` last, as the exposition writes them.
    pub(crate) bounds: Vec<String>,
    series: Vec<Series>,
    /// Every series' line, escaped once at startup, one after another: a
    /// scrape reads them in order from one buffer.
    text: String,
    /// Every series' feeds, one after another.
    feeds: Vec<Feed>,
}

/// Groups call sites into families. Sites that conflict with the first
/// definition of their family (in source order) are reported and left out.
pub(crate) fn build(sites: &[SiteMetric]) -> (Vec<Family>, Vec<Problem>) {
    let mut sorted: Vec<&SiteMetric> = sites.iter().collect();
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
        if family.series.len() > MAX_SERIES {
            problems.push(Problem::TooManySeries {
                metric: family.name,
                series: family.series.len(),
                sites: members.iter().map(|site| series_product(site)).collect(),
            });
        } else {
            families.push(family);
        }
    }
    // OpenMetrics declares the counter `jobs_total` as the family `jobs`,
    // so a family named `jobs` beside it would make that exposition
    // invalid: it is reported and left out.
    let declared: Vec<(&str, &str, Location)> = families
        .iter()
        .filter(|family| family.kind == FamilyKind::Counter)
        .filter_map(|f| Some((f.name.strip_suffix("_total")?, f.name, f.location)))
        .collect();
    families.retain(|family| {
        let Some(&(_, counter, at)) = declared.iter().find(|(stem, ..)| *stem == family.name)
        else {
            return true;
        };
        problems.push(Problem::Conflict {
            metric: family.name,
            what: "names in OpenMetrics",
            kept: (
                at,
                format!(
                    "the counter `{counter}`, which OpenMetrics declares as `{}`,",
                    family.name
                ),
            ),
            conflicting: (
                family.location,
                format!("{} of that name", family.kind.noun()),
            ),
        });
        false
    });
    (families, problems)
}

/// `device 3 × outcome 4 at src/a.rs:1:1`: where a call site's series come from.
fn series_product(site: &SiteMetric) -> String {
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

fn label_names(site: &SiteMetric) -> Vec<&'static str> {
    let statics = site.labels.iter().map(|&(name, _)| name);
    let dynamics = site.dimensions.iter().map(|d| d.name);
    let mut names: Vec<_> = statics.chain(dynamics).collect();
    names.sort_unstable();
    names
}

fn conflict(first: &SiteMetric, other: &SiteMetric) -> Option<Problem> {
    let problem = |what, kept: String, conflicting: String| Problem::Conflict {
        metric: first.name,
        what,
        kept: (first.location, kept),
        conflicting: (other.location, conflicting),
    };
    let (kind, other_kind) = (FamilyKind::of(first.storage), FamilyKind::of(other.storage));
    let name = |kind: FamilyKind| kind.noun().to_owned();
    match (kind, other_kind) {
        (FamilyKind::Histogram { buckets: a, .. }, FamilyKind::Histogram { buckets: b, .. })
            if a != b =>
        {
            return Some(problem("buckets", format!("{a:?}"), format!("{b:?}")));
        }
        (FamilyKind::Histogram { schema: a, .. }, FamilyKind::Histogram { schema: b, .. })
            if a != b =>
        {
            let native = |schema: Option<u8>| {
                schema.map_or_else(
                    || "classic only".to_owned(),
                    |s| format!("native, schema {s}"),
                )
            };
            return Some(problem("native histograms", native(a), native(b)));
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
    fn merge(members: &[&SiteMetric]) -> Family {
        let first = members[0];
        let help = members
            .iter()
            .find(|site| matches!(site.help, Help::Explicit(_)))
            .map_or(first.help, |site| site.help)
            .text();

        let mut by_values: BTreeMap<Vec<&'static str>, Draft> = BTreeMap::new();
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
                    .or_insert_with(|| Draft {
                        labels,
                        feeds: Vec::new(),
                    })
                    .feeds
                    .push(Feed {
                        storage: site.storage,
                        series: index,
                        call_site: site.owner,
                    });
            }
        }

        let kind = FamilyKind::of(first.storage);
        let bounds = match kind {
            FamilyKind::Histogram { buckets, .. } => buckets
                .iter()
                .chain([&f64::INFINITY])
                .map(|&bound| escape::float(bound))
                .collect(),
            FamilyKind::Counter | FamilyKind::Gauge => Vec::new(),
        };
        let mut family = Family {
            name: first.name,
            help,
            label_names: label_names(first),
            location: first.location,
            kind,
            bounds,
            series: Vec::with_capacity(by_values.len()),
            text: String::new(),
            feeds: Vec::new(),
        };
        for draft in by_values.into_values() {
            let start = family.text.len();
            let labels = escape::label_set(draft.labels.iter().copied());
            family
                .text
                .push_str(&escape::sample_prefix(first.name, &labels));
            let label_start = start + first.name.len() + usize::from(!labels.is_empty());
            let feeds = family.feeds.len()..family.feeds.len() + draft.feeds.len();
            family.feeds.extend(draft.feeds);
            family.series.push(Series {
                labels: draft.labels,
                line: start..family.text.len(),
                label_text: label_start..label_start + labels.len(),
                feeds,
            });
        }
        family
    }

    /// Its series, in label order, to read at scrape time.
    pub(crate) fn series(&self) -> impl Iterator<Item = SeriesView<'_>> {
        self.series.iter().map(|series| SeriesView {
            family: self,
            series,
        })
    }

    /// Reads every series' cells into a protobuf-model family.
    pub(crate) fn collect(&self) -> proto::MetricFamily {
        let mut family = proto::MetricFamily::default();
        family.set_name(self.name.to_owned());
        family.set_help(self.help.to_owned());
        family.set_field_type(match self.kind {
            FamilyKind::Counter => proto::MetricType::COUNTER,
            FamilyKind::Gauge => proto::MetricType::GAUGE,
            FamilyKind::Histogram { .. } => proto::MetricType::HISTOGRAM,
        });
        let metrics = self
            .series()
            .map(|series| Self::read(self.kind, series))
            .collect();
        family.set_metric(metrics);
        family
    }

    #[allow(clippy::cast_precision_loss)] // exact below 2^53 calls or ns
    fn read(kind: FamilyKind, series: SeriesView<'_>) -> proto::Metric {
        let labels = series
            .labels()
            .iter()
            .map(|&(name, value)| {
                let mut pair = proto::LabelPair::default();
                pair.set_name(name.to_owned());
                pair.set_value(value.to_owned());
                pair
            })
            .collect();
        let mut metric = proto::Metric::from_label(labels);
        match kind {
            FamilyKind::Counter => {
                let mut counter = proto::Counter::default();
                counter.set_value(series.counter() as f64);
                metric.set_counter(counter);
            }
            FamilyKind::Gauge => {
                let mut gauge = proto::Gauge::default();
                gauge.set_value(series.gauge() as f64);
                metric.set_gauge(gauge);
            }
            FamilyKind::Histogram { buckets, .. } => {
                let mut cumulative = 0u64;
                let mut proto_buckets = Vec::with_capacity(buckets.len());
                for (index, &bound) in buckets.iter().enumerate() {
                    cumulative += series.bucket(index);
                    let mut bucket = proto::Bucket::default();
                    bucket.set_upper_bound(bound);
                    bucket.set_cumulative_count(cumulative);
                    proto_buckets.push(bucket);
                }
                let mut histogram = proto::Histogram::default();
                histogram.set_sample_count(cumulative + series.bucket(buckets.len()));
                histogram.set_sample_sum(series.sum_ns() as f64 / 1e9);
                histogram.set_bucket(proto_buckets);
                metric.set_histogram(histogram);
            }
        }
        metric
    }
}

/// A series of a family, read at scrape time: the sum over its feeds'
/// cells.
#[derive(Clone, Copy)]
pub(crate) struct SeriesView<'a> {
    family: &'a Family,
    series: &'a Series,
}

impl<'a> SeriesView<'a> {
    /// Its labels, `(name, value)`, sorted by name.
    pub(crate) fn labels(self) -> &'a [(&'static str, &'static str)] {
        &self.series.labels
    }

    /// `name{labels} `, escaped: a counter's or gauge's line up to its value.
    pub(crate) fn line(self) -> &'a str {
        &self.family.text[self.series.line.clone()]
    }

    /// The labels alone, escaped: `a="x",b="y"`.
    pub(crate) fn label_text(self) -> &'a str {
        &self.family.text[self.series.label_text.clone()]
    }

    fn feeds(self) -> &'a [Feed] {
        &self.family.feeds[self.series.feeds.clone()]
    }

    /// The sum of what `read` finds in each source's storage.
    fn sum(self, read: impl Fn(Storage, usize) -> Option<u64>) -> u64 {
        self.feeds()
            .iter()
            .filter_map(|source| read(source.storage, source.series))
            .fold(0, u64::wrapping_add)
    }

    /// A counter's value.
    pub(crate) fn counter(self) -> u64 {
        self.sum(|storage, series| match storage {
            Storage::Counter(counter) => Some(counter.get(series)),
            _ => None,
        })
    }

    /// A gauge's value.
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_wrap)] // two's complement, as stored
    pub(crate) fn gauge(self) -> i64 {
        self.sum(|storage, series| match storage {
            Storage::Gauge(gauge) => Some(gauge.get(series) as u64),
            _ => None,
        }) as i64
    }

    /// A histogram's count in bucket `bucket`, not cumulative; the last
    /// bucket is `+Inf`.
    pub(crate) fn bucket(self, bucket: usize) -> u64 {
        self.sum(|storage, series| match storage {
            Storage::Histogram(h) => Some(h.bucket(series, bucket)),
            _ => None,
        })
    }

    /// A histogram's sum of observations, in nanoseconds.
    pub(crate) fn sum_ns(self) -> u64 {
        self.sum(|storage, series| match storage {
            Storage::Histogram(h) => Some(h.sum_ns(series)),
            _ => None,
        })
    }

    /// A native histogram's buckets, added up over the feeds.
    pub(crate) fn native(self) -> Option<crate::native::Sparse> {
        let mut schema = None;
        let rows: Vec<&[std::sync::atomic::AtomicU64]> = self
            .feeds()
            .iter()
            .filter_map(|source| match source.storage {
                Storage::Histogram(h) => h.native(source.series),
                _ => None,
            })
            .map(|(cells, s)| {
                schema = Some(s);
                cells
            })
            .collect();
        Some(crate::native::read(&rows, schema?))
    }

    /// The latest exemplar of a counter, or of a histogram's bucket
    /// `bucket`, among the call sites that feed this series.
    pub(crate) fn exemplar(self, bucket: usize) -> Option<Exemplar> {
        self.feeds()
            .iter()
            .filter_map(|source| {
                let cell = match source.storage {
                    Storage::Counter(counter) => counter.cell(source.series),
                    Storage::Histogram(h) => h.bucket_cell(source.series, bucket),
                    Storage::Gauge(_) => return None,
                };
                exemplar::latest(source.call_site, cell)
            })
            .max_by_key(|exemplar| exemplar.timestamp_ms)
    }
}
