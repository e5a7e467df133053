//! `labels(...)`: labels fixed at compile time, chosen per call from a
//! bounded type, or taken whole from a parameter by its binding (a label
//! group's fields, or one value named after the binding); their syntax
//! here, their checks in `check`, their tokens in `emit`.

pub mod check;
pub mod emit;

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Expr, ExprLit, Ident, Lit, LitStr, Token, Type};

use super::value::ungroup;

/// One entry of `labels(...)`.
#[derive(Clone)]
pub struct Label {
    pub key: Ident,
    pub value: LabelSource,
}

/// Where a label's value comes from.
#[derive(Clone)]
pub enum LabelSource {
    /// `key = "literal"`: fixed at compile time.
    Fixed(LitStr),
    /// `key = expr` or `key: Type = expr`: chosen per call from a bounded
    /// type, which must be known for the series to exist at startup.
    /// Without `: Type`, `expr` must be a parameter with a declared type.
    Call {
        ty: Option<Box<Type>>,
        expr: Box<Expr>,
    },
    /// `name` or `name: Type`: the parameter (or extractor binding) `name`
    /// taken whole: every field of a label group, or one bounded value as
    /// the label `name`. Which of the two is the type's to say, through
    /// `LabelBinding`, since the attribute cannot see types.
    Binding { ty: Option<Box<Type>> },
}

/// The checked labels of one attribute's metrics.
pub struct Labels {
    /// `(name, value)`, fixed at compile time.
    pub fixed: Vec<(String, LitStr)>,
    /// Labels chosen per call, in the order written.
    pub dimensions: Vec<Dimension>,
}

/// A label chosen per call, or a binding's labels.
pub struct Dimension {
    /// The label's name, or the binding it comes from.
    pub name: String,
    pub ty: Type,
    pub value: Expr,
    /// Set when the parameter is taken whole by its binding
    /// (`LabelBinding`), rather than as one `LabelValue` under the name
    /// written before it.
    pub binding: Option<Binding>,
}

/// `labels(name)`: where `name` was written, and why it cannot be a label
/// name, should the type turn out to be a single value. A group's fields
/// name their own labels, so only the type can tell whether it matters.
pub struct Binding {
    pub span: Span,
    pub unfit_name: Option<String>,
}

impl Parse for Label {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.call(Ident::parse_any)?;
        let ty = match input.parse::<Option<Token![:]>>()? {
            Some(_) => Some(Box::new(input.parse()?)),
            None => None,
        };
        if input.is_empty() || input.peek(Token![,]) {
            return Ok(Label {
                key,
                value: LabelSource::Binding { ty },
            });
        }
        input.parse::<Token![=]>()?;
        let value = match (ty, ungroup(input.parse::<Expr>()?)) {
            (
                None,
                Expr::Lit(ExprLit {
                    lit: Lit::Str(lit), ..
                }),
            ) => LabelSource::Fixed(lit),
            (_, Expr::Lit(ExprLit { lit, .. })) => {
                let text = quote::ToTokens::to_token_stream(&lit).to_string();
                let what = match lit {
                    Lit::Int(_) | Lit::Float(_) => {
                        "is a number, and a number can never be a label value: every value would be a series Prometheus keeps forever"
                    }
                    _ => "is not a string",
                };
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "`{text}` {what}; a label fixed at compile time is a string, like `{key} = \"{text}\"`, and one chosen per call comes from a parameter of a bounded type"
                    ),
                ));
            }
            (ty, expr) => LabelSource::Call {
                ty,
                expr: Box::new(expr),
            },
        };
        Ok(Label { key, value })
    }
}
