//! `help = "..."`: a metric's help text, or the default one, which the
//! runtime tells apart so that another call site's given text wins.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::LitStr;

use super::Args;
use crate::errors::Errors;

/// `#[business_metric]`'s counter.
pub const COUNTER: &str = "Business actions performed, by action type and endpoint.";

/// `#[timed]`'s histogram.
pub const HISTOGRAM: &str =
    "Wall time of calls to functions annotated with #[timed], by function, module and outcome.";

pub fn check(args: &Args, errors: &mut Errors) {
    if let Some(help) = args.help.as_ref().filter(|h| h.value().trim().is_empty()) {
        errors.push(
            help.span(),
            "`help` must not be empty; leave it out to use the default",
        );
    }
}

/// A metric's help text; emits the vocabulary's `Help`.
pub struct Help<'a> {
    pub given: Option<&'a LitStr>,
    pub default: &'static str,
}

impl ToTokens for Help<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self.given {
            Some(help) => quote!(::bizmetrics::__private_0_1::Help::Explicit(#help)),
            None => {
                let default = self.default;
                quote!(::bizmetrics::__private_0_1::Help::Default(#default))
            }
        });
    }
}
