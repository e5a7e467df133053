//! Defaults declared once: `bizmetrics::defaults!` and `defaults = name`.
//!
//! An attribute macro sees only its own item, so a set of defaults is a
//! `macro_rules!` that hands its arguments back: `#[timed(defaults = db)]`
//! expands to `db! { [timed] [path] [own arguments] item }`, and `db!`
//! puts the attribute back as `#[path(__defaults(..), own arguments)]`,
//! which the attribute then reads with its own arguments over the set's.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Token, Visibility};

use crate::attr::{Args, Attr};

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
    let attr = match kind.to_string().as_str() {
        "business_metric" => Attr::BusinessMetric,
        "timed" => Attr::Timed,
        _ => {
            return Err(syn::Error::new(
                kind.span(),
                "defaults are for `business_metric(...)` or `timed(...)`",
            ));
        }
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
    let checked = crate::valid::check_set(&parsed)
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

/// The call that applies `set` to an attribute of `kind` written `path`,
/// with `own` arguments (its `defaults = ..` left out), on `item`.
pub fn apply(
    set: &syn::Path,
    kind: Attr,
    path: &TokenStream,
    own: &TokenStream,
    item: &TokenStream,
) -> TokenStream {
    // Spanned on the set's name as written, where a mismatch is reported.
    let span = set
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    let kind = Ident::new(kind.name(), span);
    quote!(#set! { [#kind] [#path] [#own] #item })
}

/// The arguments without `defaults = path`, split at top-level commas.
pub fn without_defaults(args: TokenStream) -> TokenStream {
    let mut kept = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let flush = |current: &mut Vec<TokenTree>, kept: &mut Vec<Vec<TokenTree>>| {
        let is_defaults =
            matches!(current.first(), Some(TokenTree::Ident(ident)) if ident == "defaults");
        if !current.is_empty() && !is_defaults {
            kept.push(std::mem::take(current));
        }
        current.clear();
    };
    for token in args {
        if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',') {
            flush(&mut current, &mut kept);
        } else {
            current.push(token);
        }
    }
    flush(&mut current, &mut kept);
    let mut out = TokenStream::new();
    for (index, argument) in kept.into_iter().enumerate() {
        if index > 0 {
            out.extend(quote!(,));
        }
        out.extend(argument);
    }
    out
}

/// `#[path(args)]` as tokens.
pub fn attribute(path: &TokenStream, args: TokenStream) -> TokenStream {
    let group = Group::new(Delimiter::Parenthesis, args);
    quote!(#[#path #group])
}

/// Attribute arguments with a set's `__defaults(..)` located where they
/// were written, in `defaults!`, but naming things as if written at
/// `anchor`, a token of the function's own: a set's `labels(profile)` means
/// the function's parameter, which the `macro_rules!` that carried the set
/// would otherwise keep apart by hygiene.
pub fn resolved_at(args: TokenStream, anchor: Span) -> TokenStream {
    let mut tokens: Vec<TokenTree> = args.into_iter().collect();
    for index in 1..tokens.len() {
        let after_key =
            matches!(&tokens[index - 1], TokenTree::Ident(ident) if ident == "__defaults");
        if let (true, TokenTree::Group(group)) = (after_key, &tokens[index]) {
            let mut respanned = Group::new(group.delimiter(), respan(group.stream(), anchor));
            respanned.set_span(group.span());
            tokens[index] = TokenTree::Group(respanned);
        }
    }
    tokens.into_iter().collect()
}

fn respan(tokens: TokenStream, anchor: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner = Group::new(group.delimiter(), respan(group.stream(), anchor));
                inner.set_span(group.span().resolved_at(anchor));
                return TokenTree::Group(inner);
            }
            token.set_span(token.span().resolved_at(anchor));
            token
        })
        .collect()
}
