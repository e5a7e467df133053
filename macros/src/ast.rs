//! The annotated function, as written, keeping syn nodes for spans.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{braced, Attribute, Block, FnArg, Ident, Pat, Signature, Stmt, Token, Type, Visibility};

/// A free function, method or trait method, with or without a body.
pub struct Function {
    /// Outer attributes, including the other attributes stacked with ours.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    /// `None` for a trait method declared without a body.
    pub body: Option<Body>,
}

pub struct Body {
    /// `#![...]` attributes at the top of the body.
    pub inner_attrs: Vec<Attribute>,
    pub stmts: Vec<Stmt>,
}

/// The input to an attribute macro, which rustc guarantees is an item.
pub enum Item {
    Function(Box<Function>),
    /// Not a function; the span points at its keyword.
    Other(Span),
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if let Ok(function) = input.fork().parse::<Function>() {
            input.parse::<TokenStream>()?;
            return Ok(Item::Function(Box::new(function)));
        }
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        let keyword = input.parse::<TokenTree>()?;
        input.parse::<TokenStream>()?;
        Ok(Item::Other(keyword.span()))
    }
}

impl Function {
    /// The names bound by the parameters, including inside patterns such
    /// as `Query(q): Query<Search>`.
    pub fn param_names(&self) -> Vec<Ident> {
        fn walk(pat: &Pat, names: &mut Vec<Ident>) {
            match pat {
                Pat::Ident(pat) => names.push(pat.ident.clone()),
                Pat::TupleStruct(pat) => pat.elems.iter().for_each(|p| walk(p, names)),
                Pat::Tuple(pat) => pat.elems.iter().for_each(|p| walk(p, names)),
                Pat::Struct(pat) => pat.fields.iter().for_each(|f| walk(&f.pat, names)),
                Pat::Reference(pat) => walk(&pat.pat, names),
                Pat::Type(pat) => walk(&pat.pat, names),
                _ => {}
            }
        }
        let mut names = Vec::new();
        for input in &self.sig.inputs {
            match input {
                FnArg::Receiver(receiver) => {
                    names.push(Ident::new("self", receiver.self_token.span));
                }
                FnArg::Typed(typed) => walk(&typed.pat, &mut names),
            }
        }
        names
    }

    /// Whether a parameter binds `ident`.
    pub fn has_param(&self, ident: &Ident) -> bool {
        self.param_names().iter().any(|name| name == ident)
    }

    /// The declared type of the parameter bound to `ident` by a plain
    /// `ident: Type` pattern, with references stripped.
    pub fn param_type(&self, ident: &Ident) -> Option<&Type> {
        self.sig.inputs.iter().find_map(|input| {
            let FnArg::Typed(typed) = input else {
                return None;
            };
            let Pat::Ident(pat) = &*typed.pat else {
                return None;
            };
            if pat.ident != *ident {
                return None;
            }
            let mut ty = &*typed.ty;
            while let Type::Reference(reference) = ty {
                ty = &reference.elem;
            }
            Some(ty)
        })
    }
}

impl Parse for Function {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        // Specialization's `default fn` carries no meaning for us.
        if input.peek(Token![default]) && !input.peek2(Token![!]) {
            input.parse::<Token![default]>()?;
        }
        let sig = input.parse()?;
        let body = if input.parse::<Option<Token![;]>>()?.is_some() {
            None
        } else {
            let content;
            braced!(content in input);
            Some(Body {
                inner_attrs: content.call(Attribute::parse_inner)?,
                stmts: content.call(Block::parse_within)?,
            })
        };
        Ok(Function {
            attrs,
            vis,
            sig,
            body,
        })
    }
}
