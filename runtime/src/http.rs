//! HTTP request metrics for axum: a tower layer that records
//! `http_requests_total` and `http_request_duration_seconds`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, LazyLock, RwLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::response::Response;
use prometheus::core::{Collector, Desc};
use prometheus::proto;

use crate::cell::{bounds_ns, observe};
use crate::decl::ExemplarSlot;
use crate::exemplar::{now_ms, Exemplar};
use crate::exposition::protobuf;
use crate::exposition::text::{self, Type, Value, Writer};
use crate::exposition::{self, Gathered, Source};
use crate::registry::registry;
use crate::trace::TraceContext;

/// The upper bounds, in seconds, of `http_request_duration_seconds`.
pub const HTTP_BUCKETS: [f64; 9] = [0.1, 0.3, 0.5, 0.7, 1.0, 3.0, 5.0, 7.0, 10.0];

/// The `route` of requests that matched no route, so that random paths
/// cannot create series.
pub const UNMATCHED_ROUTE: &str = "unmatched";

const REQUESTS: &str = "http_requests_total";
const REQUESTS_HELP: &str = "HTTP requests served, by method, route and status code.";
const DURATION: &str = "http_request_duration_seconds";
const DURATION_HELP: &str = "Time to serve HTTP requests, by method, route and status code.";
const LABELS: [&str; 3] = ["method", "route", "status_code"];
const BUCKETS: usize = HTTP_BUCKETS.len() + 1;
static BOUNDS_NS: [u64; HTTP_BUCKETS.len()] = bounds_ns(HTTP_BUCKETS);

/// One method, route and status: its duration histogram, whose count is
/// also `http_requests_total`, and the latest exemplar of each bucket.
#[derive(Default)]
struct RouteSeries {
    /// Laid out as a call site's histogram series: a count per bucket, not
    /// cumulative, `+Inf` last, then the sum in nanoseconds.
    cells: [AtomicU64; BUCKETS + 1],
    exemplars: [ExemplarSlot; BUCKETS],
}

/// `(method, route, status)`, in the order of the label names.
type Key = (&'static str, String, u16);

/// Every series seen so far. Requests take the read lock only, once a
/// route has been served with a status.
static SERIES: LazyLock<RwLock<HashMap<Key, Arc<RouteSeries>>>> = LazyLock::new(Default::default);

/// One of the layer's two families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HttpFamily {
    /// `http_request_duration_seconds`.
    Duration,
    /// `http_requests_total`, the histogram's count.
    Requests,
}

impl HttpFamily {
    fn name(self) -> &'static str {
        match self {
            HttpFamily::Duration => DURATION,
            HttpFamily::Requests => REQUESTS,
        }
    }

    fn help(self) -> &'static str {
        match self {
            HttpFamily::Duration => DURATION_HELP,
            HttpFamily::Requests => REQUESTS_HELP,
        }
    }
}

/// The two families, each exported only if it got its name in the
/// registry: if a metric registered by hand took one first, the registry's
/// is the one shown, and the other family is still exported.
const FAMILIES: [HttpFamily; 2] = [HttpFamily::Duration, HttpFamily::Requests];
static REGISTERED: [AtomicBool; 2] = [AtomicBool::new(false), AtomicBool::new(false)];

static REGISTER: LazyLock<()> = LazyLock::new(|| {
    for (index, family) in FAMILIES.into_iter().enumerate() {
        let registered = HttpCollector::new(family)
            .and_then(|collector| registry().register(Box::new(collector)))
            .is_ok();
        REGISTERED[index].store(registered, Relaxed);
    }
    exposition::register(&HttpFamilies);
});

fn record(key: Key, ns: u64, trace: Option<TraceContext>) {
    let series = SERIES.read().map(|all| all.get(&key).cloned());
    let series = match series {
        Ok(Some(series)) => series,
        // A poisoned lock only means a panic elsewhere; the map is intact.
        _ => Arc::clone(
            SERIES
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(key)
                .or_default(),
        ),
    };
    let bucket = observe(&series.cells, &BOUNDS_NS, ns);
    if let Some(trace) = trace {
        #[allow(clippy::cast_precision_loss)] // exact below 104 days
        let exemplar = Exemplar {
            trace,
            value: ns as f64 / 1e9,
            timestamp_ms: now_ms(),
        };
        series.exemplars[bucket].store(&exemplar);
    }
}

/// Every series, sorted by its labels, as read at scrape time.
fn sorted() -> Vec<(Key, Arc<RouteSeries>)> {
    let all = SERIES
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut sorted: Vec<_> = all
        .iter()
        .map(|(k, v)| (k.clone(), Arc::clone(v)))
        .collect();
    drop(all);
    sorted.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    sorted
}

impl RouteSeries {
    /// Each bucket's count, not cumulative, `+Inf` last.
    fn buckets(&self) -> impl Iterator<Item = u64> + '_ {
        self.cells[..BUCKETS]
            .iter()
            .map(|bucket| bucket.load(Relaxed))
    }

    fn count(&self) -> u64 {
        self.buckets().sum()
    }

    #[allow(clippy::cast_precision_loss)] // exact below 104 days
    fn sum_seconds(&self) -> f64 {
        self.cells[BUCKETS].load(Relaxed) as f64 / 1e9
    }

    /// The latest exemplar of any bucket: the counter's.
    fn latest_exemplar(&self) -> Option<Exemplar> {
        self.exemplars
            .iter()
            .filter_map(ExemplarSlot::load)
            .max_by_key(|exemplar| exemplar.timestamp_ms)
    }
}

fn label_set((method, route, status): &Key) -> String {
    text::label_set([
        ("method", *method),
        ("route", route),
        ("status_code", &status.to_string()),
    ])
}

/// The families exported: those that got their names in the registry.
fn exported() -> impl Iterator<Item = HttpFamily> {
    FAMILIES
        .into_iter()
        .zip(&REGISTERED)
        .filter(|(_, registered)| registered.load(Relaxed))
        .map(|(family, _)| family)
}

/// The layer's families as a source of the exposition.
struct HttpFamilies;

impl Source for HttpFamilies {
    fn gather(&self) -> Box<dyn Gathered + '_> {
        Box::new(Gathering {
            families: exported().collect(),
            series: sorted(),
        })
    }
}

/// The families exported, and every series, as one scrape reads them.
struct Gathering {
    families: Vec<HttpFamily>,
    series: Vec<(Key, Arc<RouteSeries>)>,
}

impl Gathered for Gathering {
    fn count(&self) -> usize {
        self.families.len()
    }

    fn name(&self, index: usize) -> &str {
        self.families[index].name()
    }

    fn write(&self, index: usize, writer: &mut Writer<'_>) {
        let exemplars = writer.openmetrics();
        if self.families[index] == HttpFamily::Requests {
            let (family, suffix) = writer.counter_name(REQUESTS);
            writer.metadata(family, REQUESTS_HELP, Type::Counter);
            for (key, series) in &self.series {
                let exemplar = exemplars.then(|| series.latest_exemplar()).flatten();
                let count = Value::Count(series.count());
                let labels = label_set(key);
                writer.sample(family, suffix, &labels, None, count, exemplar.as_ref());
            }
            return;
        }
        writer.metadata(DURATION, DURATION_HELP, Type::Histogram);
        let bounds: Vec<String> = HTTP_BUCKETS
            .iter()
            .chain([&f64::INFINITY])
            .map(|&b| text::float(b))
            .collect();
        for (key, series) in &self.series {
            let buckets = series.buckets().zip(&series.exemplars).zip(&bounds);
            let buckets = buckets.map(|((count, slot), le)| {
                (le.as_str(), count, exemplars.then(|| slot.load()).flatten())
            });
            writer.histogram(DURATION, &label_set(key), buckets, series.sum_seconds());
        }
    }

    /// With its exemplars: an explicit `+Inf` bucket carries that bucket's.
    #[allow(clippy::cast_precision_loss)] // exact below 2^53 requests
    fn to_protobuf(&self, index: usize) -> protobuf::MetricFamily {
        let family = self.families[index];
        let metric = self
            .series
            .iter()
            .map(|(key, series)| {
                let (method, route, status) = key;
                let status = status.to_string();
                let mut metric = protobuf::Metric {
                    label: protobuf::label_pairs([
                        ("method", *method),
                        ("route", route.as_str()),
                        ("status_code", status.as_str()),
                    ]),
                    ..protobuf::Metric::default()
                };
                if family == HttpFamily::Requests {
                    metric.counter = Some(protobuf::Counter {
                        value: series.count() as f64,
                        exemplar: series.latest_exemplar().as_ref().map(Into::into),
                    });
                } else {
                    let bounds = HTTP_BUCKETS.iter().chain([&f64::INFINITY]);
                    let buckets = series.buckets().zip(bounds).zip(&series.exemplars);
                    let buckets =
                        buckets.map(|((count, &bound), slot)| (bound, count, slot.load()));
                    metric.histogram = Some(protobuf::histogram(buckets, series.sum_seconds()));
                }
                metric
            })
            .collect();
        let kind = match family {
            HttpFamily::Requests => protobuf::MetricType::Counter,
            HttpFamily::Duration => protobuf::MetricType::Histogram,
        };
        protobuf::MetricFamily {
            name: family.name().to_owned(),
            help: family.help().to_owned(),
            r#type: kind as i32,
            metric,
            unit: String::new(),
        }
    }
}

/// One of the two families in the registry, for anyone's
/// `registry().gather()`; a scrape writes them itself, with their exemplars.
struct HttpCollector {
    desc: Desc,
}

impl HttpCollector {
    fn new(family: HttpFamily) -> prometheus::Result<Self> {
        let labels = LABELS.map(str::to_owned).to_vec();
        let (name, help) = (family.name().to_owned(), family.help().to_owned());
        let desc = Desc::new(name, help, labels, HashMap::new())?;
        Ok(HttpCollector { desc })
    }
}

impl Collector for HttpCollector {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<proto::MetricFamily> {
        if crate::registry::scraping() {
            return Vec::new();
        }
        families()
            .into_iter()
            .filter(|family| family.name() == self.desc.fq_name)
            .collect()
    }
}

fn families() -> Vec<proto::MetricFamily> {
    let series = sorted();
    let metric = |key: &Key| {
        let (method, route, status) = key;
        let pairs = [
            ("method", (*method).to_owned()),
            ("route", route.clone()),
            ("status_code", status.to_string()),
        ];
        proto::Metric::from_label(
            pairs
                .into_iter()
                .map(|(name, value)| {
                    let mut pair = proto::LabelPair::default();
                    pair.set_name(name.to_owned());
                    pair.set_value(value);
                    pair
                })
                .collect(),
        )
    };
    let build = |name: &str, help: &str, kind, metrics| {
        let mut family = proto::MetricFamily::default();
        family.set_name(name.to_owned());
        family.set_help(help.to_owned());
        family.set_field_type(kind);
        family.set_metric(metrics);
        family
    };
    let requests = series.iter().map(|(key, series)| {
        let mut counter = proto::Counter::default();
        #[allow(clippy::cast_precision_loss)] // exact below 2^53 requests
        counter.set_value(series.count() as f64);
        let mut metric = metric(key);
        metric.set_counter(counter);
        metric
    });
    let durations = series.iter().map(|(key, series)| {
        let mut cumulative = 0;
        let buckets = HTTP_BUCKETS
            .iter()
            .zip(series.buckets())
            .map(|(&bound, count)| {
                cumulative += count;
                let mut bucket = proto::Bucket::default();
                bucket.set_upper_bound(bound);
                bucket.set_cumulative_count(cumulative);
                bucket
            });
        let mut histogram = proto::Histogram::default();
        histogram.set_bucket(buckets.collect());
        histogram.set_sample_count(series.count());
        histogram.set_sample_sum(series.sum_seconds());
        let mut metric = metric(key);
        metric.set_histogram(histogram);
        metric
    });
    vec![
        build(
            REQUESTS,
            REQUESTS_HELP,
            proto::MetricType::COUNTER,
            requests.collect(),
        ),
        build(
            DURATION,
            DURATION_HELP,
            proto::MetricType::HISTOGRAM,
            durations.collect(),
        ),
    ]
}

/// A tower layer recording every request's count and duration, labeled
/// with its method, axum's matched route (never the raw path) and status.
///
/// Add it with `Router::layer` after the routes, so that it sees which
/// route matched. Requests that match no route share the route
/// `unmatched`, and methods outside the standard nine are `OTHER`, so no
/// request can create a series of its own.
///
/// A request with a sampled W3C `traceparent` header has that trace made
/// current while its handler runs (see [`TraceContext`]): the request's
/// duration, and every call the handler makes to an annotated function,
/// keep it as an exemplar.
///
/// ```
/// use axum::{routing::get, Router};
///
/// let app: Router = Router::new()
///     .route("/items/{id}", get(|| async { "item" }))
///     .layer(bizmetrics::axum::HttpMetricsLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpMetricsLayer;

impl HttpMetricsLayer {
    /// The layer; its metrics live in [`crate::registry`].
    pub fn new() -> Self {
        LazyLock::force(&REGISTER);
        HttpMetricsLayer
    }
}

impl<S> tower_layer::Layer<S> for HttpMetricsLayer {
    type Service = HttpMetricsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        // `HttpMetricsLayer::default()` and the bare unit struct come here too.
        LazyLock::force(&REGISTER);
        HttpMetricsService { inner }
    }
}

/// The service [`HttpMetricsLayer`] wraps around each route.
#[derive(Debug, Clone)]
pub struct HttpMetricsService<S> {
    inner: S,
}

impl<S> tower_service::Service<Request> for HttpMetricsService<S>
where
    S: tower_service::Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = method_label(request.method());
        let route = request.extensions().get::<MatchedPath>().map_or_else(
            || UNMATCHED_ROUTE.to_owned(),
            |path| path.as_str().to_owned(),
        );
        let trace = request
            .headers()
            .get("traceparent")
            .and_then(|header| header.to_str().ok())
            .and_then(TraceContext::from_traceparent);
        let start = Instant::now();
        let response = match trace {
            Some(trace) => trace.scope(|| self.inner.call(request)),
            None => self.inner.call(request),
        };
        Box::pin(async move {
            let response = match trace {
                Some(trace) => trace.instrument(response).await?,
                None => response.await?,
            };
            let ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
            record((method, route, response.status().as_u16()), ns, trace);
            Ok(response)
        })
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}
