//! The annotated function, as written, keeping syn nodes for spans.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{braced, Attribute, Block, Signature, Stmt, Token, Visibility};

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
