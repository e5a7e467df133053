//! Lines of the two text formats: the Prometheus text format 0.0.4 and
//! OpenMetrics 1.0.0. Everything a scrape writes goes through [`Writer`],
//! so both formats share one set of escaping and number rules.

use super::Format;
use crate::escape::{escape_into, push_float, push_pair};
use crate::exemplar::Exemplar;

// The label sets and numbers of hand-registered families are written with
// the same rules.
pub(crate) use crate::escape::{float, label_set};

/// A metric family's type, as its `# TYPE` line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Counter,
    Gauge,
    Histogram,
    Summary,
}

/// A sample's value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value {
    Count(u64),
    Signed(i64),
    Float(f64),
}

/// Appends exposition lines to a buffer it borrows.
pub(crate) struct Writer<'a> {
    out: &'a mut String,
    /// OpenMetrics, or else the Prometheus text format.
    openmetrics: bool,
    integers: itoa::Buffer,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut String, format: Format) -> Self {
        Writer {
            out,
            openmetrics: format == Format::OpenMetrics,
            integers: itoa::Buffer::new(),
        }
    }

    /// Whether this is OpenMetrics, which shows exemplars.
    pub(crate) fn openmetrics(&self) -> bool {
        self.openmetrics
    }

    /// The name a family is declared under, and the suffix of its samples.
    ///
    /// OpenMetrics names a counter family without `_total` and its sample
    /// with it; the text format uses the sample's name for both.
    pub(crate) fn counter_name<'n>(&self, name: &'n str) -> (&'n str, &'static str) {
        if self.openmetrics {
            (name.strip_suffix("_total").unwrap_or(name), "_total")
        } else {
            (name, "")
        }
    }

    /// `# HELP`, `# TYPE` and, in OpenMetrics, `# UNIT` where the family's
    /// name ends in a base unit.
    pub(crate) fn metadata(&mut self, family: &str, help: &str, kind: Type) {
        if !help.is_empty() {
            self.out.push_str("# HELP ");
            self.out.push_str(family);
            self.out.push(' ');
            escape_into(self.out, help, self.openmetrics);
            self.out.push('\n');
        }
        self.out.push_str("# TYPE ");
        self.out.push_str(family);
        self.out.push_str(match kind {
            Type::Counter => " counter\n",
            Type::Gauge => " gauge\n",
            Type::Histogram => " histogram\n",
            Type::Summary => " summary\n",
        });
        if self.openmetrics {
            if let Some(unit) = unit_of(family) {
                self.out.push_str("# UNIT ");
                self.out.push_str(family);
                self.out.push(' ');
                self.out.push_str(unit);
                self.out.push('\n');
            }
        }
    }

    /// One sample line. `labels` is a rendered label set, `a="x",b="y"`
    /// (see [`label_set`]), and `extra` one more pair such as `le="0.5"`.
    /// Exemplars are written in OpenMetrics only; the text format has none.
    pub(crate) fn sample(
        &mut self,
        family: &str,
        suffix: &str,
        labels: &str,
        extra: Option<(&str, &str)>,
        value: Value,
        exemplar: Option<&Exemplar>,
    ) {
        let out = &mut *self.out;
        out.push_str(family);
        out.push_str(suffix);
        if !labels.is_empty() || extra.is_some() {
            out.push('{');
            out.push_str(labels);
            if let Some((name, value)) = extra {
                if !labels.is_empty() {
                    out.push(',');
                }
                push_pair(out, name, value);
            }
            out.push('}');
        }
        out.push(' ');
        self.value(value);
        if let (true, Some(exemplar)) = (self.openmetrics, exemplar) {
            self.exemplar(exemplar);
        }
        self.out.push('\n');
    }

    /// A histogram series: each bucket's line, cumulative, from `buckets`
    /// as `(le, count in that bucket alone, exemplar)` with `+Inf` last,
    /// then `_sum` and `_count`.
    pub(crate) fn histogram<'e>(
        &mut self,
        family: &str,
        labels: &str,
        buckets: impl IntoIterator<Item = (&'e str, u64, Option<Exemplar>)>,
        sum_seconds: f64,
    ) {
        let mut cumulative = 0;
        for (le, count, exemplar) in buckets {
            cumulative += count;
            let (le, count) = (Some(("le", le)), Value::Count(cumulative));
            self.sample(family, "_bucket", labels, le, count, exemplar.as_ref());
        }
        self.sample(
            family,
            "_sum",
            labels,
            None,
            Value::Float(sum_seconds),
            None,
        );
        self.sample(
            family,
            "_count",
            labels,
            None,
            Value::Count(cumulative),
            None,
        );
    }

    /// One sample line from its [`sample_prefix`](crate::escape::sample_prefix): what
    /// [`sample`](Self::sample) writes, with the name and labels copied
    /// in one piece.
    pub(crate) fn sample_after(&mut self, prefix: &str, value: Value, exemplar: Option<&Exemplar>) {
        self.out.push_str(prefix);
        self.value(value);
        if let (true, Some(exemplar)) = (self.openmetrics, exemplar) {
            self.exemplar(exemplar);
        }
        self.out.push('\n');
    }

    /// ` # {trace_id="..",span_id=".."} 0.25 1700000000.123`
    fn exemplar(&mut self, exemplar: &Exemplar) {
        self.out.push_str(" # {");
        exemplar.write_labels(self.out);
        self.out.push_str("} ");
        self.value(Value::Float(exemplar.value));
        self.out.push(' ');
        let millis = exemplar.timestamp_ms;
        self.out.push_str(self.integers.format(millis / 1000));
        self.out.push('.');
        let fraction = millis % 1000;
        if fraction < 100 {
            self.out.push('0');
        }
        if fraction < 10 {
            self.out.push('0');
        }
        self.out.push_str(self.integers.format(fraction));
    }

    fn value(&mut self, value: Value) {
        match value {
            Value::Count(n) => self.out.push_str(self.integers.format(n)),
            Value::Signed(n) => self.out.push_str(self.integers.format(n)),
            Value::Float(x) => push_float(self.out, x),
        }
    }

    /// Ends the exposition: OpenMetrics requires `# EOF`.
    pub(crate) fn finish(self) {
        if self.openmetrics {
            self.out.push_str("# EOF\n");
        }
    }
}

/// The base unit a family's name ends in, for OpenMetrics' `# UNIT`.
fn unit_of(family: &str) -> Option<&'static str> {
    ["seconds", "bytes"].into_iter().find(|unit| {
        family
            .strip_suffix(unit)
            .is_some_and(|stem| stem.len() > 1 && stem.ends_with('_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(format: Format, write: impl FnOnce(&mut Writer<'_>)) -> String {
        let mut out = String::new();
        let mut writer = Writer::new(&mut out, format);
        write(&mut writer);
        writer.finish();
        out
    }

    #[test]
    fn counters_lose_total_in_openmetrics_metadata_only() {
        let labels = label_set([("action", "a\"b\\c\nd")]);
        let write = |w: &mut Writer<'_>| {
            let (family, suffix) = w.counter_name("actions_total");
            w.metadata(family, "Says \"hi\"\\\n", Type::Counter);
            w.sample(family, suffix, &labels, None, Value::Count(7), None);
        };
        assert_eq!(
            written(Format::Text, write),
            "# HELP actions_total Says \"hi\"\\\\\\n\n# TYPE actions_total counter\n\
             actions_total{action=\"a\\\"b\\\\c\\nd\"} 7\n"
        );
        assert_eq!(
            written(Format::OpenMetrics, write),
            "# HELP actions Says \\\"hi\\\"\\\\\\n\n# TYPE actions counter\n\
             actions_total{action=\"a\\\"b\\\\c\\nd\"} 7\n# EOF\n"
        );
    }

    #[test]
    fn units_are_declared_where_the_name_ends_in_one() {
        assert_eq!(unit_of("function_duration_seconds"), Some("seconds"));
        assert_eq!(unit_of("process_resident_memory_bytes"), Some("bytes"));
        assert_eq!(unit_of("seconds"), None);
        assert_eq!(unit_of("user_actions"), None);
        assert_eq!(unit_of("milliseconds"), None);
    }

    #[test]
    fn samples_without_labels_take_the_extra_pair_alone() {
        let out = written(Format::Text, |w| {
            w.sample(
                "h",
                "_bucket",
                "",
                Some(("le", "+Inf")),
                Value::Count(1),
                None,
            );
            w.sample("h", "_sum", "", None, Value::Float(0.25), None);
            w.sample("g", "", "a=\"1\"", None, Value::Signed(-2), None);
        });
        assert_eq!(out, "h_bucket{le=\"+Inf\"} 1\nh_sum 0.25\ng{a=\"1\"} -2\n");
    }

    #[test]
    fn floats_are_written_as_both_formats_parse_them() {
        let text = |x| float(x);
        assert_eq!(
            [
                text(1.0),
                text(0.005),
                text(f64::INFINITY),
                text(f64::NEG_INFINITY),
                text(f64::NAN)
            ],
            ["1", "0.005", "+Inf", "-Inf", "NaN"]
        );
    }
}
