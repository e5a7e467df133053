//! `count = "all"` or `count = "ok"`: when `#[business_metric]` counts a
//! call, read as the shared `Count` and emitted as the vocabulary's.

use bizmetrics_facts::Count;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use super::Args;
use crate::errors::Errors;

/// When to count, and where `count` was written, for the error when the
/// function cannot fail.
pub fn check(args: &Args, errors: &mut Errors) -> (Count, Span) {
    let Some(text) = &args.count else {
        return (Count::OnStart, Span::call_site());
    };
    let count = Count::from_name(&text.value()).unwrap_or_else(|| {
        errors.push(
            text.span(),
            "`count` must be \"all\" (every call, the default) or \"ok\" (calls that returned `Ok`)",
        );
        Count::OnStart
    });
    (count, text.span())
}

/// Emits the vocabulary's `Count`.
pub struct CountTokens(pub Count);

impl ToTokens for CountTokens {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let variant = match self.0 {
            Count::Never => quote!(Never),
            Count::OnStart => quote!(OnStart),
            Count::OnOk => quote!(OnOk),
        };
        tokens.extend(quote!(::bizmetrics::__private_0_1::Count::#variant));
    }
}
