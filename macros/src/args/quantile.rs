//! A quantile key such as `p99`, in `alert(...)` and `slo(latency(...))`:
//! read as the shared `Quantile`, emitted as the vocabulary's.

use bizmetrics_facts::Quantile;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Ident;

use crate::errors::Errors;

/// Whether `key` is written like a quantile, `p` and digits, so that
/// `p100` gets a message about quantiles, not about unknown arguments.
pub fn is_key(key: &str) -> bool {
    key.strip_prefix('p')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The quantile `key` names, or its error pushed.
pub fn check(key: &Ident, errors: &mut Errors) -> Option<Quantile> {
    let quantile = Quantile::from_name(&key.to_string());
    if quantile.is_none() {
        let known: Vec<&str> = Quantile::ALL.iter().map(|q| q.name()).collect();
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

/// Emits the vocabulary's `Quantile`.
pub struct QuantileTokens(pub Quantile);

impl ToTokens for QuantileTokens {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let variant = match self.0 {
            Quantile::P50 => quote!(P50),
            Quantile::P75 => quote!(P75),
            Quantile::P90 => quote!(P90),
            Quantile::P95 => quote!(P95),
            Quantile::P99 => quote!(P99),
            Quantile::P999 => quote!(P999),
        };
        tokens.extend(quote!(::bizmetrics::__private_0_1::Quantile::#variant));
    }
}
