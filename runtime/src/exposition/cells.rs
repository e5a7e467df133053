//! Writes the call sites' families straight from their cells.

use super::text::{Type, Value, Writer};
use super::Format;
use crate::exemplar::Exemplar;
use crate::family::{Family, Kind, Series};

#[allow(clippy::cast_precision_loss)] // exact below 2^53 ns
pub(super) fn write(writer: &mut Writer<'_>, family: &Family) {
    match family.kind {
        Kind::Counter => {
            let (name, suffix) = writer.counter_name(family.name);
            writer.metadata(name, family.help, Type::Counter);
            // Counters end in `_total`, so the sample's name is the same in
            // both formats.
            debug_assert_eq!(format!("{name}{suffix}"), family.name);
            for series in &family.series {
                let exemplar = exemplar(writer, series, 0);
                let value = Value::Count(series.counter());
                writer.sample_after(&series.prefix, value, exemplar.as_ref());
            }
        }
        Kind::Gauge => {
            writer.metadata(family.name, family.help, Type::Gauge);
            for series in &family.series {
                writer.sample_after(&series.prefix, Value::Signed(series.gauge()), None);
            }
        }
        Kind::Histogram { .. } => {
            let name = family.name;
            writer.metadata(name, family.help, Type::Histogram);
            for series in &family.series {
                let mut cumulative = 0;
                for (bucket, le) in family.bounds.iter().enumerate() {
                    cumulative += series.bucket(bucket);
                    let exemplar = exemplar(writer, series, bucket);
                    let (le, count) = (Some(("le", le.as_str())), Value::Count(cumulative));
                    writer.sample(name, "_bucket", &series.text, le, count, exemplar.as_ref());
                }
                let sum = Value::Float(series.sum_ns() as f64 / 1e9);
                writer.sample(name, "_sum", &series.text, None, sum, None);
                writer.sample(
                    name,
                    "_count",
                    &series.text,
                    None,
                    Value::Count(cumulative),
                    None,
                );
            }
        }
    }
}

/// Only OpenMetrics shows exemplars: the text format skips the lookup.
fn exemplar(writer: &Writer<'_>, series: &Series, bucket: usize) -> Option<Exemplar> {
    match writer.format() {
        Format::OpenMetrics => series.exemplar(bucket),
        Format::Text => None,
    }
}
