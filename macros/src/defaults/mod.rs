//! Defaults declared once: `bizmetrics::defaults!` and `defaults = name`.
//!
//! An attribute macro sees only its own item, so a set of defaults is a
//! `macro_rules!` that hands its arguments back: `#[timed(defaults = db)]`
//! expands to `db! { [timed] [path] [own arguments] item }`, and `db!`
//! puts the attribute back as `#[path(__defaults(..), own arguments)]`,
//! which the attribute then reads with its own arguments over the set's.

pub mod apply;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Token, Visibility};

use crate::args::Args;
use crate::attribute::Attr;

/// One `name = attribute(arguments);` of `defaults!`.
struct Set {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    kind: Ident,
    args: TokenStream,
}

impl Parse for Set {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let name = input.parse()?;
        input.parse::<Token![=]>()?;
        let kind: Ident = input.parse()?;
        let content;
        syn::parenthesized!(content in input);
        let args = content.parse()?;
        input.parse::<Token![;]>()?;
        Ok(Set {
            attrs,
            vis,
            name,
            kind,
            args,
        })
    }
}

/// `bizmetrics::defaults! { .. }`: checks each set as its attribute would,
/// and declares it as a macro that the attribute calls back.
pub fn declare(input: TokenStream) -> syn::Result<TokenStream> {
    let sets = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let mut sets = Vec::new();
            while !input.is_empty() {
                sets.push(input.parse::<Set>()?);
            }
            Ok(sets)
        },
        input,
    )?;
    // Every set that checks out is declared, so that one mistake does not
    // turn each use of the others into "cannot find macro".
    let mut out = TokenStream::new();
    for set in sets {
        match declare_set(set) {
            Ok(tokens) => out.extend(tokens),
            Err(error) => out.extend(error.into_compile_error()),
        }
    }
    Ok(out)
}

fn declare_set(set: Set) -> syn::Result<TokenStream> {
    let Set {
        attrs,
        vis,
        name,
        kind,
        args,
    } = set;
    let Some(attr) = Attr::from_name(&kind.to_string()) else {
        return Err(syn::Error::new(
            kind.span(),
            "defaults are for `business_metric(...)` or `timed(...)`",
        ));
    };
    if let Visibility::Public(public) = &vis {
        return Err(syn::Error::new(
            public.span,
            "defaults are for one crate: write `pub(crate)`, or nothing for this module",
        ));
    }
    let parsed = Args::parse(attr, args.clone())?;
    if let Some(skip) = &parsed.skip {
        return Err(syn::Error::new(
            skip.span(),
            "`skip` leaves one method out; it cannot be a default",
        ));
    }
    if let Some(nested) = &parsed.defaults {
        return Err(syn::Error::new_spanned(
            nested,
            "a set of defaults cannot take another's; write its arguments here",
        ));
    }
    // Declared even when a check fails, so that its uses do not add
    // "cannot find macro" to the error that matters.
    let checked = crate::validate::check_set(&parsed)
        .err()
        .map(syn::Error::into_compile_error);
    let hidden = format_ident!("__bizmetrics_defaults_{}", name);
    Ok(quote! {
        #[doc(hidden)]
        macro_rules! #hidden {
            ([$used:ident] [$($path:tt)*] [$($own:tt)*] $($item:tt)*) => {
                #[$($path)*(__defaults($used #kind #name; #args), $($own)*)]
                $($item)*
            };
        }
        #(#attrs)*
        #[allow(unused_imports)]
        #vis use #hidden as #name;
        #checked
    })
}
