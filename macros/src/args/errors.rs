//! `errors`, `errors = "..."` or `errors(name = "...", kind = Type)` on
//! `#[timed]`: a counter of the calls that returned `Err`, by error kind.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr, Type};

use super::value::{alone_valued_or_nested, set, string};
use bizmetrics_facts::names;

use crate::errors::Errors;
use crate::naming::{NameRule, check_metric_name};

/// The counter's help text.
pub const HELP: &str = "Calls to functions annotated with #[timed(errors)] that returned Err.";

/// The argument as written.
#[derive(Clone)]
pub struct ErrorsArg {
    pub key: Ident,
    /// `errors = "..."` or `name = "..."` inside the parentheses.
    pub name: Option<LitStr>,
    /// `kind = Type`: the error type, a label value.
    pub kind: Option<Type>,
}

/// The checked counter.
pub struct ErrorCount {
    pub name: String,
    pub kind: Option<Type>,
    /// The `errors` key, for the error when the function cannot fail.
    pub span: Span,
}

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<ErrorsArg> {
    const EXAMPLE: &str = "\"payment_errors_total\"";
    let mut name = None;
    let mut kind = None;
    let value = alone_valued_or_nested(
        meta,
        &format!(
            "`errors` alone, or name its metric: `errors = {EXAMPLE}` or `errors(name = {EXAMPLE}, kind = ErrorKind)`"
        ),
        &["name", "kind"],
        |key, inner| match key {
            "name" => set(&mut name, string(inner, EXAMPLE)?, inner),
            _ => set(&mut kind, inner.value()?.parse()?, inner),
        },
    )?;
    Ok(ErrorsArg {
        key: meta.path.require_ident()?.clone(),
        name: value.or(name),
        kind,
    })
}

pub fn check(arg: &ErrorsArg, errors: &mut Errors) -> ErrorCount {
    if let Some(name) = &arg.name {
        check_metric_name(name, NameRule::Counter, errors);
    }
    ErrorCount {
        name: super::name::or(arg.name.as_ref(), names::ERRORS),
        kind: arg.kind.clone(),
        span: arg.key.span(),
    }
}
