//! Semantic checks on the arguments and the function. Emits no tokens.

use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::ast::Function;
use crate::attr::{Args, Attr};

/// Checks everything at once, so the user sees every mistake in one build.
pub fn check(args: &Args, function: &Function) -> syn::Result<()> {
    let mut errors = Errors::default();
    check_function(args.attr, function, &mut errors);
    check_action(args, &mut errors);
    check_name(args, &mut errors);
    check_help(args, &mut errors);
    check_labels(args, &mut errors);
    check_buckets(args, &mut errors);
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
    let Some(name) = &args.name else { return };
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
    match args.attr {
        Attr::BusinessMetric if !value.ends_with("_total") => errors.push(
            span,
            format!("counter name `{value}` must end in `_total`, like `{value}_total`"),
        ),
        Attr::Timed => {
            let reserved = ["_total", "_bucket", "_count", "_sum"];
            if let Some(suffix) = reserved.iter().find(|s| value.ends_with(*s)) {
                errors.push(
                    span,
                    format!("histogram name `{value}` must not end in `{suffix}`: Prometheus reserves that suffix for its own series"),
                );
            } else if !value.ends_with("_seconds") {
                errors.push(
                    span,
                    format!("histogram name `{value}` must end in `_seconds`, the unit `#[timed]` records, like `{value}_seconds`"),
                );
            }
        }
        Attr::BusinessMetric => {}
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

fn check_labels(args: &Args, errors: &mut Errors) {
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
            errors.push(span, format!("label name `{key}` is reserved: Prometheus uses it for histogram and summary buckets"));
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
        seen.push(key);
    }
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
