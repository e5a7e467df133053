//! OpenMetrics 1.0.0 output, read by a parser nobody here wrote: the
//! official Python client's strict one (`prometheus_client.openmetrics.parser`,
//! through `tests/openmetrics/parse.py`). Also the content negotiation of
//! `/metrics`, and exemplars from a `traceparent` header.

use std::process::Command;

use axum::body::Body;
use axum::http::{header, Request};
use axum::routing::get;
use axum::Router;
use bizmetrics::axum::HttpMetricsLayer;
use bizmetrics::{business_metric, timed, Format, TraceContext};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TRACEPARENT: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";
const SPAN_ID: &str = "b7ad6b7169203331";
/// What Prometheus 2.42 sends.
const PROMETHEUS_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

#[business_metric(
    action = "quote\"back\\slash",
    endpoint = "/café/naïve",
    name = "hostile_total",
    help = "Help with \"quotes\", a \\ backslash,\na newline and ünïcödé.",
    labels(note = "line\nbreak\ttab")
)]
#[timed(name = "hostile_duration_seconds", in_flight, slow = "1h", errors)]
fn hostile(fail: bool) -> Result<(), String> {
    if fail {
        Err("no".into())
    } else {
        Ok(())
    }
}

#[timed(name = "traced_handler_duration_seconds")]
async fn traced_handler() -> &'static str {
    "traced"
}

/// The families the Python parser read from `exposition`, or its error.
fn parse(exposition: &str) -> Result<Vec<Value>, String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/openmetrics/parse.py");
    let output = bizmetrics_tests::piped(Command::new("python3").arg(script), exposition)
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("No module named 'prometheus_client'"),
        "the official Python client is needed: pip install -r tests/openmetrics/requirements.txt (.ci/run does)"
    );
    if !output.status.success() {
        return Err(stderr.into_owned());
    }
    Ok(serde_json::from_slice(&output.stdout).expect("the script prints JSON"))
}

fn family<'a>(families: &'a [Value], name: &str) -> &'a Value {
    families
        .iter()
        .find(|family| family["name"] == name)
        .unwrap_or_else(|| panic!("no family {name} in {families:#?}"))
}

fn sample<'a>(family: &'a Value, name: &str, labels: &Value) -> &'a Value {
    family["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sample| sample["name"] == name && &sample["labels"] == labels)
        .unwrap_or_else(|| panic!("no sample {name}{labels} in {family:#}"))
}

#[test]
fn the_strict_python_parser_reads_everything_back_exactly() {
    let trace = TraceContext::from_traceparent(TRACEPARENT).unwrap();
    trace.scope(|| hostile(false)).unwrap();
    hostile(true).unwrap_err();

    // Metrics registered by hand go through the prometheus crate's model,
    // and are converted as well: a counter without `_total`, a gauge in
    // bytes, a histogram.
    let registry = bizmetrics::registry();
    let jobs = prometheus::IntCounter::new("jobs_processed", "Jobs done.").unwrap();
    let queue = prometheus::IntGauge::new("queue_bytes", "Bytes queued.").unwrap();
    let sizes = prometheus::Histogram::with_opts(
        prometheus::HistogramOpts::new("batch_size", "Items per batch.").buckets(vec![1.0, 10.0]),
    )
    .unwrap();
    registry.register(Box::new(jobs.clone())).unwrap();
    registry.register(Box::new(queue.clone())).unwrap();
    registry.register(Box::new(sizes.clone())).unwrap();
    jobs.inc_by(3);
    queue.set(512);
    sizes.observe(4.0);

    let exposition = String::from_utf8(bizmetrics::render_as(Format::OpenMetrics)).unwrap();
    let families = parse(&exposition).unwrap_or_else(|error| panic!("{error}\n{exposition}"));
    assert_eq!(
        families.len(),
        exposition.matches("# TYPE ").count(),
        "every family parsed"
    );

    let hostile = family(&families, "hostile");
    assert_eq!(hostile["type"], "counter");
    assert_eq!(
        hostile["help"],
        "Help with \"quotes\", a \\ backslash,\na newline and ünïcödé."
    );
    let labels = json!({"action_type": "quote\"back\\slash", "endpoint": "/café/naïve", "note": "line\nbreak\ttab"});
    let counted = sample(hostile, "hostile_total", &labels);
    assert_eq!(counted["value"], 2.0);
    let exemplar = &counted["exemplar"];
    assert_eq!(
        exemplar["labels"],
        json!({"trace_id": TRACE_ID, "span_id": SPAN_ID})
    );
    assert_eq!(
        exemplar["value"].as_f64(),
        Some(1.0),
        "one call: {exemplar}"
    );
    let recorded = counted["exemplar"]["timestamp"].as_f64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (now - recorded).abs() < 600.0,
        "timestamp {recorded} is now"
    );

    let duration = family(&families, "hostile_duration_seconds");
    assert_eq!(
        (&duration["type"], &duration["unit"]),
        (&json!("histogram"), &json!("seconds"))
    );
    let ok =
        json!({"function": "hostile", "module": "openmetrics", "outcome": "ok", "le": "0.005"});
    let bucket = sample(duration, "hostile_duration_seconds_bucket", &ok);
    assert_eq!(bucket["value"], 1.0);
    assert_eq!(bucket["exemplar"]["labels"]["trace_id"], TRACE_ID);
    assert!(bucket["exemplar"]["value"].as_f64().unwrap() <= 0.005);
    let error =
        json!({"function": "hostile", "module": "openmetrics", "outcome": "error", "le": "0.005"});
    let untraced = sample(duration, "hostile_duration_seconds_bucket", &error);
    assert_eq!(untraced["value"], 1.0);
    assert_eq!(untraced["exemplar"], Value::Null, "no trace, no exemplar");

    let gauge = family(&families, "function_calls_in_flight");
    assert_eq!(gauge["type"], "gauge");
    let jobs = family(&families, "jobs_processed");
    assert_eq!(jobs["samples"][0]["name"], "jobs_processed_total");
    assert_eq!(jobs["samples"][0]["value"], 3.0);
    assert_eq!(family(&families, "queue_bytes")["unit"], "bytes");
    let sizes = family(&families, "batch_size");
    assert_eq!(
        sample(sizes, "batch_size_bucket", &json!({"le": "10"}))["value"],
        1.0
    );
}

/// The check above can fail: the parser refuses what is not OpenMetrics.
#[test]
fn the_python_parser_is_strict() {
    let text = "# TYPE a counter\na_total 1\n";
    let error = parse(text).unwrap_err();
    assert!(error.contains("EOF"), "{error}");
    let unit_mismatch = "# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF\n";
    assert!(parse(unit_mismatch).is_err());
}

async fn get_metrics(
    app: &Router,
    accept: Option<&str>,
    traceparent: Option<&str>,
    path: &str,
) -> (String, String) {
    let mut request = Request::get(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    if let Some(traceparent) = traceparent {
        request = request.header("traceparent", traceparent);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (content_type, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn metrics_answers_in_the_format_asked_for_and_requests_carry_their_trace() {
    let app = Router::new()
        .route("/traced", get(traced_handler))
        .layer(HttpMetricsLayer::new())
        .merge(bizmetrics::axum::router());

    let (_, body) = get_metrics(&app, None, Some(TRACEPARENT), "/traced").await;
    assert_eq!(body, "traced");
    get_metrics(&app, None, None, "/traced").await;

    let (content_type, text) = get_metrics(&app, None, None, "/metrics").await;
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    assert!(!text.contains("# EOF"));
    assert!(!text.contains(TRACE_ID), "the text format has no exemplars");
    bizmetrics_tests::promtool_check(&text);

    let (content_type, open) = get_metrics(&app, Some(PROMETHEUS_ACCEPT), None, "/metrics").await;
    assert_eq!(
        content_type,
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let families = parse(&open).unwrap_or_else(|error| panic!("{error}\n{open}"));

    // The handler's own histogram, and the layer's, keep the trace of the
    // request that carried it, in the bucket it fell in.
    let handler = family(&families, "traced_handler_duration_seconds");
    let labels = json!({"function": "traced_handler", "module": "openmetrics", "outcome": "ok", "le": "0.005"});
    let bucket = sample(handler, "traced_handler_duration_seconds_bucket", &labels);
    assert_eq!(bucket["value"], 2.0);
    assert_eq!(
        bucket["exemplar"]["labels"],
        json!({"trace_id": TRACE_ID, "span_id": SPAN_ID})
    );

    let http = family(&families, "http_request_duration_seconds");
    let labels = json!({"method": "GET", "route": "/traced", "status_code": "200", "le": "0.1"});
    let bucket = sample(http, "http_request_duration_seconds_bucket", &labels);
    assert_eq!(bucket["value"], 2.0);
    assert_eq!(bucket["exemplar"]["labels"]["trace_id"], TRACE_ID);
    let requests = family(&families, "http_requests");
    let labels = json!({"method": "GET", "route": "/traced", "status_code": "200"});
    assert_eq!(
        sample(requests, "http_requests_total", &labels)["value"],
        2.0
    );
}
