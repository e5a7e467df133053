//! The names Prometheus accepts for metrics and labels, and the suffixes
//! each kind of metric must or must not carry.

use syn::LitStr;

use crate::errors::Errors;

/// The kind of metric a name is for; each has its naming rules.
#[derive(Clone, Copy)]
pub enum NameRule {
    Counter,
    Histogram,
    Gauge,
}

/// Why `text` is not `[a-zA-Z_][a-zA-Z0-9_]*`, if it is not.
pub fn invalid_identifier(text: &str) -> Option<String> {
    let mut chars = text.chars();
    match chars.next() {
        None => return Some("it is empty".into()),
        Some(c) if c.is_ascii_digit() => return Some("it starts with a digit".into()),
        _ => {}
    }
    text.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map(|c| format!("`{c}` is not allowed; use ASCII letters, digits and `_`"))
}

/// Label names Prometheus keeps for itself: `__`-prefixed, `le` and
/// `quantile`; the reason, if `name` is one.
pub fn reserved_label(name: &str) -> Option<&'static str> {
    if name.starts_with("__") {
        Some("names starting with `__` belong to Prometheus")
    } else if name == "le" || name == "quantile" {
        Some("Prometheus uses it for histogram and summary buckets")
    } else {
        None
    }
}

/// Checks a metric name given as `name = "..."`, for a metric of `rule`.
pub fn check_metric_name(name: &LitStr, rule: NameRule, errors: &mut Errors) {
    let value = name.value();
    let span = name.span();
    if let Some(problem) = invalid_identifier(&value) {
        errors.push(
            span,
            format!("`{value}` is not a valid metric name: {problem}"),
        );
        return;
    }
    if value.starts_with("__") {
        errors.push(
            span,
            format!(
                "metric name `{value}` is reserved: names starting with `__` belong to Prometheus"
            ),
        );
        return;
    }
    let reserved = ["_total", "_bucket", "_count", "_sum"];
    match rule {
        NameRule::Counter if !value.ends_with("_total") => errors.push(
            span,
            format!("counter name `{value}` must end in `_total`, like `{value}_total`"),
        ),
        NameRule::Histogram | NameRule::Gauge => {
            let what = if matches!(rule, NameRule::Gauge) {
                "gauge"
            } else {
                "histogram"
            };
            if let Some(suffix) = reserved.iter().find(|s| value.ends_with(*s)) {
                errors.push(
                    span,
                    format!("{what} name `{value}` must not end in `{suffix}`: Prometheus reserves that suffix for counters and histograms"),
                );
            } else if matches!(rule, NameRule::Histogram) && !value.ends_with("_seconds") {
                errors.push(
                    span,
                    format!("histogram name `{value}` must end in `_seconds`, the unit `#[timed]` records, like `{value}_seconds`"),
                );
            }
        }
        NameRule::Counter => {}
    }
}
