//! `slo(availability = "99.9%", window = "30d", latency(p99 = "300ms"))`
//! on `#[timed]`: service level objectives, read once into checked values
//! and emitted as the vocabulary's `Objective`s. Their burn-rate windows
//! and severities are the runtime's, from the SRE workbook.

use bizmetrics_facts::Quantile;
use bizmetrics_facts::slo::{DEFAULT_WINDOW_MS, SHORTEST_WINDOW_MS};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr};

use super::buckets::Bounds;
use super::quantile::{self, QuantileTokens};
use super::value::{duration_ns, path_text, seconds, set, string, window_ms};
use crate::errors::Errors;

/// The argument as written; the values are checked later, all at once.
#[derive(Clone)]
pub struct Slo {
    /// The `slo` key, for errors about the whole.
    pub key: Ident,
    /// `availability = "99.9%"`: the share of calls that must not fail.
    pub availability: Option<LitStr>,
    /// `window = "30d"`: the period the error budget covers.
    pub window: Option<LitStr>,
    /// `latency(p99 = "300ms")`: the quantile and the time its share of
    /// calls must finish within.
    pub latency: Option<(Ident, LitStr)>,
}

/// One checked objective.
pub struct Objective {
    pub target: Target,
    pub window_ms: u64,
}

/// What an objective promises.
#[derive(Clone, Copy)]
pub enum Target {
    /// The share of calls that must not fail, as a fraction: 0.999.
    Availability(f64),
    /// The quantile of calls that must finish within `seconds`.
    Latency { quantile: Quantile, seconds: f64 },
}

const NEEDS: &str = "`slo` needs an objective, like `slo(availability = \"99.9%\")` or `slo(latency(p99 = \"300ms\"))`";

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Slo> {
    let mut slo = Slo {
        key: meta.path.require_ident()?.clone(),
        availability: None,
        window: None,
        latency: None,
    };
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(NEEDS));
    }
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        match key.as_ref().map(ToString::to_string).as_deref() {
            Some("availability") => set(
                &mut slo.availability,
                string(&inner, "\"99.9%\"")?,
                &inner,
            ),
            Some("window") => set(&mut slo.window, string(&inner, "\"30d\"")?, &inner),
            Some("latency") => {
                let objective = latency(&inner)?;
                set(&mut slo.latency, objective, &inner)
            }
            _ => Err(inner.error(format!(
                "unknown argument `{}` for `slo`; expected one of `availability`, `window`, `latency`",
                path_text(&inner.path)
            ))),
        }
    })?;
    if slo.availability.is_none() && slo.latency.is_none() {
        return Err(syn::Error::new(slo.key.span(), NEEDS));
    }
    Ok(slo)
}

/// `latency(p99 = "300ms")`: one quantile and its time.
fn latency(meta: &ParseNestedMeta<'_>) -> syn::Result<(Ident, LitStr)> {
    const FORM: &str = "`latency` takes one quantile and a time, like `latency(p99 = \"300ms\")`: 99% of calls finish within 300ms";
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(FORM));
    }
    let mut objective = None;
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        match key {
            Some(key) if quantile::is_key(&key.to_string()) && objective.is_none() => {
                objective = Some((key, string(&inner, "\"300ms\"")?));
                Ok(())
            }
            _ => Err(inner.error(FORM)),
        }
    })?;
    objective.ok_or_else(|| meta.error(FORM))
}

/// The objectives of `slo(...)`; `bounds` are the histogram's, and
/// `native` whether a native histogram is beside it.
pub fn check(slo: &Slo, bounds: Bounds<'_>, native: bool, errors: &mut Errors) -> Vec<Objective> {
    let window_ms = slo.window.as_ref().map_or(Some(DEFAULT_WINDOW_MS), |text| {
        let ns = duration_ns(text, errors)?;
        if ns / 1_000_000 < SHORTEST_WINDOW_MS {
            errors.push(
                text.span(),
                format!(
                    "an objective's `window` must be at least \"{}\": the ticket alert looks back 3 days, and \"{}\" leaves it no room; the usual window is \"{}\"",
                    bizmetrics_facts::duration::format_ms(SHORTEST_WINDOW_MS),
                    text.value(),
                    bizmetrics_facts::duration::format_ms(DEFAULT_WINDOW_MS),
                ),
            );
            return Some(ns / 1_000_000);
        }
        Some(window_ms(text, ns, errors))
    });
    let availability = slo
        .availability
        .as_ref()
        .and_then(|text| percent(text, errors))
        .map(Target::Availability);
    let latency = slo.latency.as_ref().and_then(|(key, threshold)| {
        let quantile = quantile::check(key, errors);
        let ns = duration_ns(threshold, errors)?;
        let bounds = bounds.seconds();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let on_a_bound = bounds.iter().any(|b| (b * 1e9).round() as u64 == ns);
        let seconds = seconds(ns);
        // A native histogram answers for any threshold.
        if !on_a_bound && !native {
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
        Some(Target::Latency {
            quantile: quantile?,
            seconds,
        })
    });
    let Some(window_ms) = window_ms else {
        return Vec::new();
    };
    availability
        .into_iter()
        .chain(latency)
        .map(|target| Objective { target, window_ms })
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

impl ToTokens for Objective {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let target = match self.target {
            Target::Availability(objective) => quote!(Availability(#objective)),
            Target::Latency { quantile, seconds } => {
                let quantile = QuantileTokens(quantile);
                quote!(Latency { quantile: #quantile, seconds: #seconds })
            }
        };
        let window_ms = self.window_ms;
        tokens.extend(quote! {
            ::bizmetrics::__private_0_1::Objective {
                target: ::bizmetrics::__private_0_1::ObjectiveTarget::#target,
                window_ms: #window_ms,
            }
        });
    }
}
