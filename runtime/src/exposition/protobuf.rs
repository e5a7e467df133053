//! The protobuf exposition (`io.prometheus.client.MetricFamily`, length
//! delimited): the format that carries native histograms.
//!
//! The prometheus crate's bundled model predates native histograms, so the
//! current one is declared here for `prost`: the messages and fields that
//! Prometheus reads, with their numbers from `metrics.proto`.

use prost::Message;

/// A metric family, as `metrics.proto` defines it.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct MetricFamily {
    #[prost(string, tag = "1")]
    pub(crate) name: String,
    #[prost(string, tag = "2")]
    pub(crate) help: String,
    #[prost(enumeration = "MetricType", tag = "3")]
    pub(crate) r#type: i32,
    #[prost(message, repeated, tag = "4")]
    pub(crate) metric: Vec<Metric>,
    #[prost(string, tag = "5")]
    pub(crate) unit: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub(crate) enum MetricType {
    Counter = 0,
    Gauge = 1,
    Summary = 2,
    Untyped = 3,
    Histogram = 4,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Metric {
    #[prost(message, repeated, tag = "1")]
    pub(crate) label: Vec<LabelPair>,
    #[prost(message, optional, tag = "2")]
    pub(crate) gauge: Option<Gauge>,
    #[prost(message, optional, tag = "3")]
    pub(crate) counter: Option<Counter>,
    #[prost(message, optional, tag = "4")]
    pub(crate) summary: Option<Summary>,
    #[prost(message, optional, tag = "5")]
    pub(crate) untyped: Option<Untyped>,
    #[prost(message, optional, tag = "7")]
    pub(crate) histogram: Option<Histogram>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct LabelPair {
    #[prost(string, tag = "1")]
    pub(crate) name: String,
    #[prost(string, tag = "2")]
    pub(crate) value: String,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Gauge {
    #[prost(double, tag = "1")]
    pub(crate) value: f64,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Counter {
    #[prost(double, tag = "1")]
    pub(crate) value: f64,
    #[prost(message, optional, tag = "2")]
    pub(crate) exemplar: Option<Exemplar>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Quantile {
    #[prost(double, tag = "1")]
    pub(crate) quantile: f64,
    #[prost(double, tag = "2")]
    pub(crate) value: f64,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Summary {
    #[prost(uint64, tag = "1")]
    pub(crate) sample_count: u64,
    #[prost(double, tag = "2")]
    pub(crate) sample_sum: f64,
    #[prost(message, repeated, tag = "3")]
    pub(crate) quantile: Vec<Quantile>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Untyped {
    #[prost(double, tag = "1")]
    pub(crate) value: f64,
}

/// A classic histogram's buckets and, when `schema` and the zero
/// threshold are set, a native histogram's.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct Histogram {
    #[prost(uint64, tag = "1")]
    pub(crate) sample_count: u64,
    #[prost(double, tag = "2")]
    pub(crate) sample_sum: f64,
    #[prost(message, repeated, tag = "3")]
    pub(crate) bucket: Vec<Bucket>,
    #[prost(sint32, tag = "5")]
    pub(crate) schema: i32,
    #[prost(double, tag = "6")]
    pub(crate) zero_threshold: f64,
    #[prost(uint64, tag = "7")]
    pub(crate) zero_count: u64,
    #[prost(message, repeated, tag = "12")]
    pub(crate) positive_span: Vec<BucketSpan>,
    #[prost(sint64, repeated, tag = "13")]
    pub(crate) positive_delta: Vec<i64>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Bucket {
    #[prost(uint64, tag = "1")]
    pub(crate) cumulative_count: u64,
    #[prost(double, tag = "2")]
    pub(crate) upper_bound: f64,
    #[prost(message, optional, tag = "3")]
    pub(crate) exemplar: Option<Exemplar>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct BucketSpan {
    #[prost(sint32, tag = "1")]
    pub(crate) offset: i32,
    #[prost(uint32, tag = "2")]
    pub(crate) length: u32,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct Exemplar {
    #[prost(message, repeated, tag = "1")]
    pub(crate) label: Vec<LabelPair>,
    #[prost(double, tag = "2")]
    pub(crate) value: f64,
    #[prost(message, optional, tag = "3")]
    pub(crate) timestamp: Option<Timestamp>,
}

/// `google.protobuf.Timestamp`.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct Timestamp {
    #[prost(int64, tag = "1")]
    pub(crate) seconds: i64,
    #[prost(int32, tag = "2")]
    pub(crate) nanos: i32,
}

pub(crate) fn label_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<LabelPair> {
    pairs
        .into_iter()
        .map(|(name, value)| LabelPair {
            name: name.to_owned(),
            value: value.to_owned(),
        })
        .collect()
}

impl From<&crate::exemplar::Exemplar> for Exemplar {
    fn from(exemplar: &crate::exemplar::Exemplar) -> Self {
        let (trace_id, span_id) = exemplar.ids();
        let millis = exemplar.timestamp_ms;
        Exemplar {
            label: label_pairs([
                ("trace_id", trace_id.as_str()),
                ("span_id", span_id.as_str()),
            ]),
            value: exemplar.value,
            timestamp: Some(Timestamp {
                seconds: i64::try_from(millis / 1000).unwrap_or(i64::MAX),
                #[allow(clippy::cast_possible_truncation)] // below 1e9
                nanos: (millis % 1000 * 1_000_000) as i32,
            }),
        }
    }
}

/// A classic histogram from `buckets` as `(upper bound, count in that
/// bucket alone, exemplar)`, `+Inf` written out last so that it carries its
/// exemplar too; the count is the buckets' sum, read with them.
pub(crate) fn histogram(
    buckets: impl IntoIterator<Item = (f64, u64, Option<crate::exemplar::Exemplar>)>,
    sum_seconds: f64,
) -> Histogram {
    let mut cumulative = 0;
    let bucket = buckets
        .into_iter()
        .map(|(upper_bound, count, exemplar)| {
            cumulative += count;
            Bucket {
                cumulative_count: cumulative,
                upper_bound,
                exemplar: exemplar.as_ref().map(Into::into),
            }
        })
        .collect();
    Histogram {
        sample_count: cumulative,
        sample_sum: sum_seconds,
        bucket,
        ..Histogram::default()
    }
}

/// Converts a family of the prometheus crate's model, as the registry
/// gathers it: metrics registered by hand and the process collector.
pub(crate) fn from_registry(family: &prometheus::proto::MetricFamily) -> MetricFamily {
    use prometheus::proto::MetricType as Type;
    let kind = family.get_field_type();
    let metric = family
        .get_metric()
        .iter()
        .map(|m| {
            let mut metric = Metric {
                label: label_pairs(m.get_label().iter().map(|pair| (pair.name(), pair.value()))),
                ..Metric::default()
            };
            match kind {
                Type::COUNTER => {
                    metric.counter = Some(Counter {
                        value: super::value::counter(m),
                        exemplar: None,
                    });
                }
                Type::GAUGE => {
                    metric.gauge = Some(Gauge {
                        value: super::value::gauge(m),
                    });
                }
                // Left out before this point: see `proto::readable`.
                Type::UNTYPED => {}
                Type::SUMMARY => {
                    let s = m.get_summary();
                    metric.summary = Some(Summary {
                        sample_count: s.sample_count(),
                        sample_sum: s.sample_sum(),
                        quantile: s
                            .get_quantile()
                            .iter()
                            .map(|q| Quantile {
                                quantile: q.quantile(),
                                value: q.value(),
                            })
                            .collect(),
                    });
                }
                Type::HISTOGRAM => {
                    let h = m.get_histogram();
                    metric.histogram = Some(Histogram {
                        sample_count: h.get_sample_count(),
                        sample_sum: h.get_sample_sum(),
                        bucket: h
                            .get_bucket()
                            .iter()
                            .map(|b| Bucket {
                                cumulative_count: b.cumulative_count(),
                                upper_bound: b.upper_bound(),
                                exemplar: None,
                            })
                            .collect(),
                        ..Histogram::default()
                    });
                }
            }
            metric
        })
        .collect();
    MetricFamily {
        name: family.name().to_owned(),
        help: family.help().to_owned(),
        r#type: match kind {
            Type::COUNTER => MetricType::Counter,
            Type::GAUGE => MetricType::Gauge,
            Type::SUMMARY => MetricType::Summary,
            Type::UNTYPED => MetricType::Untyped,
            Type::HISTOGRAM => MetricType::Histogram,
        } as i32,
        metric,
        unit: String::new(),
    }
}

/// Appends `family`, length delimited.
pub(crate) fn encode(family: &MetricFamily, out: &mut Vec<u8>) {
    // Encoding into a Vec only fails when it cannot grow.
    family
        .encode_length_delimited(out)
        .expect("a Vec grows as needed");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A native histogram with an exemplar, encoded and decoded again, and
    /// its first bytes checked against `metrics.proto`'s field numbers.
    #[test]
    fn families_round_trip_through_the_delimited_encoding() {
        let exemplar = Exemplar {
            label: label_pairs([("trace_id", "0af7651916cd43dd8448eb211c80319c")]),
            value: 0.25,
            timestamp: Some(Timestamp {
                seconds: 1_700_000_000,
                nanos: 123_000_000,
            }),
        };
        let family = MetricFamily {
            name: "latency_seconds".to_owned(),
            help: "How long.".to_owned(),
            r#type: MetricType::Histogram as i32,
            metric: vec![Metric {
                label: label_pairs([("function", "f")]),
                histogram: Some(Histogram {
                    sample_count: 7,
                    sample_sum: 1.5,
                    bucket: vec![Bucket {
                        cumulative_count: 7,
                        upper_bound: f64::INFINITY,
                        exemplar: Some(exemplar),
                    }],
                    schema: 3,
                    zero_threshold: crate::native::ZERO_THRESHOLD,
                    zero_count: 1,
                    positive_span: vec![BucketSpan {
                        offset: -13,
                        length: 2,
                    }],
                    positive_delta: vec![4, -2],
                }),
                ..Metric::default()
            }],
            unit: String::new(),
        };
        let mut out = Vec::new();
        encode(&family, &mut out);
        encode(&family, &mut out);
        let mut bytes = out.as_slice();
        for _ in 0..2 {
            assert_eq!(
                MetricFamily::decode_length_delimited(&mut bytes).unwrap(),
                family
            );
        }
        assert!(bytes.is_empty());
        // A length, then field 1 (name) as a length-delimited string.
        let message = &out[prost::length_delimiter_len(family.encoded_len())..];
        assert_eq!(message[..2], [1 << 3 | 2, 15]);
        assert_eq!(&message[2..17], b"latency_seconds");
    }
}
