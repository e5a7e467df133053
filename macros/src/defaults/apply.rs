//! A set of defaults applied: an attribute that names one, or whose
//! sibling does, expands to a call of the set's macro, which hands the
//! attribute back with the set's arguments under `__defaults(..)`.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::Attribute;

use crate::args::Args;
use crate::attribute::Attr;

/// When this attribute, or another of ours on the item, still names a set
/// of defaults, the call that applies it: the attributes expand once every
/// set is applied, so that they can fuse. The attribute's own arguments
/// go back as written; once the set is applied, its `defaults = ..` is
/// read as done.
pub fn pending(
    attr: Attr,
    args: &TokenStream,
    item: &TokenStream,
) -> syn::Result<Option<TokenStream>> {
    let own = Args::parse(attr, args.clone())?;
    let name = Ident::new(attr.name(), Span::call_site());
    let own_path = quote!(::bizmetrics::#name);
    if let Some(set) = &own.defaults {
        return Ok(Some(apply(set, attr, &own_path, args, item)));
    }
    let (attrs, rest) = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream<'_>| {
            Ok((
                input.call(Attribute::parse_outer)?,
                input.parse::<TokenStream>()?,
            ))
        },
        item.clone(),
    )?;
    for (index, attribute) in attrs.iter().enumerate() {
        let Some(kind) = Attr::of(attribute) else {
            continue;
        };
        let syn::Meta::List(list) = &attribute.meta else {
            continue;
        };
        let Some(set) = Args::parse(kind, list.tokens.clone())?.defaults else {
            continue;
        };
        let others = attrs
            .iter()
            .enumerate()
            .filter(|&(other, _)| other != index)
            .map(|(_, attribute)| attribute);
        let me = self::attribute(&own_path, args.clone());
        let item = quote!(#me #(#others)* #rest);
        let path = attribute.path().to_token_stream();
        return Ok(Some(apply(&set, kind, &path, &list.tokens, &item)));
    }
    Ok(None)
}

/// The call that applies `set` to an attribute of `kind` written `path`,
/// with `own` arguments (its `defaults = ..` left out), on `item`.
fn apply(
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

/// `#[path(args)]` as tokens.
fn attribute(path: &TokenStream, args: TokenStream) -> TokenStream {
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
