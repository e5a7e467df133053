//! Code generation: the user's function, with its call sites wired in.

use proc_macro2::{Ident, Literal, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, LitStr, ReturnType, Stmt, Type};

use crate::ast::{Body, Function};
use crate::attr::{Alert, Args, Attr, LabelSource};
use crate::valid::{duration_ns, label_type, prometheus_duration_ms, quantile};

const COUNTER: (&str, &str) = (
    "user_actions_total",
    "Business actions performed, by action type and endpoint.",
);
const HISTOGRAM: (&str, &str) = (
    "function_duration_seconds",
    "Wall time of calls to functions annotated with #[timed], by function, module and outcome.",
);
const ERRORS: (&str, &str) = (
    "application_errors_total",
    "Calls to functions annotated with #[timed(errors)] that returned Err.",
);
const IN_FLIGHT: (&str, &str) = (
    "function_calls_in_flight",
    "Calls under way to functions annotated with #[timed(in_flight)].",
);
const SLOW: (&str, &str) = (
    "slow_calls_total",
    "Calls to functions annotated with #[timed(slow)] that took longer than their threshold.",
);

/// Expands a checked function. Validation guarantees it has a body.
pub fn expand(args: &Args, function: &Function) -> TokenStream {
    let Function {
        attrs, vis, sig, ..
    } = function;
    let Some(Body { inner_attrs, stmts }) = &function.body else {
        unreachable!("validation rejects functions without a body")
    };
    let labels = Labels::new(args, function);
    let body = match args.attr {
        Attr::BusinessMetric => count_calls(args, &labels, function, stmts),
        Attr::Timed => time_calls(args, &labels, function, stmts),
    };
    quote! {
        #(#attrs)*
        #vis #sig {
            #(#inner_attrs)*
            #body
        }
    }
}

/// The labels of the metrics one attribute declares.
struct Labels {
    /// `(name, value expression)`, fixed at compile time.
    fixed: Vec<(String, TokenStream)>,
    /// Labels chosen per call, in the order written.
    dimensions: Vec<Dimension>,
}

struct Dimension {
    name: String,
    ty: Type,
    value: Expr,
}

impl Labels {
    fn new(args: &Args, function: &Function) -> Self {
        let function_name = function.sig.ident.unraw().to_string();
        let mut fixed = match args.attr {
            Attr::BusinessMetric => {
                let action = args.action.as_ref().map(LitStr::value).unwrap_or_default();
                let endpoint = args
                    .endpoint
                    .as_ref()
                    .map_or_else(|| function_name.clone(), LitStr::value);
                vec![
                    ("action_type".to_owned(), quote!(#action)),
                    ("endpoint".to_owned(), quote!(#endpoint)),
                ]
            }
            Attr::Timed => vec![
                ("function".to_owned(), quote!(#function_name)),
                ("module".to_owned(), quote!(::core::module_path!())),
            ],
        };
        let mut dimensions = Vec::new();
        for label in &args.labels {
            let name = label.key.unraw().to_string();
            match &label.value {
                LabelSource::Fixed(value) => fixed.push((name, quote!(#value))),
                LabelSource::Call { ty, expr } => {
                    let ty = ty
                        .as_deref()
                        .or_else(|| label_type(function, expr))
                        .expect("validation finds every label's type")
                        .clone();
                    dimensions.push(Dimension {
                        name,
                        ty,
                        value: (**expr).clone(),
                    });
                }
            }
        }
        Labels { fixed, dimensions }
    }

    /// The index of this call's series, from its label values' ordinals.
    fn series(&self) -> TokenStream {
        let steps = self.dimensions.iter().map(|Dimension { ty, value, .. }| {
            let value_type = label_value(&ty.to_token_stream());
            quote! {
                __bizmetrics_series = __bizmetrics_series * #value_type::CARDINALITY
                    + #value_type::ordinal(&(#value));
            }
        });
        quote!({
            #[allow(unused_mut)]
            let mut __bizmetrics_series: usize = 0;
            #(#steps)*
            __bizmetrics_series
        })
    }

    /// `(name, type)` of the call site's dimensions, then of `extra` ones.
    fn all_dimensions<'a>(
        &'a self,
        extra: &'a [(&'static str, TokenStream)],
    ) -> impl Iterator<Item = (&'a str, TokenStream)> {
        let own = self
            .dimensions
            .iter()
            .map(|d| (d.name.as_str(), d.ty.to_token_stream()));
        own.chain(extra.iter().map(|(name, ty)| (*name, ty.clone())))
    }
}

/// `<T as LabelValue>`, spanned on `T` so that an unbounded type's error
/// lands on it.
fn label_value(ty: &TokenStream) -> TokenStream {
    quote_spanned!(ty.span()=> <#ty as ::bizmetrics::__private::LabelValue>)
}

/// One metric that a call site registers: its statics and slice entry.
struct Metric<'a> {
    /// Distinguishes the statics of several metrics in one block.
    prefix: &'a str,
    name: String,
    help: TokenStream,
    labels: &'a Labels,
    /// `(name, LabelValue type)` of dimensions after the call site's own,
    /// such as `outcome`; they vary fastest.
    extra_dimensions: Vec<(&'static str, TokenStream)>,
    funnel: TokenStream,
    /// `&[Alert, ...]` from `alert(...)`.
    alerts: TokenStream,
}

impl Metric<'_> {
    /// A metric named `name`, or `defaults.0`, with help `help`, or `defaults.1`.
    fn new<'a>(
        labels: &'a Labels,
        prefix: &'a str,
        defaults: (&str, &str),
        name: Option<&LitStr>,
        help: Option<&LitStr>,
    ) -> Metric<'a> {
        let (default_name, default_help) = defaults;
        let help = match help {
            Some(help) => quote!(::bizmetrics::__private::Help::Explicit(#help)),
            None => quote!(::bizmetrics::__private::Help::Default(#default_help)),
        };
        Metric {
            prefix,
            name: name.map_or_else(|| default_name.to_owned(), LitStr::value),
            help,
            labels,
            extra_dimensions: Vec::new(),
            funnel: quote!(::core::option::Option::None),
            alerts: quote!(&[]),
        }
    }

    fn ident(&self, what: &str) -> Ident {
        format_ident!("__BIZMETRICS_{}{}", self.prefix, what)
    }

    /// The cells static, checked against `MAX_SERIES` at compile time.
    fn cells(&self, per_series: &TokenStream) -> TokenStream {
        let cells = self.ident("CELLS");
        let (names, cardinalities): (Vec<&str>, Vec<TokenStream>) = self
            .labels
            .all_dimensions(&self.extra_dimensions)
            .map(|(name, ty)| {
                let value_type = label_value(&ty);
                (name, quote!(#value_type::CARDINALITY))
            })
            .unzip();
        let series = quote!(::bizmetrics::__private::series(&[#(#cardinalities),*]));
        let limit_message = format!(
            "metric `{}` has {} label combinations at this call site, more than bizmetrics::MAX_SERIES allows",
            self.name,
            names.join(" × ")
        );
        quote! {
            const _: () = ::core::assert!(#series <= ::bizmetrics::__private::MAX_SERIES, #limit_message);
            static #cells: ::bizmetrics::__private::Cells<
                { ::bizmetrics::__private::striped_len(#series * #per_series) }
            > = ::bizmetrics::__private::Cells::new();
        }
    }

    /// The linkme slice entry describing the call site.
    fn site(&self, storage: &TokenStream) -> TokenStream {
        let site = self.ident("SITE");
        let Metric {
            name,
            help,
            funnel,
            alerts,
            ..
        } = self;
        let labels = self
            .labels
            .fixed
            .iter()
            .map(|(key, value)| quote!((#key, #value)));
        // Literals, not a generic `fn` bounded on `LabelValue`: an unbounded
        // `T` then gets one error, the same as the ordinal call's, not two.
        let dimensions = self
            .labels
            .all_dimensions(&self.extra_dimensions)
            .map(|(name, ty)| {
                let value_type = label_value(&ty);
                quote! {
                    ::bizmetrics::__private::Dimension {
                        name: #name,
                        cardinality: #value_type::CARDINALITY,
                        label: #value_type::label,
                    }
                }
            });
        quote! {
            #[::bizmetrics::__private::linkme::distributed_slice(::bizmetrics::__private::SITES)]
            #[linkme(crate = ::bizmetrics::__private::linkme)]
            static #site: ::bizmetrics::__private::Site = ::bizmetrics::__private::Site {
                name: #name,
                help: #help,
                labels: &[#(#labels),*],
                dimensions: &[#(#dimensions),*],
                storage: #storage,
                funnel: #funnel,
                alerts: #alerts,
                location: ::bizmetrics::__private::Location {
                    file: ::core::file!(),
                    line: ::core::line!(),
                    column: ::core::column!(),
                },
            };
        }
    }

    /// Cells, a counter over them, and its slice entry.
    fn counter(&self) -> TokenStream {
        let (cells, counter) = (self.ident("CELLS"), self.ident("COUNTER"));
        let cells_static = self.cells(&quote!(1));
        let site = self.site(&quote!(::bizmetrics::__private::Storage::Counter(&#counter)));
        quote! {
            #cells_static
            static #counter: ::bizmetrics::__private::Counter =
                ::bizmetrics::__private::Counter::new(&#cells.0);
            #site
        }
    }

    /// Cells, a gauge over them, and its slice entry.
    fn gauge(&self) -> TokenStream {
        let (cells, gauge) = (self.ident("CELLS"), self.ident("GAUGE"));
        let cells_static = self.cells(&quote!(1));
        let site = self.site(&quote!(::bizmetrics::__private::Storage::Gauge(&#gauge)));
        quote! {
            #cells_static
            static #gauge: ::bizmetrics::__private::Gauge =
                ::bizmetrics::__private::Gauge::new(&#cells.0);
            #site
        }
    }
}

/// `#[business_metric]`: one counter add when the body starts, or after it
/// returns `Ok` with `count = "ok"`.
fn count_calls(args: &Args, labels: &Labels, function: &Function, stmts: &[Stmt]) -> TokenStream {
    let mut metric = Metric::new(labels, "", COUNTER, args.name.as_ref(), args.help.as_ref());
    if let (Some(funnel), Some(step)) = (&args.funnel, &args.step) {
        metric.funnel = quote! {
            ::core::option::Option::Some(::bizmetrics::__private::FunnelStep {
                funnel: #funnel,
                step: #step,
            })
        };
    }
    if let Some(alert) = &args.alert {
        metric.alerts = alerts(alert);
    }
    let counter = metric.counter();
    let series = labels.series();
    match args.count.as_ref().filter(|count| count.value() == "ok") {
        None => {
            // Items stay first so that `clippy::items_after_statements` stays quiet.
            let (items, rest): (Vec<&Stmt>, Vec<&Stmt>) =
                stmts.iter().partition(|stmt| matches!(stmt, Stmt::Item(_)));
            quote! {
                #(#items)*
                {
                    #counter
                    __BIZMETRICS_COUNTER.inc(#series);
                }
                #(#rest)*
            }
        }
        Some(count) => {
            let result = wrapped_body(function, stmts);
            let succeeded = quote_spanned! {count.span()=>
                ::bizmetrics::__private::succeeded(&__bizmetrics_result)
            };
            quote! {
                let (__bizmetrics_counter, __bizmetrics_series) = {
                    #counter
                    (&__BIZMETRICS_COUNTER, #series)
                };
                #[allow(clippy::redundant_closure_call, unreachable_code)]
                let __bizmetrics_result = #result;
                #[allow(unreachable_code)]
                if #succeeded {
                    __bizmetrics_counter.inc(__bizmetrics_series);
                }
                #[allow(unreachable_code)]
                __bizmetrics_result
            }
        }
    }
}

/// `#[timed]`: a drop guard around the body, finished with its outcome.
fn time_calls(args: &Args, labels: &Labels, function: &Function, stmts: &[Stmt]) -> TokenStream {
    let mut histogram = Metric::new(
        labels,
        "",
        HISTOGRAM,
        args.name.as_ref(),
        args.help.as_ref(),
    );
    histogram.extra_dimensions = vec![("outcome", quote!(::bizmetrics::__private::Outcome))];
    let buckets = match &args.buckets {
        Some(buckets) => {
            let bounds = buckets.bounds.iter().map(|bound| {
                let mut literal = Literal::f64_unsuffixed(bound.value);
                literal.set_span(bound.expr.span());
                literal
            });
            let len = buckets.bounds.len();
            quote!(const __BIZMETRICS_BUCKETS: [f64; #len] = [#(#bounds),*];)
        }
        None => quote! {
            const __BIZMETRICS_BUCKETS: [f64; ::bizmetrics::__private::DEFAULT_BUCKETS.len()] =
                ::bizmetrics::__private::DEFAULT_BUCKETS;
        },
    };
    let mut objectives = TokenStream::new();
    if let Some(alert) = &args.alert {
        histogram.alerts = alerts(alert);
        objectives = reachable_objectives(alert);
    }
    let cells = histogram.cells(&quote!(::bizmetrics::__private::histogram_stride(
        __BIZMETRICS_BUCKETS.len()
    )));
    let site = histogram.site(&quote!(::bizmetrics::__private::Storage::Histogram(
        &__BIZMETRICS_HISTOGRAM
    )));

    let Extras {
        statics: extras,
        fields,
        outcome,
        error_kind,
    } = extras(args, labels);
    let series = labels.series();
    let result = wrapped_body(function, stmts);
    quote! {
        let __bizmetrics_timer = {
            #buckets
            #objectives
            #cells
            static __BIZMETRICS_HISTOGRAM: ::bizmetrics::__private::Histogram =
                ::bizmetrics::__private::Histogram::new(
                    &__BIZMETRICS_BUCKETS,
                    &::bizmetrics::__private::bounds_ns(__BIZMETRICS_BUCKETS),
                    &__BIZMETRICS_CELLS.0,
                );
            #site
            #extras
            static __BIZMETRICS_TIMED: ::bizmetrics::__private::Timed = ::bizmetrics::__private::Timed {
                histogram: &__BIZMETRICS_HISTOGRAM,
                #fields
            };
            ::bizmetrics::__private::Timer::start(&__BIZMETRICS_TIMED, #series)
        };
        #[allow(clippy::redundant_closure_call, unreachable_code)]
        let __bizmetrics_result = #result;
        #[allow(unreachable_code)]
        __bizmetrics_timer.finish(#outcome, #error_kind);
        #[allow(unreachable_code)]
        __bizmetrics_result
    }
}

/// `&[Alert, ...]`: one alert per condition, sharing the window, `for`
/// and texts. Validation has checked every value.
fn alerts(alert: &Alert) -> TokenStream {
    let mut conditions = Vec::new();
    if let Some(below) = &alert.below {
        let below = below.value;
        conditions.push(quote!(::bizmetrics::__private::Condition::Below(#below)));
    }
    for (key, threshold) in &alert.latency {
        let quantile = quantile(&key.to_string()).unwrap_or(0.99);
        let seconds = objective_seconds(threshold);
        conditions.push(quote! {
            ::bizmetrics::__private::Condition::Latency { quantile: #quantile, seconds: #seconds }
        });
    }
    if let Some(ratio) = &alert.error_ratio {
        let ratio = ratio.value;
        conditions.push(quote!(::bizmetrics::__private::Condition::ErrorRatio(#ratio)));
    }
    let ms = |text: Option<&LitStr>| text.and_then(|t| prometheus_duration_ms(&t.value()).ok());
    let per_ms = ms(alert.per.as_ref()).unwrap_or(DEFAULT_ALERT_WINDOW_MS);
    let for_ms = ms(alert.for_.as_ref()).unwrap_or(per_ms);
    let severity = alert
        .severity
        .as_ref()
        .map_or_else(|| "warning".to_owned(), LitStr::value);
    let optional = |text: Option<&LitStr>| match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let (name, summary, description) = (
        optional(alert.name.as_ref()),
        optional(alert.summary.as_ref()),
        optional(alert.description.as_ref()),
    );
    quote! {
        &[#(::bizmetrics::__private::Alert {
            condition: #conditions,
            per_ms: #per_ms,
            for_ms: #for_ms,
            severity: #severity,
            name: #name,
            summary: #summary,
            description: #description,
        }),*]
    }
}

/// A latency objective in seconds. Validation has checked the duration.
#[allow(clippy::cast_precision_loss)] // durations far below 2^52 ns
fn objective_seconds(threshold: &LitStr) -> f64 {
    duration_ns(&threshold.value()).unwrap_or(1) as f64 / 1e9
}

/// `per` when not given: the seed's five minutes.
const DEFAULT_ALERT_WINDOW_MS: u64 = 300_000;

/// A compile-time check that each latency objective lies below the largest
/// finite bucket: `histogram_quantile` never returns more than that bound,
/// so an objective at or above it could never fire.
fn reachable_objectives(alert: &Alert) -> TokenStream {
    alert
        .latency
        .iter()
        .map(|(key, threshold)| {
            let seconds = objective_seconds(threshold);
            let message = format!(
                "`{key} = \"{}\"` is not below the largest bucket, and histogram_quantile never exceeds that, so this alert could never fire; lower the objective or add a larger bucket",
                threshold.value()
            );
            quote_spanned! {threshold.span()=>
                const _: () = ::core::assert!(
                    #seconds < __BIZMETRICS_BUCKETS[__BIZMETRICS_BUCKETS.len() - 1],
                    #message
                );
            }
        })
        .collect()
}

/// The optional metrics of `#[timed]`, and how the call's result feeds them.
struct Extras {
    /// The statics and slice entries of `errors`, `in_flight` and `slow`.
    statics: TokenStream,
    /// Their fields of `Timed`.
    fields: TokenStream,
    /// The call's `Outcome`, from `__bizmetrics_result`.
    outcome: TokenStream,
    /// The error kind's ordinal, from `__bizmetrics_result`.
    error_kind: TokenStream,
}

fn extras(args: &Args, labels: &Labels) -> Extras {
    let none = quote!(::core::option::Option::None);
    let mut statics = TokenStream::new();
    let (mut errors, mut in_flight, mut slow) = (none.clone(), none.clone(), none);
    // Without `errors`, any return type is fine: a `Result` is told apart
    // by auto-ref specialization, anything else is `ok`.
    let mut outcome = quote!({
        use ::bizmetrics::__private::{PlainOutcome as _, ResultOutcome as _};
        (&::bizmetrics::__private::Probe(&__bizmetrics_result)).outcome()
    });
    let mut error_kind = quote!(0);

    if let Some(extra) = &args.errors {
        let given = extra.value.as_ref().or(extra.name.as_ref());
        let mut metric = Metric::new(labels, "ERRORS_", ERRORS, given, None);
        let mut kinds = quote!(1);
        if let Some(kind) = &extra.kind {
            let kind_type = label_value(&kind.to_token_stream());
            kinds = quote!(#kind_type::CARDINALITY);
            metric.extra_dimensions = vec![("kind", kind.to_token_stream())];
            error_kind = quote_spanned! {kind.span()=>
                ::bizmetrics::__private::error_kind::<#kind, _>(&__bizmetrics_result)
            };
        }
        statics.extend(metric.counter());
        errors = quote!(::core::option::Option::Some((&__BIZMETRICS_ERRORS_COUNTER, #kinds)));
        outcome = quote_spanned! {extra.key.span()=>
            ::bizmetrics::__private::fallible_outcome(&__bizmetrics_result)
        };
    }
    if let Some(extra) = &args.in_flight {
        let given = extra.value.as_ref().or(extra.name.as_ref());
        statics.extend(Metric::new(labels, "IN_FLIGHT_", IN_FLIGHT, given, None).gauge());
        in_flight = quote!(::core::option::Option::Some(&__BIZMETRICS_IN_FLIGHT_GAUGE));
    }
    if let Some(extra) = &args.slow {
        let threshold = extra.value.as_ref().or(extra.after.as_ref());
        let threshold_ns = threshold
            .and_then(|t| duration_ns(&t.value()).ok())
            .unwrap_or(u64::MAX);
        statics.extend(Metric::new(labels, "SLOW_", SLOW, extra.name.as_ref(), None).counter());
        slow = quote!(::core::option::Option::Some((&__BIZMETRICS_SLOW_COUNTER, #threshold_ns)));
    }
    Extras {
        statics,
        fields: quote!(errors: #errors, in_flight: #in_flight, slow: #slow,),
        outcome,
        error_kind,
    }
}

/// The body as an expression of its return value: an `async` block awaited,
/// or a closure called at once, so that `return` and `?` end only the body.
fn wrapped_body(function: &Function, stmts: &[Stmt]) -> TokenStream {
    let fake_return = fake_return(&function.sig.output);
    if function.sig.asyncness.is_some() {
        quote!(async move { #fake_return #(#stmts)* }.await)
    } else {
        quote!((move || { #fake_return #(#stmts)* })())
    }
}

/// An unreachable `return` of the declared type, so that the wrapped body
/// is checked against the signature and type errors land in user code, as
/// tracing-attributes does. `impl Trait` cannot be named in a `let`, so
/// those bodies go without.
fn fake_return(output: &ReturnType) -> TokenStream {
    let ReturnType::Type(_, ty) = output else {
        return TokenStream::new();
    };
    if mentions_impl(ty.to_token_stream()) {
        return TokenStream::new();
    }
    quote_spanned! {ty.span()=>
        #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop, clippy::needless_return)]
        if false {
            let __bizmetrics_fake_return: #ty = loop {};
            return __bizmetrics_fake_return;
        }
    }
}

fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}
