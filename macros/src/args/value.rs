//! The literal forms arguments take (strings, whole numbers, plain
//! numbers, durations), read with messages that show the form meant.

use bizmetrics_facts::duration;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitInt, LitStr, UnOp};

use crate::errors::Errors;

/// A number literal as written, such as a bucket bound.
#[derive(Clone)]
pub struct Number {
    pub value: f64,
    /// Kept whole so errors span `-0.1`, not only the `-`.
    pub expr: Expr,
}

/// The expression inside invisible groups, which is how a `$a:expr` or
/// `$a:literal` from a `macro_rules!` arrives.
pub fn ungroup(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}

/// `a::b` as written, raw identifiers unprefixed.
pub fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    segments.join("::")
}

/// `` `a`, `b` `` for a message.
pub fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fills `slot`, refusing an argument given twice.
pub fn set<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("duplicate `{}` argument", path_text(&meta.path))));
    }
    *slot = Some(value);
    Ok(())
}

/// Why a literal is needed, when `expr` names a constant or computes a
/// value: an attribute macro sees tokens, never what they evaluate to. A
/// lowercase word is more likely a string without its quotes, which the
/// example shows well enough.
pub fn why_literal(expr: &Expr) -> String {
    match expr {
        Expr::Path(path)
            if path
                .path
                .get_ident()
                .is_some_and(|ident| ident.to_string().chars().any(|c| c.is_ascii_lowercase())) =>
        {
            String::new()
        }
        Expr::Path(path) => format!(
            ", because an attribute cannot read what `{}` holds",
            path_text(&path.path)
        ),
        Expr::Lit(_) => String::new(),
        _ => ", because an attribute cannot evaluate an expression".to_owned(),
    }
}

/// `key = "literal"`, with a message that shows an `example` value.
pub fn string(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    literal_string(meta, |key, why| {
        format!("`{key}` must be a string literal, like `{key} = {example}`{why}")
    })
}

/// `key = "literal"`; otherwise `message(key, why)`, spanned on the value.
fn literal_string(
    meta: &ParseNestedMeta<'_>,
    message: impl FnOnce(&str, &str) -> String,
) -> syn::Result<LitStr> {
    let key = path_text(&meta.path);
    let value = ungroup(meta.value()?.parse()?);
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        // `per = 15m`: the duration without its quotes.
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) if !lit.suffix().is_empty() => Err(syn::Error::new(
            lit.span(),
            format!("`{key}` must be a string literal, like `{key} = \"{lit}\"`"),
        )),
        other => Err(syn::Error::new(
            other.span(),
            message(&key, &why_literal(&other)),
        )),
    }
}

/// `key = 3`.
pub fn integer(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<LitInt> {
    let value = ungroup(meta.value()?.parse()?);
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!(
                "{what} must be a whole number literal, like `1`{}",
                why_literal(&other)
            ),
        )),
    }
}

/// A number literal, or `message` spanned on whatever `expr` is instead.
pub fn number(expr: &Expr, message: &str) -> syn::Result<Number> {
    let expr = &ungroup(expr.clone());
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return Err(syn::Error::new_spanned(expr, message)),
        },
        _ => {
            let why = why_literal(expr);
            return Err(syn::Error::new_spanned(expr, format!("{message}{why}")));
        }
    };
    let suffix = match lit {
        Lit::Float(lit) => lit.suffix(),
        Lit::Int(lit) => lit.suffix(),
        _ => "",
    };
    if !suffix.is_empty() && !["f32", "f64"].contains(&suffix) {
        let text = quote::ToTokens::to_token_stream(lit).to_string();
        let seconds = duration::parse_ns(&text)
            .map(|ns| format!("; `{text}` is `{}`", seconds_text(ns)))
            .unwrap_or_default();
        return Err(syn::Error::new_spanned(
            expr,
            format!("`{text}` has a unit, but this is a plain number: {message}{seconds}"),
        ));
    }
    let magnitude: f64 = match lit {
        Lit::Float(lit) => lit.base10_parse()?,
        Lit::Int(lit) => lit.base10_parse()?,
        _ => return Err(syn::Error::new_spanned(expr, message)),
    };
    Ok(Number {
        value: if negative { -magnitude } else { magnitude },
        expr: expr.clone(),
    })
}

/// Nanoseconds written as seconds, the way a bucket bound is: `0.005`.
#[allow(clippy::cast_precision_loss)] // durations far below 2^52 ns
fn seconds_text(ns: u64) -> String {
    let seconds = ns as f64 / 1e9;
    let text = format!("{seconds}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// Nanoseconds as seconds, the unit of bucket bounds and latency objectives.
#[allow(clippy::cast_precision_loss)] // durations far below 2^52 ns
pub fn seconds(ns: u64) -> f64 {
    ns as f64 / 1e9
}

/// A duration literal in nanoseconds, or its error pushed.
pub fn duration_ns(text: &LitStr, errors: &mut Errors) -> Option<u64> {
    duration::parse_ns(&text.value())
        .map_err(|problem| {
            errors.push(
                text.span(),
                format!("`{}` is not a duration: {problem}", text.value()),
            );
        })
        .ok()
}

/// A rule window in milliseconds, the finest Prometheus windows go; a
/// finer one's error pushed, and the milliseconds kept.
pub fn window_ms(text: &LitStr, ns: u64, errors: &mut Errors) -> u64 {
    if ns % 1_000_000 != 0 {
        errors.push(
            text.span(),
            format!(
                "`{}` is not a whole number of milliseconds, the finest Prometheus windows go",
                text.value()
            ),
        );
    }
    ns / 1_000_000
}

/// `None` or `Some(text)` as tokens, for an optional text of the vocabulary.
pub fn optional_text(text: Option<&str>) -> proc_macro2::TokenStream {
    match text {
        Some(text) => quote::quote!(::core::option::Option::Some(#text)),
        None => quote::quote!(::core::option::Option::None),
    }
}

/// The form of `errors`, `in_flight` and `slow`: the key alone, `key =
/// "value"`, or `key(inner = .., ...)` with each inner key from `keys`
/// handed to `inner`. Returns the value of `key = "value"`; `forms` is how
/// to write it, for the error when it is no string.
pub fn alone_valued_or_nested(
    meta: &ParseNestedMeta<'_>,
    forms: &str,
    keys: &[&str],
    mut inner: impl FnMut(&str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<Option<LitStr>> {
    let key = path_text(&meta.path);
    if meta.input.peek(syn::Token![=]) {
        let value = literal_string(meta, |key, why| {
            format!("`{key}` must be a string literal{why}; write {forms}")
        })?;
        return Ok(Some(value));
    }
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|nested| {
            let nested_key = nested.path.get_ident().map(ToString::to_string);
            match nested_key.as_deref().filter(|k| keys.contains(k)) {
                Some(known) => inner(known, &nested),
                None => Err(nested.error(format!(
                    "unknown argument `{}` for `{key}`; expected one of {}",
                    path_text(&nested.path),
                    list(keys)
                ))),
            }
        })?;
    }
    Ok(None)
}
