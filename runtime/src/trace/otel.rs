//! The `opentelemetry` feature: the trace context of the current `tracing`
//! span, read from the OpenTelemetry context that tracing-opentelemetry's
//! layer keeps for it.

use opentelemetry::trace::TraceContextExt;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use super::TraceContext;

/// The current `tracing` span's OpenTelemetry span context, when it is
/// valid and sampled: an unsampled span is exported nowhere, so an
/// exemplar would link to nothing.
///
/// `None` outside any span, and when no tracing-opentelemetry layer is
/// installed.
pub(super) fn current_span() -> Option<TraceContext> {
    let span = tracing::Span::current();
    // Outside any span, skip building and dropping an empty `Context`.
    if span.is_none() {
        return None;
    }
    let context = span.context();
    let otel_span = context.span();
    let span_context = otel_span.span_context();
    if !(span_context.is_valid() && span_context.is_sampled()) {
        return None;
    }
    TraceContext::new(
        span_context.trace_id().to_bytes(),
        span_context.span_id().to_bytes(),
    )
}
