//! Semantic checks on the arguments and the function. Emits no tokens.

use proc_macro2::Span;
use syn::ext::IdentExt;

use syn::{Expr, LitStr, Type};

use crate::ast::Function;
use crate::attr::{Args, Attr, LabelSource};

/// Checks everything at once, so the user sees every mistake in one build.
pub fn check(args: &Args, function: &Function) -> syn::Result<()> {
    let mut errors = Errors::default();
    check_function(args.attr, function, &mut errors);
    check_action(args, &mut errors);
    check_name(args, &mut errors);
    check_help(args, &mut errors);
    check_labels(args, function, &mut errors);
    check_buckets(args, &mut errors);
    check_count(args, &mut errors);
    check_funnel(args, &mut errors);
    check_extras(args, &mut errors);
    check_alert(args, &mut errors);
    errors.finish()
}

#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push_error(syn::Error::new(span, message));
    }

    /// Spans every token of `tokens`, which `Span::join` cannot on stable.
    fn push_spanned(&mut self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.push_error(syn::Error::new_spanned(tokens, message));
    }

    fn push_error(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

fn check_function(attr: Attr, function: &Function, errors: &mut Errors) {
    let attr = attr.display();
    if let Some(constness) = &function.sig.constness {
        errors.push(
            constness.span,
            format!("`{attr}` cannot be used on a `const fn`: it records at run time"),
        );
    }
    if function.body.is_none() {
        errors.push_spanned(
            &function.sig,
            format!("`{attr}` cannot be used on a trait method without a body; put it on the method in each `impl` instead"),
        );
    }
}

fn check_action(args: &Args, errors: &mut Errors) {
    if args.attr != Attr::BusinessMetric {
        return;
    }
    match &args.action {
        None => errors.push(
            Span::call_site(),
            "`#[business_metric]` needs an action, like `#[business_metric(action = \"search\")]`",
        ),
        Some(action) if action.value().is_empty() => {
            errors.push(action.span(), "`action` must not be empty");
        }
        Some(_) => {}
    }
    if let Some(endpoint) = args.endpoint.as_ref().filter(|e| e.value().is_empty()) {
        errors.push(
            endpoint.span(),
            "`endpoint` must not be empty; leave it out to use the function name",
        );
    }
}

fn check_name(args: &Args, errors: &mut Errors) {
    let kind = match args.attr {
        Attr::BusinessMetric => Kind::Counter,
        Attr::Timed => Kind::Histogram,
    };
    if let Some(name) = &args.name {
        check_metric_name(name, kind, errors);
    }
}

/// The kinds of metric a name can be for; each has its naming rules.
#[derive(Clone, Copy)]
enum Kind {
    Counter,
    Histogram,
    Gauge,
}

fn check_metric_name(name: &LitStr, kind: Kind, errors: &mut Errors) {
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
    match kind {
        Kind::Counter if !value.ends_with("_total") => errors.push(
            span,
            format!("counter name `{value}` must end in `_total`, like `{value}_total`"),
        ),
        Kind::Histogram | Kind::Gauge => {
            let what = if matches!(kind, Kind::Gauge) {
                "gauge"
            } else {
                "histogram"
            };
            if let Some(suffix) = reserved.iter().find(|s| value.ends_with(*s)) {
                errors.push(
                    span,
                    format!("{what} name `{value}` must not end in `{suffix}`: Prometheus reserves that suffix for counters and histograms"),
                );
            } else if matches!(kind, Kind::Histogram) && !value.ends_with("_seconds") {
                errors.push(
                    span,
                    format!("histogram name `{value}` must end in `_seconds`, the unit `#[timed]` records, like `{value}_seconds`"),
                );
            }
        }
        Kind::Counter => {}
    }
}

/// Why `text` is not `[a-zA-Z_][a-zA-Z0-9_]*`, if it is not.
fn invalid_identifier(text: &str) -> Option<String> {
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

fn check_help(args: &Args, errors: &mut Errors) {
    if let Some(help) = args.help.as_ref().filter(|h| h.value().trim().is_empty()) {
        errors.push(
            help.span(),
            "`help` must not be empty; leave it out to use the default",
        );
    }
}

fn check_labels(args: &Args, function: &Function, errors: &mut Errors) {
    let mut seen: Vec<String> = Vec::new();
    for label in &args.labels {
        let key = label.key.unraw().to_string();
        let span = label.key.span();
        if let Some(problem) = invalid_identifier(&key) {
            errors.push(
                span,
                format!("`{key}` is not a valid label name: {problem}"),
            );
        } else if key.starts_with("__") {
            errors.push(
                span,
                format!(
                    "label name `{key}` is reserved: names starting with `__` belong to Prometheus"
                ),
            );
        } else if key == "le" || key == "quantile" {
            errors.push(
                span,
                format!("label name `{key}` is reserved: Prometheus uses it for histogram and summary buckets"),
            );
        } else if args.attr.own_labels().contains(&key.as_str()) {
            errors.push(
                span,
                format!(
                    "label `{key}` is set by `{}` itself; choose another name",
                    args.attr.display()
                ),
            );
        } else if seen.contains(&key) {
            errors.push(span, format!("duplicate label `{key}`"));
        }
        seen.push(key.clone());
        if let LabelSource::Call { ty: None, expr } = &label.value {
            if label_type(function, expr).is_none() {
                errors.push_spanned(expr, untyped_label(function, &key, expr));
            }
        }
    }
}

/// Why a label written `key = expr` has no type we can see.
fn untyped_label(function: &Function, key: &str, expr: &Expr) -> String {
    let named = match expr {
        Expr::Path(path) => path.path.get_ident(),
        _ => None,
    };
    if let Some(ident) = named.filter(|ident| !function.has_param(ident)) {
        let params = function.param_names();
        let params = if params.is_empty() {
            "it has none".to_owned()
        } else {
            format!(
                "they are {}",
                params
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return format!(
            "`{ident}` is not a parameter of `{}`; {params}",
            function.sig.ident
        );
    }
    format!(
        "cannot tell the type of label `{key}`: only a parameter with a declared type can go without one; name it, like `labels({key}: Device = ...)`"
    )
}

/// The type of a label fed by `expr` without `: Type`: that of the
/// parameter `expr` names, if it is one.
pub fn label_type<'f>(function: &'f Function, expr: &Expr) -> Option<&'f Type> {
    let Expr::Path(path) = expr else { return None };
    let ident = path.path.get_ident()?;
    function.param_type(ident)
}

fn check_count(args: &Args, errors: &mut Errors) {
    if let Some(count) = &args.count {
        if !["ok", "all"].contains(&count.value().as_str()) {
            errors.push(
                count.span(),
                "`count` must be \"all\" (every call, the default) or \"ok\" (calls that returned `Ok`)",
            );
        }
    }
}

fn check_funnel(args: &Args, errors: &mut Errors) {
    match (&args.funnel, &args.step) {
        (Some(funnel), None) => errors.push(
            funnel.span(),
            format!(
                "funnel `{}` needs the step this action is, like `step = 1`",
                funnel.value()
            ),
        ),
        (None, Some(step)) => errors.push(
            step.span(),
            "`step` needs the funnel it belongs to, like `funnel = \"purchase\"`",
        ),
        (Some(funnel), Some(step)) => {
            if funnel.value().is_empty() {
                errors.push(funnel.span(), "`funnel` must not be empty");
            }
            match step.base10_parse::<u32>() {
                Ok(0) => errors.push(
                    step.span(),
                    "funnel steps count from 1; `step = 0` is not a step",
                ),
                Ok(_) => {}
                Err(_) => errors.push(
                    step.span(),
                    "`step` must be a whole number from 1 to 4294967295",
                ),
            }
        }
        (None, None) => {}
    }
}

fn check_extras(args: &Args, errors: &mut Errors) {
    if let Some(extra) = &args.errors {
        for name in extra.value.iter().chain(&extra.name) {
            check_metric_name(name, Kind::Counter, errors);
        }
    }
    if let Some(extra) = &args.in_flight {
        for name in extra.value.iter().chain(&extra.name) {
            check_metric_name(name, Kind::Gauge, errors);
        }
    }
    if let Some(extra) = &args.slow {
        if let Some(name) = &extra.name {
            check_metric_name(name, Kind::Counter, errors);
        }
        match extra.value.as_ref().or(extra.after.as_ref()) {
            None => errors.push(
                extra.key.span(),
                "`slow` needs a threshold, like `slow = \"500ms\"`",
            ),
            Some(threshold) => {
                if let Err(problem) = duration_ns(&threshold.value()) {
                    errors.push(
                        threshold.span(),
                        format!("`{}` is not a duration: {problem}", threshold.value()),
                    );
                }
            }
        }
    }
}

/// Parses `"250ms"`, `"1.5s"`, `"2m"` (units `ns`, `us`, `ms`, `s`, `m`)
/// into nanoseconds; zero is refused, since every call would be slow.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
pub fn duration_ns(text: &str) -> Result<u64, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| "it has no unit; write it like \"500ms\" or \"2s\"".to_owned())?;
    let (number, unit) = text.split_at(split);
    let unit = unit.trim();
    let scale: u64 = match unit {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        _ => {
            return Err(format!(
                "unknown unit `{unit}`; use `ns`, `us`, `ms`, `s` or `m`"
            ))
        }
    };
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{number}` is not a number"))?;
    let ns = number * scale as f64;
    if !(ns >= 1.0 && ns < u64::MAX as f64) {
        return Err("it must be at least 1ns and finite".to_owned());
    }
    Ok(ns.round() as u64)
}

fn check_buckets(args: &Args, errors: &mut Errors) {
    let Some(buckets) = &args.buckets else { return };
    if buckets.bounds.is_empty() {
        errors.push(
            buckets.span,
            "`buckets` must not be empty; leave it out to use the default buckets",
        );
    }
    let mut previous: Option<f64> = None;
    for bound in &buckets.bounds {
        if !bound.value.is_finite() {
            errors.push_spanned(
                &bound.expr,
                "bucket bounds must be finite; `+Inf` is always added as the last bucket",
            );
        } else if bound.value < 0.0 {
            errors.push_spanned(
                &bound.expr,
                "bucket bounds are durations and must not be negative",
            );
        } else if let Some(previous) = previous.filter(|p| bound.value <= *p) {
            errors.push_spanned(
                &bound.expr,
                format!(
                    "bucket bounds must be strictly increasing, but {} follows {previous}",
                    bound.value
                ),
            );
        }
        if bound.value.is_finite() {
            previous = Some(bound.value);
        }
    }
}

/// The quantiles a latency objective can name, as `alert(p99 = "300ms")`.
pub const QUANTILES: [(&str, f64); 6] = [
    ("p50", 0.5),
    ("p75", 0.75),
    ("p90", 0.9),
    ("p95", 0.95),
    ("p99", 0.99),
    ("p999", 0.999),
];

fn check_alert(args: &Args, errors: &mut Errors) {
    let Some(alert) = &args.alert else { return };
    match args.attr {
        Attr::BusinessMetric => match &alert.below {
            None => errors.push(
                alert.key.span(),
                "`alert` needs a threshold, like `alert(below = 10, per = \"5m\")`: fewer actions than that in the window fires it",
            ),
            Some(below) if !(below.value > 0.0 && below.value.is_finite()) => errors.push_spanned(
                &below.expr,
                "`below` must be more than 0: a count of actions is never below 0, so the alert could never fire",
            ),
            Some(_) => {}
        },
        Attr::Timed => {
            if alert.latency.is_empty() && alert.error_ratio.is_none() {
                errors.push(
                    alert.key.span(),
                    "`alert` needs an objective, like `alert(p99 = \"300ms\")` or `alert(error_ratio = 0.05)`",
                );
            }
        }
    }
    for (key, threshold) in &alert.latency {
        if quantile(&key.to_string()).is_none() {
            let known: Vec<&str> = QUANTILES.iter().map(|(key, _)| *key).collect();
            errors.push(
                key.span(),
                format!(
                    "`{key}` is not a quantile bizmetrics knows; use one of {}",
                    known.join(", ")
                ),
            );
        }
        if let Err(problem) = duration_ns(&threshold.value()) {
            errors.push(
                threshold.span(),
                format!("`{}` is not a duration: {problem}", threshold.value()),
            );
        }
    }
    if let Some(ratio) = &alert.error_ratio {
        if !(ratio.value > 0.0 && ratio.value < 1.0) {
            errors.push_spanned(
                &ratio.expr,
                format!(
                    "`error_ratio` is the share of calls that fail, so it must be between 0 and 1 (exclusive), like `0.05` for 5%; `{}` is not",
                    ratio.value
                ),
            );
        }
    }
    for window in alert.per.iter().chain(&alert.for_) {
        if let Err(problem) = prometheus_duration_ms(&window.value()) {
            errors.push(
                window.span(),
                format!(
                    "`{}` is not a Prometheus duration: {problem}",
                    window.value()
                ),
            );
        }
    }
    for text in [&alert.severity, &alert.summary, &alert.description]
        .into_iter()
        .flatten()
    {
        if text.value().trim().is_empty() {
            errors.push(
                text.span(),
                "alert texts must not be empty; leave the argument out to use the default",
            );
        }
    }
    if let Some(name) = &alert.name {
        if let Some(problem) = invalid_identifier(&name.value()) {
            errors.push(
                name.span(),
                format!("`{}` is not a valid alert name: {problem}", name.value()),
            );
        }
    }
}

/// The quantile that a key like `p99` names.
pub fn quantile(key: &str) -> Option<f64> {
    QUANTILES
        .iter()
        .find(|(known, _)| *known == key)
        .map(|&(_, quantile)| quantile)
}

/// Parses a Prometheus duration with one unit, such as `"5m"`, `"30s"` or
/// `"1h"`, into milliseconds.
pub fn prometheus_duration_ms(text: &str) -> Result<u64, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&at| at > 0)
        .ok_or("write a whole number and a unit, like \"5m\", \"30s\" or \"1h\"")?;
    let (number, unit) = text.split_at(split);
    if unit.starts_with('.') {
        return Err("Prometheus durations are whole numbers; use a smaller unit, like \"90s\" for 1.5 minutes".to_owned());
    }
    let scale: u64 = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => {
            return Err(format!(
                "unknown unit `{}`; use `ms`, `s`, `m`, `h`, `d` or `w` after a whole number",
                unit.trim()
            ))
        }
    };
    match number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
    {
        Some(0) => Err("it must be more than zero".to_owned()),
        Some(ms) => Ok(ms),
        None => Err(format!("`{number}` is too large")),
    }
}
