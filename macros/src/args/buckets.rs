//! `buckets = [...]` on `#[timed]`: the histogram's bucket bounds in
//! seconds, or the shared default ones.

use bizmetrics_facts::DEFAULT_BUCKETS;
use bizmetrics_facts::layout::histogram_stride;
use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;
use syn::Expr;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use super::value::{Number, number, ungroup, why_literal};
use crate::errors::Errors;

/// The argument as written: the bracket's span and each bound.
#[derive(Clone)]
pub struct Buckets {
    pub span: Span,
    pub bounds: Vec<Number>,
}

/// Checked bounds in seconds; `None` for the defaults.
#[derive(Clone, Copy)]
pub struct Bounds<'a>(pub Option<&'a [f64]>);

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Buckets> {
    let value = ungroup(meta.value()?.parse()?);
    let Expr::Array(array) = value else {
        return Err(syn::Error::new(
            value.span(),
            format!(
                "`buckets` must be a list of number literals in seconds, like `[0.1, 0.5, 1.0]`{}",
                why_literal(&value)
            ),
        ));
    };
    let mut bounds = Vec::new();
    let mut errors = Errors::default();
    for bound in &array.elems {
        match number(
            bound,
            "a bucket bound must be a number literal in seconds, like `0.25`",
        ) {
            Ok(number) => bounds.push(number),
            Err(error) => errors.push_error(error),
        }
    }
    errors.finish()?;
    Ok(Buckets {
        span: array.bracket_token.span.join(),
        bounds,
    })
}

/// The bounds in seconds, with their errors pushed.
pub fn check(buckets: Option<&Buckets>, errors: &mut Errors) -> Option<Vec<f64>> {
    let buckets = buckets?;
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
    Some(buckets.bounds.iter().map(|b| b.value).collect())
}

impl<'a> Bounds<'a> {
    /// The bounds in seconds, the defaults included.
    pub fn seconds(self) -> &'a [f64] {
        self.0.unwrap_or(&DEFAULT_BUCKETS)
    }

    /// The largest quantile the histogram can tell: its top bound, or with
    /// a native histogram beside it, the top of that one's range.
    pub fn largest(self, native: bool) -> Option<f64> {
        if native {
            Some(bizmetrics_facts::native::LARGEST)
        } else {
            self.seconds().last().copied()
        }
    }

    /// Cells per series and outcome of the classic histogram.
    pub fn stride(self) -> usize {
        histogram_stride(self.0.map_or(DEFAULT_BUCKETS.len(), <[f64]>::len))
    }

    /// `(buckets, bounds_ns)`: the bounds in seconds, for the exposition,
    /// and in nanoseconds, for the hot path, as `&'static` slices.
    pub fn tokens(self) -> (TokenStream, TokenStream) {
        match self.0 {
            Some(bounds) => {
                let seconds = bounds.iter().map(|b| Literal::f64_unsuffixed(*b));
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let ns = bounds
                    .iter()
                    .map(|b| Literal::u64_unsuffixed((b * 1e9 + 0.5) as u64));
                (quote!(&[#(#seconds),*]), quote!(&[#(#ns),*]))
            }
            None => (
                quote!(&::bizmetrics::__private_0_1::DEFAULT_BUCKETS),
                quote!(&::bizmetrics::__private_0_1::DEFAULT_BOUNDS_NS),
            ),
        }
    }
}
