//! Parsing the arguments of `#[business_metric(...)]` and `#[timed(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{token, Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, Token, Type, UnOp};

/// Which attribute is being expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    BusinessMetric,
    Timed,
}

impl Attr {
    /// The attribute as users write it, for messages.
    pub fn display(self) -> &'static str {
        match self {
            Attr::BusinessMetric => "#[business_metric]",
            Attr::Timed => "#[timed]",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &[
                "action", "endpoint", "name", "help", "labels", "funnel", "step", "count",
            ],
            Attr::Timed => &[
                "name",
                "help",
                "labels",
                "buckets",
                "errors",
                "in_flight",
                "slow",
            ],
        }
    }

    /// The labels the attribute sets itself, which `labels(...)` cannot.
    pub fn own_labels(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &["action_type", "endpoint"],
            Attr::Timed => &["function", "module", "outcome", "kind"],
        }
    }
}

/// The arguments as written, each keeping its tokens for spans.
pub struct Args {
    pub attr: Attr,
    pub action: Option<LitStr>,
    pub endpoint: Option<LitStr>,
    pub name: Option<LitStr>,
    pub help: Option<LitStr>,
    pub labels: Vec<Label>,
    pub buckets: Option<Buckets>,
    /// `count = "ok"` or `count = "all"`.
    pub count: Option<LitStr>,
    pub funnel: Option<LitStr>,
    pub step: Option<LitInt>,
    pub errors: Option<Extra>,
    pub in_flight: Option<Extra>,
    pub slow: Option<Extra>,
}

/// One entry of `labels(...)`.
pub struct Label {
    pub key: Ident,
    pub value: LabelSource,
}

/// Where a label's value comes from.
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
}

/// An extra metric of `#[timed]`: `errors`, `in_flight` or `slow`, written
/// bare, as `key = "value"` or as `key(name = "...", ...)`.
pub struct Extra {
    /// The key as written.
    pub key: Ident,
    /// `key = "value"`: the metric name, or the threshold for `slow`.
    pub value: Option<LitStr>,
    /// `name = "..."` inside the parentheses.
    pub name: Option<LitStr>,
    /// `kind = Type` inside `errors(...)`.
    pub kind: Option<Type>,
    /// `after = "..."` inside `slow(...)`.
    pub after: Option<LitStr>,
}

/// `buckets = [...]`: the bracket's span and each bound.
pub struct Buckets {
    pub span: Span,
    pub bounds: Vec<Bound>,
}

/// One bucket bound as written.
pub struct Bound {
    pub value: f64,
    /// Kept whole so errors span `-0.1`, not only the `-`.
    pub expr: Expr,
}

impl Args {
    pub fn parse(attr: Attr, tokens: TokenStream) -> syn::Result<Self> {
        let mut args = Args {
            attr,
            action: None,
            endpoint: None,
            name: None,
            help: None,
            labels: Vec::new(),
            buckets: None,
            count: None,
            funnel: None,
            step: None,
            errors: None,
            in_flight: None,
            slow: None,
        };
        let mut labels_seen = false;
        let parser = syn::meta::parser(|meta| {
            let key = meta.path.get_ident().map(Ident::unraw);
            let key = key.as_ref().map(ToString::to_string);
            match key.as_deref().filter(|key| attr.keys().contains(key)) {
                Some("action") => set(&mut args.action, string(&meta, "`action`")?, &meta),
                Some("endpoint") => set(&mut args.endpoint, string(&meta, "`endpoint`")?, &meta),
                Some("name") => set(&mut args.name, string(&meta, "`name`")?, &meta),
                Some("help") => set(&mut args.help, string(&meta, "`help`")?, &meta),
                Some("count") => set(&mut args.count, string(&meta, "`count`")?, &meta),
                Some("funnel") => set(&mut args.funnel, string(&meta, "`funnel`")?, &meta),
                Some("step") => set(&mut args.step, integer(&meta, "`step`")?, &meta),
                Some("buckets") => set(&mut args.buckets, buckets(&meta)?, &meta),
                Some("errors") => set(&mut args.errors, extra(&meta, &["name", "kind"])?, &meta),
                Some("in_flight") => set(&mut args.in_flight, extra(&meta, &["name"])?, &meta),
                Some("slow") => set(&mut args.slow, extra(&meta, &["after", "name"])?, &meta),
                Some("labels") => {
                    if std::mem::replace(&mut labels_seen, true) {
                        return Err(meta.error("duplicate `labels` argument"));
                    }
                    let content;
                    syn::parenthesized!(content in meta.input);
                    args.labels
                        .extend(Punctuated::<Label, Token![,]>::parse_terminated(&content)?);
                    Ok(())
                }
                _ => Err(meta.error(format!(
                    "unknown argument `{}` for `{}`; expected one of {}",
                    path_text(&meta.path),
                    attr.display(),
                    list(attr.keys())
                ))),
            }
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(args)
    }
}

impl Parse for Label {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.call(Ident::parse_any)?;
        let ty = match input.parse::<Option<Token![:]>>()? {
            Some(_) => Some(Box::new(input.parse()?)),
            None => None,
        };
        input.parse::<Token![=]>()?;
        let value = match (ty, input.parse::<Expr>()?) {
            (
                None,
                Expr::Lit(ExprLit {
                    lit: Lit::Str(lit), ..
                }),
            ) => LabelSource::Fixed(lit),
            (ty, expr) => LabelSource::Call {
                ty,
                expr: Box::new(expr),
            },
        };
        Ok(Label { key, value })
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    segments.join("::")
}

fn set<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("duplicate `{}` argument", path_text(&meta.path))));
    }
    *slot = Some(value);
    Ok(())
}

/// `key = "literal"`, with a message that shows the expected form.
fn string(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<LitStr> {
    let value: Expr = meta.value()?.parse()?;
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!("{what} must be a string literal, like `\"search\"`"),
        )),
    }
}

/// `key = 3`.
fn integer(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<LitInt> {
    let value: Expr = meta.value()?.parse()?;
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!("{what} must be a whole number, like `1`"),
        )),
    }
}

/// `key`, `key = "value"` or `key(inner = .., ...)` with `inner` from `keys`.
fn extra(meta: &ParseNestedMeta<'_>, keys: &[&str]) -> syn::Result<Extra> {
    let key = meta.path.require_ident()?.clone();
    let mut extra = Extra {
        key: key.clone(),
        value: None,
        name: None,
        kind: None,
        after: None,
    };
    if meta.input.peek(Token![=]) {
        extra.value = Some(string(meta, &format!("`{key}`"))?);
    } else if meta.input.peek(token::Paren) {
        meta.parse_nested_meta(|inner| {
            let inner_key = inner.path.get_ident().map(ToString::to_string);
            match inner_key.as_deref().filter(|k| keys.contains(k)) {
                Some("name") => set(&mut extra.name, string(&inner, "`name`")?, &inner),
                Some("after") => set(&mut extra.after, string(&inner, "`after`")?, &inner),
                Some("kind") => set(&mut extra.kind, inner.value()?.parse()?, &inner),
                _ => Err(inner.error(format!(
                    "unknown argument `{}` for `{key}`; expected one of {}",
                    path_text(&inner.path),
                    list(keys)
                ))),
            }
        })?;
    }
    Ok(extra)
}

fn buckets(meta: &ParseNestedMeta<'_>) -> syn::Result<Buckets> {
    let value: Expr = meta.value()?.parse()?;
    let Expr::Array(array) = value else {
        return Err(syn::Error::new(
            value.span(),
            "`buckets` must be a list of numbers in seconds, like `[0.1, 0.5, 1.0]`",
        ));
    };
    let bounds = array.elems.iter().map(bound).collect::<syn::Result<_>>()?;
    Ok(Buckets {
        span: array.bracket_token.span.join(),
        bounds,
    })
}

fn bound(expr: &Expr) -> syn::Result<Bound> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return Err(not_a_number(expr)),
        },
        _ => return Err(not_a_number(expr)),
    };
    let magnitude: f64 = match lit {
        Lit::Float(lit) => lit.base10_parse()?,
        Lit::Int(lit) => lit.base10_parse()?,
        _ => return Err(not_a_number(expr)),
    };
    Ok(Bound {
        value: if negative { -magnitude } else { magnitude },
        expr: expr.clone(),
    })
}

fn not_a_number(expr: &Expr) -> syn::Error {
    syn::Error::new_spanned(
        expr,
        "a bucket bound must be a number literal in seconds, like `0.25`",
    )
}
