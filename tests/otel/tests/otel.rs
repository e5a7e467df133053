//! The `opentelemetry` feature: with no context set explicitly, a call
//! records the OpenTelemetry ids of the current `tracing` span as its
//! exemplar, when that span is sampled.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bizmetrics::{business_metric, timed, Format, TraceContext};
use bizmetrics_test_otel::{otel_span_context, subscriber};
use opentelemetry_sdk::trace::Sampler;
use tracing::Instrument;

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// `(trace_id, span_id)` of every exemplar on the OpenMetrics sample lines
/// of `metric` whose labels include `label` (such as `function="f"`).
fn exemplars(metric: &str, label: &str) -> Vec<(String, String)> {
    let text = String::from_utf8(bizmetrics::render_as(Format::OpenMetrics)).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with(metric) && line.contains(label))
        .collect();
    assert!(
        !lines.is_empty(),
        "no `{metric}` sample with {label} in:\n{text}"
    );
    lines
        .iter()
        .filter_map(|line| {
            let (_, exemplar) = line.split_once(" # {")?;
            let id = |name: &str| {
                let start = exemplar.find(&format!("{name}=\""))? + name.len() + 2;
                let len = exemplar[start..].find('"')?;
                Some(exemplar[start..start + len].to_owned())
            };
            Some((id("trace_id")?, id("span_id")?))
        })
        .collect()
}

fn timed_exemplars(function: &str) -> Vec<(String, String)> {
    exemplars(
        "function_duration_seconds_bucket{",
        &format!("function=\"{function}\""),
    )
}

fn action_exemplars(action: &str) -> Vec<(String, String)> {
    exemplars("user_actions_total{", &format!("action_type=\"{action}\""))
}

#[timed]
fn charge() {}

#[business_metric(action = "otel_checkout")]
fn checkout() {}

#[test]
fn a_sampled_span_s_ids_are_the_exemplar() {
    tracing::subscriber::with_default(subscriber(Sampler::AlwaysOn), || {
        let span = tracing::info_span!("checkout");
        span.in_scope(|| {
            charge();
            checkout();
        });
        let context = otel_span_context(&span);
        assert!(context.is_valid() && context.is_sampled(), "{context:?}");
        let ids = (
            context.trace_id().to_string(),
            context.span_id().to_string(),
        );
        assert_eq!(timed_exemplars("charge"), std::slice::from_ref(&ids));
        assert_eq!(action_exemplars("otel_checkout"), [ids]);
    });
}

#[timed]
async fn pay() {}

#[test]
fn an_instrumented_future_records_its_span() {
    tracing::subscriber::with_default(subscriber(Sampler::AlwaysOn), || {
        let span = tracing::info_span!("payment");
        let future = pin!(pay().instrument(span.clone()));
        let polled = future.poll(&mut Context::from_waker(Waker::noop()));
        assert_eq!(polled, Poll::Ready(()));
        let context = otel_span_context(&span);
        let ids = (
            context.trace_id().to_string(),
            context.span_id().to_string(),
        );
        assert_eq!(timed_exemplars("pay"), [ids]);
    });
}

#[timed]
fn browse() {}

#[business_metric(action = "otel_browse")]
fn visit() {}

#[timed]
fn idle() {}

#[test]
fn outside_any_span_there_is_no_exemplar() {
    tracing::subscriber::with_default(subscriber(Sampler::AlwaysOn), || {
        assert_eq!(TraceContext::current(), None);
        browse();
        visit();
    });
    // Nor without any subscriber.
    assert_eq!(TraceContext::current(), None);
    idle();
    assert_eq!(timed_exemplars("browse"), []);
    assert_eq!(action_exemplars("otel_browse"), []);
    assert_eq!(timed_exemplars("idle"), []);
}

#[timed]
fn refund() {}

#[test]
fn an_explicit_scope_wins_over_the_span() {
    tracing::subscriber::with_default(subscriber(Sampler::AlwaysOn), || {
        let span = tracing::info_span!("refund");
        let explicit = TraceContext::from_traceparent(TRACEPARENT).unwrap();
        span.in_scope(|| explicit.scope(refund));
        assert!(otel_span_context(&span).is_sampled());
    });
    assert_eq!(
        timed_exemplars("refund"),
        [(
            "4bf92f3577b34da6a3ce929d0e0e4736".to_owned(),
            "00f067aa0ba902b7".to_owned()
        )]
    );
}

#[timed]
fn poll_stock() {}

#[business_metric(action = "otel_poll")]
fn poll_action() {}

#[test]
fn an_unsampled_span_gives_none() {
    tracing::subscriber::with_default(subscriber(Sampler::AlwaysOff), || {
        let span = tracing::info_span!("health check");
        span.in_scope(|| {
            assert_eq!(TraceContext::current(), None);
            poll_stock();
            poll_action();
        });
        // The span has ids; only its sampled flag is off.
        let context = otel_span_context(&span);
        assert!(context.is_valid() && !context.is_sampled(), "{context:?}");
    });
    assert_eq!(timed_exemplars("poll_stock"), []);
    assert_eq!(action_exemplars("otel_poll"), []);
}
