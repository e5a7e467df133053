//! The call sites' families as a source of the exposition, written
//! straight from their cells.

use super::protobuf::{self, BucketSpan, Counter, Gauge, Metric, MetricFamily, MetricType};
use super::text::{Type, Value, Writer};
use super::{Gathered, Source};
use crate::family::{Family, FamilyKind};
use crate::native::ZERO_THRESHOLD;

/// The call sites' families that [`init`](crate::init) registered, sorted
/// by name.
pub(crate) struct CallSiteFamilies(pub(crate) Vec<&'static Family>);

impl Source for CallSiteFamilies {
    fn gather(&self) -> Box<dyn Gathered + '_> {
        Box::new(self)
    }
}

impl Gathered for &CallSiteFamilies {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn name(&self, index: usize) -> &str {
        self.0[index].name
    }

    fn write(&self, index: usize, writer: &mut Writer<'_>) {
        write(writer, self.0[index]);
    }

    fn to_protobuf(&self, index: usize) -> MetricFamily {
        to_protobuf(self.0[index])
    }
}

#[allow(clippy::cast_precision_loss)] // exact below 2^53 ns
fn write(writer: &mut Writer<'_>, family: &Family) {
    // Only OpenMetrics shows exemplars: the text format skips the lookup.
    let exemplars = writer.openmetrics();
    match family.kind {
        FamilyKind::Counter => {
            let (name, suffix) = writer.counter_name(family.name);
            writer.metadata(name, family.help, Type::Counter);
            // Counters end in `_total`, so the sample's name is the same in
            // both formats.
            debug_assert_eq!(format!("{name}{suffix}"), family.name);
            for series in family.series() {
                let exemplar = exemplars.then(|| series.exemplar(0)).flatten();
                let value = Value::Count(series.counter());
                writer.sample_after(series.line(), value, exemplar.as_ref());
            }
        }
        FamilyKind::Gauge => {
            writer.metadata(family.name, family.help, Type::Gauge);
            for series in family.series() {
                writer.sample_after(series.line(), Value::Signed(series.gauge()), None);
            }
        }
        FamilyKind::Histogram { .. } => {
            let name = family.name;
            writer.metadata(name, family.help, Type::Histogram);
            for series in family.series() {
                let buckets = family.bounds.iter().enumerate().map(|(bucket, le)| {
                    let exemplar = exemplars.then(|| series.exemplar(bucket)).flatten();
                    (le.as_str(), series.bucket(bucket), exemplar)
                });
                let sum = series.sum_ns() as f64 / 1e9;
                writer.histogram(name, series.label_text(), buckets, sum);
            }
        }
    }
}

/// The family in the protobuf model, exemplars included.
#[allow(clippy::cast_precision_loss)] // exact below 2^53 ns or calls
fn to_protobuf(family: &Family) -> MetricFamily {
    let metric = family.series().map(|series| {
        let mut metric = Metric {
            label: protobuf::label_pairs(series.labels().iter().copied()),
            ..Metric::default()
        };
        match family.kind {
            FamilyKind::Counter => {
                metric.counter = Some(Counter {
                    value: series.counter() as f64,
                    exemplar: series.exemplar(0).as_ref().map(Into::into),
                });
            }
            FamilyKind::Gauge => {
                metric.gauge = Some(Gauge {
                    value: series.gauge() as f64,
                });
            }
            FamilyKind::Histogram { buckets, schema } => {
                let bounds = buckets.iter().chain([&f64::INFINITY]).enumerate();
                let buckets = bounds.map(|(index, &upper_bound)| {
                    (upper_bound, series.bucket(index), series.exemplar(index))
                });
                let mut histogram = protobuf::histogram(buckets, series.sum_ns() as f64 / 1e9);
                if let (Some(schema), Some(sparse)) = (schema, series.native()) {
                    // Prometheus refuses a native histogram whose count is not
                    // its buckets' sum: the count is read with the buckets,
                    // not from the classic cells, which a call may have
                    // reached first.
                    histogram.sample_count = sparse.count;
                    histogram.schema = i32::from(schema);
                    histogram.zero_threshold = ZERO_THRESHOLD;
                    histogram.zero_count = sparse.zero_count;
                    histogram.positive_span = sparse
                        .spans
                        .iter()
                        .map(|&(offset, length)| BucketSpan { offset, length })
                        .collect();
                    histogram.positive_delta = sparse.deltas;
                }
                metric.histogram = Some(histogram);
            }
        }
        metric
    });
    MetricFamily {
        name: family.name.to_owned(),
        help: family.help.to_owned(),
        r#type: match family.kind {
            FamilyKind::Counter => MetricType::Counter,
            FamilyKind::Gauge => MetricType::Gauge,
            FamilyKind::Histogram { .. } => MetricType::Histogram,
        } as i32,
        metric: metric.collect(),
        unit: String::new(),
    }
}
