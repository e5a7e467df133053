//! Semantic checks on the arguments and the function, which turn them into
//! a typed [`Plan`]. Emits no tokens.

use proc_macro2::Span;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Expr, LitStr, Type};

use crate::ast::Function;
use crate::attr::{Alert, Args, Attr, LabelSource};
use crate::plan::{
    AlertPlan, Condition, CounterPlan, Dimension, ErrorsPlan, Labels, Plan, TimedPlan,
};

/// Where a function sits: a method of an annotated `impl` block is named
/// `Type::method`, and takes its action from its name.
pub struct Context<'a> {
    pub impl_type: Option<&'a str>,
    /// The `impl` block carries another attribute macro, such as
    /// `#[async_trait]`, that reads its methods after us.
    pub impl_has_macros: bool,
}

/// Checks everything at once, so the user sees every mistake in one build,
/// and plans the expansion.
pub fn plan(
    counter: Option<&Args>,
    timed: Option<&Args>,
    function: &Function,
    context: &Context<'_>,
) -> syn::Result<Plan> {
    let mut errors = Errors::default();
    let fn_name = function.sig.ident.unraw().to_string();
    for args in counter.iter().chain(&timed) {
        check_function(args.attr, function, &mut errors);
        check_skip(args, &mut errors);
    }
    let action = counter.map(|args| check_action(args, context, &fn_name, &mut errors));
    for args in counter.iter().chain(&timed) {
        check_arguments(args, &mut errors);
        check_funnel(args, &mut errors);
    }
    let counter = counter.zip(action).map(|(args, action)| CounterPlan {
        name: name_or(args, "user_actions_total"),
        help: args.help.clone(),
        labels: labels(args, function, &mut errors),
        endpoint: args.endpoint.as_ref().map_or_else(
            || match context.impl_type {
                Some(ty) => format!("{ty}::{fn_name}"),
                None => fn_name.clone(),
            },
            LitStr::value,
        ),
        action,
        funnel: args
            .funnel
            .as_ref()
            .zip(args.step.as_ref())
            .and_then(|(funnel, step)| Some((funnel.value(), step.base10_parse().ok()?))),
        count_ok: args
            .count
            .as_ref()
            .filter(|count| count.value() == "ok")
            .map(LitStr::span),
        alerts: alerts(args, None, &mut errors),
    });
    let timed = timed.map(|args| {
        let buckets = args
            .buckets
            .as_ref()
            .map(|buckets| buckets.bounds.iter().map(|b| b.value).collect::<Vec<_>>());
        TimedPlan {
            name: name_or(args, "function_duration_seconds"),
            help: args.help.clone(),
            labels: labels(args, function, &mut errors),
            errors: args.errors.as_ref().map(|extra| {
                let given = extra.value.as_ref().or(extra.name.as_ref());
                ErrorsPlan {
                    name: given
                        .map_or_else(|| "application_errors_total".to_owned(), LitStr::value),
                    kind: extra.kind.clone(),
                    span: extra.key.span(),
                }
            }),
            in_flight: args.in_flight.as_ref().map(|extra| {
                let given = extra.value.as_ref().or(extra.name.as_ref());
                given.map_or_else(|| "function_calls_in_flight".to_owned(), LitStr::value)
            }),
            slow: check_slow(args, &mut errors),
            native: check_native(args, &mut errors),
            alerts: alerts(args, buckets.as_deref(), &mut errors)
                .into_iter()
                .chain(objectives(args, buckets.as_deref(), &mut errors))
                .collect(),
            buckets,
        }
    });
    errors.finish()?;
    let keep_async = context.impl_has_macros || function.attrs.iter().any(is_macro);
    let anchor = function.sig.ident.span();
    let function = match context.impl_type {
        Some(ty) => format!("{ty}::{fn_name}"),
        None => fn_name,
    };
    Ok(Plan {
        function,
        counter,
        timed,
        anchor,
        location: context
            .impl_type
            .map(|_| anchor.start())
            .filter(|start| start.line > 0),
        keep_async,
    })
}

/// The checks that need only the arguments, not the function: run for a
/// `defaults!` set where it is declared, before any function uses it.
pub fn check_set(args: &Args) -> syn::Result<()> {
    let mut errors = Errors::default();
    check_arguments(args, &mut errors);
    check_slow(args, &mut errors);
    check_native(args, &mut errors);
    let buckets = args
        .buckets
        .as_ref()
        .map(|buckets| buckets.bounds.iter().map(|b| b.value).collect::<Vec<_>>());
    alerts(args, buckets.as_deref(), &mut errors);
    objectives(args, buckets.as_deref(), &mut errors);
    errors.finish()
}

/// A funnel and its step may come one from a set, one from the function,
/// so they are checked together only on the function.
fn check_arguments(args: &Args, errors: &mut Errors) {
    check_name(args, errors);
    check_help(args, errors);
    check_buckets(args, errors);
    check_count(args, errors);
    let extras = [
        (&args.errors, Kind::Counter),
        (&args.in_flight, Kind::Gauge),
    ];
    for (extra, kind) in extras {
        let given = extra
            .as_ref()
            .and_then(|e| e.value.as_ref().or(e.name.as_ref()));
        if let Some(name) = given {
            check_metric_name(name, kind, errors);
        }
    }
}

/// Whether an attribute may be a macro that expands after us. Built-in
/// and tool attributes are not; anything else might be.
pub fn is_macro(attribute: &syn::Attribute) -> bool {
    let path = attribute.path();
    let first = path.segments.first().map(|s| s.ident.to_string());
    let builtin = [
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "doc",
        "must_use",
        "inline",
        "cold",
        "track_caller",
        "deprecated",
        "no_mangle",
        "export_name",
        "link_section",
        "target_feature",
        "rustfmt",
        "clippy",
        "diagnostic",
        "rustdoc",
    ];
    !first.is_some_and(|first| builtin.contains(&first.as_str()))
}

fn name_or(args: &Args, default: &str) -> String {
    args.name
        .as_ref()
        .map_or_else(|| default.to_owned(), LitStr::value)
}

/// The labels of one attribute, each dimension with its type.
fn labels(args: &Args, function: &Function, errors: &mut Errors) -> Labels {
    check_labels(args, function, errors);
    let mut fixed = Vec::new();
    let mut dimensions = Vec::new();
    for label in &args.labels {
        let name = label.key.unraw().to_string();
        match &label.value {
            LabelSource::Fixed(value) => fixed.push((name, quote!(#value))),
            LabelSource::Call { ty, expr } => {
                if let Some(ty) = ty.as_deref().or_else(|| label_type(function, expr)) {
                    dimensions.push(Dimension {
                        name,
                        ty: ty.clone(),
                        value: (**expr).clone(),
                        group: false,
                    });
                }
            }
            LabelSource::Group { ty } => {
                let binding = &label.key;
                if let Some(ty) = ty.as_deref().or_else(|| function.param_type(binding)) {
                    dimensions.push(Dimension {
                        name,
                        ty: ty.clone(),
                        value: syn::parse_quote!(#binding),
                        group: true,
                    });
                }
            }
        }
    }
    Labels { fixed, dimensions }
}

/// Every error found so far, reported together so that one build shows
/// every mistake.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push_error(syn::Error::new(span, message));
    }

    /// Spans every token of `tokens`, which `Span::join` cannot on stable.
    pub(crate) fn push_spanned(
        &mut self,
        tokens: impl quote::ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.push_error(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn push_error(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
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
        let message = if function.has_receiver() {
            format!(
                "`{attr}` cannot be used on a trait method without a body; put it on the method in each `impl` instead"
            )
        } else {
            format!(
                "`{attr}` needs a function body to record around: a function in an `extern` block, or a trait method without a body, has none; put it on the Rust function that calls it, or on the method in each `impl`"
            )
        };
        errors.push_spanned(&function.sig, message);
    }
}

/// The action: as given, or in an annotated `impl` block the method's name.
fn check_action(args: &Args, context: &Context<'_>, fn_name: &str, errors: &mut Errors) -> String {
    if let Some(endpoint) = args.endpoint.as_ref().filter(|e| e.value().is_empty()) {
        errors.push(
            endpoint.span(),
            "`endpoint` must not be empty; leave it out to use the function name",
        );
    }
    match &args.action {
        None if context.impl_type.is_some() => fn_name.to_owned(),
        None => {
            errors.push(
                Span::call_site(),
                "`#[business_metric]` needs an action, like `#[business_metric(action = \"search\")]`",
            );
            String::new()
        }
        Some(action) if action.value().is_empty() => {
            errors.push(action.span(), "`action` must not be empty");
            String::new()
        }
        Some(action) => action.value(),
    }
}

/// `skip` means something only on a method of an annotated `impl` block,
/// which takes it away before the method's own attribute runs.
fn check_skip(args: &Args, errors: &mut Errors) {
    if let Some(skip) = &args.skip {
        errors.push(
            skip.span(),
            format!("`skip` leaves a method out of an `impl` block that carries `{}`, and there is none here; remove the attribute instead", args.attr.display()),
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
pub(crate) fn invalid_identifier(text: &str) -> Option<String> {
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
        if let LabelSource::Group { ty } = &label.value {
            // The group's field names are checked where they are known,
            // at compile time of the expansion.
            if !function.has_param(&label.key) {
                let binding = &label.key;
                let expr = syn::parse_quote!(#binding);
                errors.push(span, untyped_label(function, &key, &expr, true));
            } else if ty.is_none() && function.param_type(&label.key).is_none() {
                errors.push(
                    span,
                    format!("cannot tell the type of label group `{key}`: name it, like `labels({key}: Profile)`"),
                );
            }
            continue;
        }
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
        } else if key == "slo" && args.slo.is_some() {
            errors.push(
                span,
                "label `slo` would be overwritten: the objective's recording rules and alerts label their series `slo`; choose another name",
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
                errors.push_spanned(expr, untyped_label(function, &key, expr, false));
            }
        }
    }
}

/// Why a label written `key = expr` has no type we can see.
fn untyped_label(function: &Function, key: &str, expr: &Expr, group: bool) -> String {
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
        let group = if group {
            "; `labels(name)` adds the fields of a parameter whose type derives `LabelGroup`"
        } else {
            ""
        };
        return format!(
            "`{ident}` is not a parameter of `{}`; {params}{group}",
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

/// `slow`: its counter's name and threshold.
fn check_slow(args: &Args, errors: &mut Errors) -> Option<(String, u64)> {
    let extra = args.slow.as_ref()?;
    if let Some(name) = &extra.name {
        check_metric_name(name, Kind::Counter, errors);
    }
    let name = extra
        .name
        .as_ref()
        .map_or_else(|| "slow_calls_total".to_owned(), LitStr::value);
    match extra.value.as_ref().or(extra.after.as_ref()) {
        None => {
            errors.push(
                extra.key.span(),
                "`slow` needs a threshold, like `slow = \"500ms\"`",
            );
            None
        }
        Some(threshold) => duration(threshold, errors).map(|ns| (name, ns)),
    }
}

/// A duration literal in nanoseconds, or its error pushed.
fn duration(text: &LitStr, errors: &mut Errors) -> Option<u64> {
    duration_ns(&text.value())
        .map_err(|problem| {
            errors.push(
                text.span(),
                format!("`{}` is not a duration: {problem}", text.value()),
            );
        })
        .ok()
}

/// Parses a duration such as `"250ms"`, `"1.5m"` or `"1h30m"` into
/// nanoseconds: Go's `time.ParseDuration` grammar, which Prometheus users
/// know, with `d` and `w` as Prometheus adds them. Zero is refused: no
/// threshold, window or objective means anything at zero.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
pub fn duration_ns(text: &str) -> Result<u64, String> {
    const FORM: &str = "write a number and a unit, like \"500ms\", \"1.5m\" or \"1h30m\"";
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(FORM.to_owned());
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("it has no unit; {FORM}"))?;
        let (number, after) = rest.split_at(digits);
        let number: f64 = number.parse().map_err(|_| match number {
            "" => FORM.to_owned(),
            _ => format!("`{number}` is not a number; {FORM}"),
        })?;
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale: f64 = match unit.trim() {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3_600e9,
            "d" => 86_400e9,
            "w" => 604_800e9,
            other => {
                return Err(format!(
                    "unknown unit `{other}`; use `ns`, `us`, `ms`, `s`, `m`, `h`, `d` or `w`"
                ));
            }
        };
        total += number * scale;
        rest = after;
    }
    if !(total >= 1.0 && total < u64::MAX as f64) {
        return Err("it must be more than zero".to_owned());
    }
    Ok(total.round() as u64)
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

/// The quantiles a latency objective can name, as `alert(p99 = "300ms")`,
/// with the runtime's `Quantile` variant for each.
const QUANTILES: [(&str, &str); 6] = [
    ("p50", "P50"),
    ("p75", "P75"),
    ("p90", "P90"),
    ("p95", "P95"),
    ("p99", "P99"),
    ("p999", "P999"),
];

/// The runtime's `Quantile` variant for `key`, such as `P99` for `p99`, or
/// its error pushed.
fn quantile_variant(key: &syn::Ident, errors: &mut Errors) -> Option<&'static str> {
    let quantile = QUANTILES
        .iter()
        .find(|(known, _)| key == known)
        .map(|&(_, variant)| variant);
    if quantile.is_none() {
        let known: Vec<&str> = QUANTILES.iter().map(|(key, _)| *key).collect();
        errors.push(
            key.span(),
            format!(
                "`{key}` is not a quantile bizmetrics knows; use one of {}",
                known.join(", ")
            ),
        );
    }
    quantile
}

/// `per` when not given: five minutes, as the article's alert has it.
const DEFAULT_ALERT_WINDOW_MS: u64 = 300_000;

/// The runtime's `DEFAULT_BUCKETS`, in seconds.
const DEFAULT_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The top of a native histogram's range, 2^7 s (the runtime's `native`
/// module keeps 27 powers of two up to it).
const NATIVE_LARGEST: f64 = 128.0;

/// The schema of `native`, 3 unless given; the runtime keeps 0 to 4.
fn check_native(args: &Args, errors: &mut Errors) -> Option<u8> {
    let native = args.native.as_ref()?;
    let Some(schema) = &native.schema else {
        return Some(3);
    };
    match schema.base10_parse::<u8>() {
        Ok(schema @ 0..=4) => Some(schema),
        _ => {
            errors.push(
                schema.span(),
                "`schema` must be 0 to 4: each power of two is split into 2^schema buckets, so 3 (the default) reads quantiles within 4.3%, and 4 within 2.2% at twice the memory",
            );
            None
        }
    }
}

/// The alerts of `alert(...)`, one per condition; `buckets` are the
/// histogram's, `None` for the defaults.
fn alerts(args: &Args, buckets: Option<&[f64]>, errors: &mut Errors) -> Vec<AlertPlan> {
    let Some(alert) = &args.alert else {
        return Vec::new();
    };
    // A native histogram has buckets up to 128 s, whatever the classic ones.
    let largest = match (&args.native, buckets) {
        (Some(_), _) => Some(NATIVE_LARGEST),
        (None, None) => DEFAULT_BUCKETS.last().copied(),
        (None, Some(buckets)) => buckets.last().copied(),
    };
    let conditions = conditions(args.attr, alert, largest, errors);
    let mut window = |text: Option<&LitStr>| -> Option<u64> {
        let text = text?;
        let ns = duration(text, errors)?;
        if ns % 1_000_000 != 0 {
            errors.push(
                text.span(),
                format!(
                    "`{}` is not a whole number of milliseconds, the finest Prometheus windows go",
                    text.value()
                ),
            );
        }
        Some(ns / 1_000_000)
    };
    let per_ms = window(alert.per.as_ref()).unwrap_or(DEFAULT_ALERT_WINDOW_MS);
    let for_ms = window(alert.for_.as_ref()).unwrap_or(per_ms);
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
    let text = |text: &Option<LitStr>| text.as_ref().map(LitStr::value);
    conditions
        .into_iter()
        .map(|condition| AlertPlan {
            condition,
            per_ms,
            for_ms,
            severity: text(&alert.severity).unwrap_or_else(|| "warning".to_owned()),
            name: text(&alert.name),
            summary: text(&alert.summary),
            description: text(&alert.description),
        })
        .collect()
}

/// What each of `alert`'s objectives or thresholds watches.
fn conditions(
    attr: Attr,
    alert: &Alert,
    largest: Option<f64>,
    errors: &mut Errors,
) -> Vec<Condition> {
    let mut conditions = Vec::new();
    match attr {
        Attr::BusinessMetric => match &alert.below {
            None => errors.push(
                alert.key.span(),
                "`alert` needs a threshold, like `alert(below = 10, per = \"5m\")`: fewer actions than that in the window fires it",
            ),
            Some(below) if !(below.value > 0.0 && below.value.is_finite()) => errors.push_spanned(
                &below.expr,
                "`below` must be more than 0: a count of actions is never below 0, so the alert could never fire",
            ),
            Some(below) => conditions.push(Condition::Below(below.value)),
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
        let Some((quantile, ns)) = quantile_variant(key, errors).zip(duration(threshold, errors))
        else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)] // durations far below 2^52 ns
        let seconds = ns as f64 / 1e9;
        if largest.is_some_and(|largest| seconds >= largest) {
            errors.push(
                threshold.span(),
                format!(
                    "`{key} = \"{}\"` is not below the largest bucket, and histogram_quantile never exceeds that, so this alert could never fire; lower the objective or add a larger bucket",
                    threshold.value()
                ),
            );
        }
        conditions.push(Condition::Latency { quantile, seconds });
    }
    if let Some(ratio) = &alert.error_ratio {
        if ratio.value > 0.0 && ratio.value < 1.0 {
            conditions.push(Condition::ErrorRatio(ratio.value));
        } else {
            errors.push_spanned(
                &ratio.expr,
                format!(
                    "`error_ratio` is the share of calls that fail, so it must be between 0 and 1 (exclusive), like `0.05` for 5%; `{}` is not",
                    ratio.value
                ),
            );
        }
    }
    conditions
}

/// `window` when not given: 30 days, the window the SRE workbook's
/// burn-rate factors (14.4, 6, 3, 1) are stated for.
const DEFAULT_SLO_WINDOW_MS: u64 = 30 * 86_400_000;

/// The shortest `window`: the ticket alert looks back 3 days, which must
/// be a small part of the period the budget covers.
const SHORTEST_SLO_WINDOW_MS: u64 = 7 * 86_400_000;

/// The objectives of `slo(...)`, each an alert of its own kind; `buckets`
/// are the histogram's, `None` for the defaults.
fn objectives(args: &Args, buckets: Option<&[f64]>, errors: &mut Errors) -> Vec<AlertPlan> {
    let Some(slo) = &args.slo else {
        return Vec::new();
    };
    let window_ms = slo
        .window
        .as_ref()
        .map_or(Some(DEFAULT_SLO_WINDOW_MS), |text| {
        let ns = duration(text, errors)?;
        let ms = ns / 1_000_000;
        if ms < SHORTEST_SLO_WINDOW_MS {
            errors.push(
                text.span(),
                format!(
                    "an objective's `window` must be at least \"7d\": the ticket alert looks back 3 days, and \"{}\" leaves it no room; the usual window is \"30d\"",
                    text.value()
                ),
            );
        } else if ns % 1_000_000 != 0 {
            errors.push(
                text.span(),
                format!(
                    "`{}` is not a whole number of milliseconds, the finest Prometheus windows go",
                    text.value()
                ),
            );
        }
        Some(ms)
    });
    let objective = slo
        .availability
        .as_ref()
        .and_then(|text| percent(text, errors))
        .map(|objective| Condition::Availability { objective });
    let latency = slo.latency.as_ref().and_then(|(key, threshold)| {
        let quantile = quantile_variant(key, errors);
        let ns = duration(threshold, errors)?;
        let bounds = buckets.unwrap_or(&DEFAULT_BUCKETS);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let on_a_bound = bounds.iter().any(|b| (b * 1e9).round() as u64 == ns);
        #[allow(clippy::cast_precision_loss)] // durations far below 2^52 ns
        let seconds = ns as f64 / 1e9;
        // A native histogram answers for any threshold.
        if !on_a_bound && args.native.is_none() {
            let bounds: Vec<String> = bounds.iter().map(ToString::to_string).collect();
            errors.push(
                threshold.span(),
                format!(
                    "`{key} = \"{}\"` needs a bucket bound at {seconds} (seconds): an objective counts the calls that finish within it, and only a bucket bound can tell them apart; add {seconds} to `buckets`, or use a bound there is: {}",
                    threshold.value(),
                    bounds.join(", ")
                ),
            );
        }
        Some(Condition::LatencyObjective {
            quantile: quantile?,
            seconds,
        })
    });
    let Some(window_ms) = window_ms else {
        return Vec::new();
    };
    objective
        .into_iter()
        .chain(latency)
        .map(|condition| AlertPlan {
            condition,
            per_ms: window_ms,
            for_ms: 0,
            severity: String::new(),
            name: None,
            summary: None,
            description: None,
        })
        .collect()
}

/// An objective written as a percentage, `"99.9%"`, as a fraction: 0.999.
fn percent(text: &LitStr, errors: &mut Errors) -> Option<f64> {
    let value = text.value();
    let number = value.trim().strip_suffix('%').map(str::trim);
    let problem = match number.map(str::parse::<f64>) {
        Some(Ok(percent)) if percent > 0.0 && percent < 100.0 => return Some(percent / 100.0),
        Some(Ok(percent)) if percent >= 100.0 => format!(
            "an objective of \"{value}\" leaves no error budget: a single failure would break it, so every alert would fire at once; aim below 100%, like \"99.9%\""
        ),
        Some(Ok(_)) => format!(
            "\"{value}\" is not an objective: it must be more than 0% and less than 100%, like \"99.9%\""
        ),
        Some(Err(_)) => {
            format!("\"{value}\" is not a percentage; write the objective like \"99.9%\"")
        }
        None => match value.trim().parse::<f64>() {
            Ok(fraction) if fraction > 0.0 && fraction < 1.0 => format!(
                "\"{value}\" looks like a fraction; write the objective as a percentage, \"{}%\"",
                percent_text(fraction * 100.0)
            ),
            Ok(_) => format!("the objective is a percentage and needs its `%`: \"{value}%\""),
            Err(_) => {
                format!("\"{value}\" is not a percentage; write the objective like \"99.9%\"")
            }
        },
    };
    errors.push(text.span(), problem);
    None
}

/// A percentage without float noise: 99.9, not 99.90000000000001.
fn percent_text(value: f64) -> String {
    let text = format!("{value:.10}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
