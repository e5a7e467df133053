//! Writes families in the prometheus crate's model: metrics registered by
//! hand and the process collector.

use prometheus::proto::{MetricFamily, MetricType};

use super::text::{self, Type, Value, Writer};

#[allow(clippy::cast_precision_loss)] // as the prometheus crate itself writes counts
pub(super) fn write(writer: &mut Writer<'_>, family: &MetricFamily) {
    let kind = match family.get_field_type() {
        MetricType::COUNTER => Type::Counter,
        MetricType::GAUGE => Type::Gauge,
        MetricType::HISTOGRAM => Type::Histogram,
        MetricType::SUMMARY => Type::Summary,
        MetricType::UNTYPED => Type::Unknown,
    };
    let (name, suffix) = match kind {
        Type::Counter => writer.counter_name(family.name()),
        _ => (family.name(), ""),
    };
    writer.metadata(name, family.help(), kind);
    for metric in family.get_metric() {
        let labels = text::label_set(
            metric
                .get_label()
                .iter()
                .map(|pair| (pair.name(), pair.value())),
        );
        let mut sample = |suffix: &str, extra: Option<(&str, &str)>, value: Value| {
            writer.sample(name, suffix, &labels, extra, value, None);
        };
        match kind {
            Type::Counter => sample(suffix, None, Value::Float(metric.get_counter().get_value())),
            Type::Gauge => sample("", None, Value::Float(metric.get_gauge().get_value())),
            // The prometheus crate makes no untyped metrics, but its model has them.
            #[allow(deprecated)]
            Type::Unknown => sample("", None, Value::Float(metric.get_untyped().get_value())),
            Type::Histogram => {
                let histogram = metric.get_histogram();
                let mut infinite_seen = false;
                for bucket in histogram.get_bucket() {
                    let bound = bucket.upper_bound();
                    infinite_seen |= bound == f64::INFINITY;
                    let le = text::float(bound);
                    let count = Value::Count(bucket.cumulative_count());
                    sample("_bucket", Some(("le", &le)), count);
                }
                let count = Value::Count(histogram.get_sample_count());
                if !infinite_seen {
                    sample("_bucket", Some(("le", "+Inf")), count);
                }
                sample("_sum", None, Value::Float(histogram.get_sample_sum()));
                sample("_count", None, count);
            }
            Type::Summary => {
                let summary = metric.get_summary();
                for quantile in summary.get_quantile() {
                    let q = text::float(quantile.quantile());
                    sample("", Some(("quantile", &q)), Value::Float(quantile.value()));
                }
                sample("_sum", None, Value::Float(summary.sample_sum()));
                sample("_count", None, Value::Count(summary.sample_count()));
            }
        }
    }
}
