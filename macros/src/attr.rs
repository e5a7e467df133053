//! Parsing the arguments of `#[business_metric(...)]` and `#[timed(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, UnOp};

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
            Attr::BusinessMetric => &["action", "endpoint", "name", "help", "labels"],
            Attr::Timed => &["name", "help", "labels", "buckets"],
        }
    }

    /// The labels the attribute sets itself, which `labels(...)` cannot.
    pub fn own_labels(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &["action_type", "endpoint"],
            Attr::Timed => &["function", "module", "outcome"],
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
}

/// One `key = "value"` inside `labels(...)`.
pub struct Label {
    pub key: Ident,
    pub value: LitStr,
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
        };
        let mut labels_seen = false;
        let parser = syn::meta::parser(|meta| {
            let key = meta.path.get_ident().map(Ident::unraw);
            let key = key.as_ref().map(ToString::to_string);
            let key = key.as_deref().filter(|key| attr.keys().contains(key));
            match key {
                Some("action") => set(&mut args.action, string(&meta, "`action`")?, &meta),
                Some("endpoint") => set(&mut args.endpoint, string(&meta, "`endpoint`")?, &meta),
                Some("name") => set(&mut args.name, string(&meta, "`name`")?, &meta),
                Some("help") => set(&mut args.help, string(&meta, "`help`")?, &meta),
                Some("buckets") => set(&mut args.buckets, buckets(&meta)?, &meta),
                Some("labels") => {
                    if std::mem::replace(&mut labels_seen, true) {
                        return Err(meta.error("duplicate `labels` argument"));
                    }
                    meta.parse_nested_meta(|label| {
                        let Some(key) = label.path.get_ident() else {
                            return Err(label.error(
                                "a label name must be a single identifier, like `tier = \"gold\"`",
                            ));
                        };
                        let key = key.clone();
                        let value = string(&label, &format!("label `{}`", key.unraw()))?;
                        args.labels.push(Label { key, value });
                        Ok(())
                    })
                }
                _ => {
                    let expected = attr
                        .keys()
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>();
                    Err(meta.error(format!(
                        "unknown argument `{}` for `{}`; expected one of {}",
                        path_text(&meta.path),
                        attr.display(),
                        expected.join(", ")
                    )))
                }
            }
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(args)
    }
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
            expr,
            ..
        }) => match &**expr {
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
    syn::Error::new(
        expr.span(),
        "a bucket bound must be a number literal in seconds, like `0.25`",
    )
}
