//! Reads families in the prometheus crate's model (metrics registered by
//! hand and the process collector) and writes them as text.
//!
//! The prometheus crate has two models of one API: a plain one, and the
//! `protobuf` crate's generated one when its `protobuf` feature is on.
//! Cargo unifies features across the graph, so an app that depends on
//! `prometheus` with its default features gives this crate the second one,
//! whatever this crate asks for. Everything here reads through the methods
//! both models have, and `value` bridges the one getter they name apart.

use prometheus::proto::{MetricFamily, MetricType};

use super::value;

use super::text::{self, Type, Value, Writer};

/// Whether the family can be read in both models. Neither model lets
/// untyped values be read from the other's API (the plain one deprecates
/// its getter as protobuf specific, the protobuf one has only a public
/// field), and the prometheus crate makes no untyped metrics: its own
/// `TextEncoder` refuses them. Leaving them out in both keeps `/metrics`
/// the same whichever model is compiled in.
pub(super) fn readable(family: &MetricFamily) -> bool {
    family.get_field_type() != MetricType::UNTYPED
}

#[allow(clippy::cast_precision_loss)] // as the prometheus crate itself writes counts
pub(super) fn write(writer: &mut Writer<'_>, family: &MetricFamily) {
    let kind = match family.get_field_type() {
        MetricType::COUNTER => Type::Counter,
        MetricType::GAUGE => Type::Gauge,
        MetricType::HISTOGRAM => Type::Histogram,
        MetricType::SUMMARY => Type::Summary,
        MetricType::UNTYPED => return,
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
            Type::Counter => sample(suffix, None, Value::Float(value::counter(metric))),
            Type::Gauge => sample("", None, Value::Float(value::gauge(metric))),
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
