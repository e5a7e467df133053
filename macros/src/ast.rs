//! The annotated item, as written, keeping syn nodes for spans.
//!
//! Function bodies are kept as raw tokens: they are emitted inside a block
//! of their own, so nothing in them needs parsing. That keeps expansion
//! fast, leaves a body's own items, `use`s and `macro_rules!` in the scope
//! and order the user wrote, and lets rustc report a syntax error in a body
//! itself, as tracing-attributes' speculative parse does.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, FnArg, Generics, Ident, Pat, Path, Signature, Token, Type, Visibility, braced,
};

/// A free function, method or trait method, with or without a body.
pub struct Function {
    /// Outer attributes, including the other attributes stacked with ours.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    /// `default` of specialization, kept as written.
    pub defaultness: Option<Token![default]>,
    pub sig: Signature,
    /// `None` for a declaration without a body.
    pub body: Option<Body>,
}

pub struct Body {
    /// The braces, whose span the expanded body keeps: an item whose span
    /// comes from the macro counts as generated, and rustc then lints
    /// nothing on it, so `#[expect(dead_code)]` would go unfulfilled.
    pub brace: syn::token::Brace,
    /// `#![...]` attributes at the top of the body.
    pub inner_attrs: Vec<Attribute>,
    /// Everything after them, unparsed.
    pub tokens: TokenStream,
}

/// An `impl` block: its header as written, and its items.
pub struct Impl {
    pub attrs: Vec<Attribute>,
    /// As [`Body::brace`].
    pub brace: syn::token::Brace,
    /// From `default`/`unsafe`/`impl` up to the opening brace.
    pub header: TokenStream,
    /// The implementing type's name, for the `function` label.
    pub self_name: String,
    /// A token of the block's own, where names in applied defaults resolve.
    pub anchor: Span,
    pub inner_attrs: Vec<Attribute>,
    pub items: Vec<ImplItem>,
}

pub enum ImplItem {
    Method(Box<Function>),
    /// A constant, type or macro, kept as written.
    Other(TokenStream),
}

/// The input to an attribute macro, which rustc guarantees is an item.
pub enum Item {
    Function(Box<Function>),
    Impl(Impl),
    /// Neither; the span points at its keyword.
    Other(Span),
    /// A function or `impl` whose header does not parse: rustc reports it
    /// better than we can.
    Unparsed,
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let ahead = input.fork();
        ahead.call(Attribute::parse_outer)?;
        ahead.parse::<Visibility>()?;
        let keyword = skip_qualifiers(&ahead);
        let item = if ahead.peek(Token![fn]) {
            input
                .parse()
                .map_or(Item::Unparsed, |f| Item::Function(Box::new(f)))
        } else if ahead.peek(Token![impl]) {
            input.parse().map_or(Item::Unparsed, Item::Impl)
        } else {
            Item::Other(keyword)
        };
        input.parse::<TokenStream>()?;
        Ok(item)
    }
}

/// Steps over `default`, `const`, `async`, `unsafe`, `safe` and `extern
/// "abi"`, returning the span of the first token.
fn skip_qualifiers(input: ParseStream<'_>) -> Span {
    let first = input.span();
    while !input.is_empty() && !input.peek(Token![fn]) && !input.peek(Token![impl]) {
        let qualifier = input.peek(Token![default])
            || input.peek(Token![const])
            || input.peek(Token![async])
            || input.peek(Token![unsafe])
            || input.peek(Token![extern])
            || input.peek(syn::LitStr)
            || input.peek(syn::Ident) && input.fork().parse::<Ident>().is_ok_and(|i| i == "safe");
        if !qualifier || input.parse::<TokenTree>().is_err() {
            break;
        }
    }
    first
}

impl Parse for Function {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let defaultness = if input.peek(Token![default]) && !input.peek2(Token![!]) {
            Some(input.parse()?)
        } else {
            None
        };
        let sig = input.parse()?;
        let body = if input.parse::<Option<Token![;]>>()?.is_some() {
            None
        } else {
            let content;
            let brace = braced!(content in input);
            Some(Body {
                brace,
                inner_attrs: content.call(Attribute::parse_inner)?,
                tokens: content.parse()?,
            })
        };
        Ok(Function {
            attrs,
            vis,
            defaultness,
            sig,
            body,
        })
    }
}

impl Parse for Impl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let mut header = TokenStream::new();
        while !input.peek(Token![impl]) {
            header.extend([input.parse::<TokenTree>()?]);
        }
        header.extend([input.parse::<TokenTree>()?]);
        let generics: Generics = input.parse()?;
        // `impl Trait for Type` or `impl Type`: the type is what follows `for`.
        let first: Type = input.parse()?;
        let (trait_part, self_ty) = if let Some(for_token) = input.parse::<Option<Token![for]>>()? {
            (Some((first, for_token)), input.parse::<Type>()?)
        } else {
            (None, first)
        };
        let where_clause: Option<syn::WhereClause> = input.parse()?;
        // `<Money as Display>` for a trait's impl, so that `Display::fmt` and
        // `Debug::fmt` of one type keep series of their own.
        let self_name = match &trait_part {
            Some((Type::Path(trait_path), _)) => {
                format!(
                    "<{} as {}>",
                    type_name(&self_ty),
                    last_segment(&trait_path.path)
                )
            }
            _ => type_name(&self_ty),
        };
        let (lt, params, gt) = (
            generics.lt_token,
            generics.params.clone(),
            generics.gt_token,
        );
        header.extend(quote::quote!(#lt #params #gt));
        if let Some((trait_ty, for_token)) = trait_part {
            header.extend(quote::quote!(#trait_ty #for_token));
        }
        header.extend(quote::quote!(#self_ty #where_clause));
        let content;
        let brace = braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !content.is_empty() {
            let ahead = content.fork();
            ahead.call(Attribute::parse_outer)?;
            ahead.parse::<Visibility>()?;
            skip_qualifiers(&ahead);
            if ahead.peek(Token![fn]) {
                items.push(ImplItem::Method(Box::new(content.parse()?)));
            } else {
                let item: syn::ImplItem = content.parse()?;
                items.push(ImplItem::Other(quote::ToTokens::into_token_stream(item)));
            }
        }
        Ok(Impl {
            attrs,
            brace,
            header,
            anchor: quote::ToTokens::to_token_stream(&self_ty)
                .into_iter()
                .next()
                .map_or_else(Span::call_site, |token| token.span()),
            self_name,
            inner_attrs,
            items,
        })
    }
}

/// `T` in `Query<T>`: the one type argument of a path type.
fn only_type_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next(), types.next()) {
        (Some(ty), None) => Some(ty),
        _ => None,
    }
}

/// `Cart` for `Cart`, `shop::Cart<T>` or `&'a Cart`.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => last_segment(&path.path),
        Type::Reference(reference) => type_name(&reference.elem),
        Type::Group(group) => type_name(&group.elem),
        Type::Paren(paren) => type_name(&paren.elem),
        Type::TraitObject(object) => {
            let bounds = object.bounds.iter().filter_map(|bound| match bound {
                syn::TypeParamBound::Trait(bound) => Some(last_segment(&bound.path)),
                _ => None,
            });
            format!("dyn {}", bounds.collect::<Vec<_>>().join(" + "))
        }
        other => quote::ToTokens::to_token_stream(other).to_string(),
    }
}

fn last_segment(path: &Path) -> String {
    path.segments
        .last()
        .map(|segment| syn::ext::IdentExt::unraw(&segment.ident).to_string())
        .unwrap_or_default()
}

/// Whether a return type is `!`, through the invisible group a
/// `macro_rules!` puts around a `$ty` and any parentheses.
pub fn is_never(ty: &Type) -> bool {
    match ty {
        Type::Never(_) => true,
        Type::Group(group) => is_never(&group.elem),
        Type::Paren(paren) => is_never(&paren.elem),
        _ => false,
    }
}

/// The names a pattern binds, as in `Query(q)` or `Point { x, .. }`.
pub fn pattern_bindings(pat: &Pat, names: &mut Vec<Ident>) {
    match pat {
        Pat::Ident(pat) => names.push(pat.ident.clone()),
        Pat::TupleStruct(pat) => pat.elems.iter().for_each(|p| pattern_bindings(p, names)),
        Pat::Tuple(pat) => pat.elems.iter().for_each(|p| pattern_bindings(p, names)),
        Pat::Struct(pat) => pat
            .fields
            .iter()
            .for_each(|f| pattern_bindings(&f.pat, names)),
        Pat::Reference(pat) => pattern_bindings(&pat.pat, names),
        Pat::Type(pat) => pattern_bindings(&pat.pat, names),
        _ => {}
    }
}

impl Function {
    /// The names bound by the parameters, including inside patterns such
    /// as `Query(q): Query<Search>`.
    pub fn param_names(&self) -> Vec<Ident> {
        let mut names = Vec::new();
        for input in &self.sig.inputs {
            match input {
                FnArg::Receiver(receiver) => {
                    names.push(Ident::new("self", receiver.self_token.span));
                }
                FnArg::Typed(typed) => pattern_bindings(&typed.pat, &mut names),
            }
        }
        names
    }

    /// Whether a parameter binds `ident`.
    pub fn has_param(&self, ident: &Ident) -> bool {
        self.param_names().iter().any(|name| name == ident)
    }

    /// The declared type of the parameter bound to `ident`, with references
    /// stripped: by a plain `ident: Type`, or inside a one-field extractor
    /// such as `Query(ident): Query<Type>`.
    pub fn param_type(&self, ident: &Ident) -> Option<&Type> {
        self.sig.inputs.iter().find_map(|input| {
            let FnArg::Typed(typed) = input else {
                return None;
            };
            let ty = match &*typed.pat {
                Pat::Ident(pat) if pat.ident == *ident => Some(&*typed.ty),
                Pat::TupleStruct(pat) => match pat.elems.iter().collect::<Vec<_>>().as_slice() {
                    [Pat::Ident(inner)] if inner.ident == *ident => only_type_argument(&typed.ty),
                    _ => None,
                },
                _ => None,
            };
            let mut ty = ty?;
            while let Type::Reference(reference) = ty {
                ty = &reference.elem;
            }
            Some(ty)
        })
    }

    /// Whether it takes `self` in any form.
    pub fn has_receiver(&self) -> bool {
        matches!(self.sig.inputs.first(), Some(FnArg::Receiver(_)))
    }
}
