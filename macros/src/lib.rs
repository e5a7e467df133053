//! The attribute macros of [bizmetrics](https://docs.rs/bizmetrics).
//!
//! Depend on `bizmetrics`, which re-exports these; the generated code
//! names the runtime through `::bizmetrics::__private`.

mod ast;
mod attr;
mod derive;
mod expand;
mod valid;

use proc_macro::TokenStream;

use crate::ast::Item;
use crate::attr::{Args, Attr};

/// Counts each call in a counter, `user_actions_total` by default.
///
/// See the `bizmetrics` crate docs for the arguments.
#[proc_macro_attribute]
pub fn business_metric(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Attr::BusinessMetric, args, item)
}

/// Records each call's wall time in a histogram, by outcome.
///
/// See the `bizmetrics` crate docs for the arguments.
#[proc_macro_attribute]
pub fn timed(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Attr::Timed, args, item)
}

/// Implements `bizmetrics::LabelValue` for a field-less enum.
///
/// Each variant is a label value, named in `snake_case` unless
/// `#[label(rename = "...")]` says otherwise. See the `bizmetrics` docs.
#[proc_macro_derive(LabelValue, attributes(label))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::label_value(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Parse, validate, expand. On any error the item is emitted unchanged with
/// the errors appended, so follow-on errors and IDEs stay sane.
fn entry(attr: Attr, args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let expanded = syn::parse2::<Item>(item.clone()).and_then(|parsed| {
        let args = Args::parse(attr, args.into())?;
        match parsed {
            Item::Function(function) => {
                valid::check(&args, &function)?;
                if cfg!(feature = "noop") {
                    return Ok(item.clone());
                }
                Ok(expand::expand(&args, &function))
            }
            Item::Other(span) => Err(syn::Error::new(
                span,
                format!("`{}` can only be used on functions", attr.display()),
            )),
        }
    });
    match expanded {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let mut tokens = item;
            tokens.extend(error.into_compile_error());
            tokens.into()
        }
    }
}
