//! What the tests and the bench of bizmetrics' `opentelemetry` feature
//! share: a `tracing` subscriber that keeps an OpenTelemetry context for
//! every span, as an app traced with tracing-opentelemetry installs.

use opentelemetry::trace::{SpanContext, TraceContextExt, TracerProvider};
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

/// A registry with tracing-opentelemetry's layer over an SDK tracer whose
/// `sampler` decides which spans are sampled.
///
/// ```
/// use bizmetrics_test_otel::{otel_span_context, subscriber};
/// use opentelemetry_sdk::trace::Sampler;
///
/// tracing::subscriber::with_default(subscriber(Sampler::AlwaysOn), || {
///     let span = tracing::info_span!("checkout");
///     assert!(otel_span_context(&span).is_sampled());
/// });
/// ```
pub fn subscriber(sampler: Sampler) -> impl tracing::Subscriber + Send + Sync + 'static {
    let provider = SdkTracerProvider::builder().with_sampler(sampler).build();
    let tracer = provider.tracer("bizmetrics-test-otel");
    tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer))
}

/// The OpenTelemetry span context that tracing-opentelemetry keeps for
/// `span`, read through the extension trait an app would use.
pub fn otel_span_context(span: &tracing::Span) -> SpanContext {
    span.context().span().span_context().clone()
}
