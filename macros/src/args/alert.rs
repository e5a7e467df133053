//! `alert(...)`: an alerting rule on the attribute's metric, read once
//! into checked values and emitted as the vocabulary's `Alert`s.

use bizmetrics_facts::{DEFAULT_ALERT_WINDOW_MS, Quantile, Severity};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr};

use super::buckets::Bounds;
use super::quantile::{self, QuantileTokens};
use super::value::{
    Number, duration_ns, list, number, optional_text, path_text, seconds, set, string, ungroup,
    window_ms,
};
use crate::attribute::Attr;
use crate::errors::Errors;
use crate::naming::invalid_identifier;

/// The argument as written.
#[derive(Clone)]
pub struct Alert {
    /// The `alert` key, for errors about the whole.
    pub key: Ident,
    /// `below = 10`: fewer actions than this per window (`#[business_metric]`).
    pub below: Option<Number>,
    /// `p99 = "300ms"` and the like: a latency objective (`#[timed]`).
    pub latency: Vec<(Ident, LitStr)>,
    /// `error_ratio = 0.05`: the share of calls that fail (`#[timed]`).
    pub error_ratio: Option<Number>,
    /// `per = "5m"`: the rate window.
    pub per: Option<LitStr>,
    /// `for = "5m"`: how long the condition holds before the alert fires.
    pub for_: Option<LitStr>,
    pub severity: Option<LitStr>,
    pub name: Option<LitStr>,
    pub summary: Option<LitStr>,
    pub description: Option<LitStr>,
}

/// One checked alert: one condition, with the settings it shares with
/// the others of its `alert(...)`.
pub struct CheckedAlert {
    pub condition: Condition,
    pub per_ms: u64,
    pub for_ms: u64,
    pub severity: Level,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// What an alert watches.
#[derive(Clone, Copy)]
pub enum Condition {
    Below(f64),
    Latency { quantile: Quantile, seconds: f64 },
    ErrorRatio(f64),
}

/// `severity = "..."`: one the runtime knows, or a team's own.
pub enum Level {
    Known(Severity),
    Other(String),
}

/// The keys of `alert(...)`; `p50` and the like are read as quantiles.
fn keys(attr: Attr) -> &'static [&'static str] {
    match attr {
        Attr::BusinessMetric => &[
            "below",
            "per",
            "for",
            "severity",
            "name",
            "summary",
            "description",
        ],
        Attr::Timed => &[
            "p50",
            "p75",
            "p90",
            "p95",
            "p99",
            "p999",
            "error_ratio",
            "per",
            "for",
            "severity",
        ],
    }
}

/// `alert(key = value, ...)`; quantile keys are checked later, so that
/// `p100` gets a message about quantiles.
pub fn parse(meta: &ParseNestedMeta<'_>, attr: Attr) -> syn::Result<Alert> {
    let mut alert = Alert {
        key: meta.path.require_ident()?.clone(),
        below: None,
        latency: Vec::new(),
        error_ratio: None,
        per: None,
        for_: None,
        severity: None,
        name: None,
        summary: None,
        description: None,
    };
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(match attr {
            Attr::BusinessMetric => "`alert` needs a threshold, like `alert(below = 10, per = \"5m\")`",
            Attr::Timed => "`alert` needs an objective, like `alert(p99 = \"300ms\")` or `alert(error_ratio = 0.05)`",
        }));
    }
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        let text = key.as_ref().map(ToString::to_string).unwrap_or_default();
        match (key, text.as_str()) {
            (Some(key), text) if attr == Attr::Timed && quantile::is_key(text) => {
                if alert.latency.iter().any(|(seen, _)| *seen == key) {
                    return Err(inner.error(format!("duplicate `{key}` argument")));
                }
                alert.latency.push((key, string(&inner, "\"300ms\"")?));
                Ok(())
            }
            (_, key) if !keys(attr).contains(&key) => Err(inner.error(format!(
                "unknown argument `{}` for `alert`; expected one of {}",
                path_text(&inner.path),
                list(keys(attr))
            ))),
            (_, "below") => {
                let value = number(
                    &ungroup(inner.value()?.parse()?),
                    "`below` must be a number of actions, like `10`",
                )?;
                set(&mut alert.below, value, &inner)
            }
            (_, "error_ratio") => {
                let message = "`error_ratio` must be a number between 0 and 1, like `0.05`";
                let value = number(&ungroup(inner.value()?.parse()?), message)?;
                set(&mut alert.error_ratio, value, &inner)
            }
            (_, "per") => set(&mut alert.per, string(&inner, "\"5m\"")?, &inner),
            (_, "for") => set(&mut alert.for_, string(&inner, "\"5m\"")?, &inner),
            (_, "severity") => set(&mut alert.severity, string(&inner, "\"page\"")?, &inner),
            (_, "name") => set(
                &mut alert.name,
                string(&inner, "\"CheckoutStalled\"")?,
                &inner,
            ),
            (_, "summary") => set(&mut alert.summary, string(&inner, "\"...\"")?, &inner),
            _ => set(&mut alert.description, string(&inner, "\"...\"")?, &inner),
        }
    })?;
    Ok(alert)
}

/// The alerts of `alert(...)`, one per condition; `bounds` are the
/// histogram's, and `native` whether a native histogram is beside it.
pub fn check(
    attr: Attr,
    alert: &Alert,
    bounds: Bounds<'_>,
    native: bool,
    errors: &mut Errors,
) -> Vec<CheckedAlert> {
    let conditions = conditions(attr, alert, bounds.largest(native), errors);
    let mut window = |text: Option<&LitStr>| -> Option<u64> {
        let text = text?;
        let ns = duration_ns(text, errors)?;
        Some(window_ms(text, ns, errors))
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
        .map(|condition| CheckedAlert {
            condition,
            per_ms,
            for_ms,
            severity: alert
                .severity
                .as_ref()
                .map_or(Level::Known(Severity::Warning), |text| level(&text.value())),
            name: text(&alert.name),
            summary: text(&alert.summary),
            description: text(&alert.description),
        })
        .collect()
}

/// The severity written `name`: one the runtime knows, or a team's own.
fn level(name: &str) -> Level {
    [Severity::Page, Severity::Ticket, Severity::Warning]
        .into_iter()
        .find(|known| known.name() == name)
        .map_or_else(|| Level::Other(name.to_owned()), Level::Known)
}

/// What each of `alert`'s objectives or thresholds watches; `largest` is
/// the largest latency the histogram can tell.
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
        let Some((quantile, ns)) = quantile::check(key, errors).zip(duration_ns(threshold, errors))
        else {
            continue;
        };
        let seconds = seconds(ns);
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

impl ToTokens for Condition {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let condition = match *self {
            Condition::Below(below) => quote!(Below(#below)),
            Condition::Latency { quantile, seconds } => {
                let quantile = QuantileTokens(quantile);
                quote!(Latency { quantile: #quantile, seconds: #seconds })
            }
            Condition::ErrorRatio(ratio) => quote!(ErrorRatio(#ratio)),
        };
        tokens.extend(quote!(::bizmetrics::__private_0_1::AlertCondition::#condition));
    }
}

impl ToTokens for Level {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let variant = match self {
            Level::Known(Severity::Page) => quote!(Page),
            Level::Known(Severity::Ticket) => quote!(Ticket),
            Level::Known(Severity::Warning) => quote!(Warning),
            Level::Known(Severity::Other(name)) => quote!(Other(#name)),
            Level::Other(name) => quote!(Other(#name)),
        };
        tokens.extend(quote!(::bizmetrics::__private_0_1::Severity::#variant));
    }
}

impl ToTokens for CheckedAlert {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let CheckedAlert {
            condition,
            per_ms,
            for_ms,
            severity,
            ..
        } = self;
        let name = optional_text(self.name.as_deref());
        let summary = optional_text(self.summary.as_deref());
        let description = optional_text(self.description.as_deref());
        tokens.extend(quote! {
            ::bizmetrics::__private_0_1::Alert {
                condition: #condition,
                per_ms: #per_ms,
                for_ms: #for_ms,
                severity: #severity,
                name: #name,
                summary: #summary,
                description: #description,
            }
        });
    }
}
