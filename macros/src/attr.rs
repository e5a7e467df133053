//! Parsing the arguments of `#[business_metric(...)]` and `#[timed(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, Token, Type, UnOp, token};

/// Which attribute is being expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    BusinessMetric,
    Timed,
}

impl Attr {
    /// The attribute's name: `business_metric` or `timed`.
    pub fn name(self) -> &'static str {
        match self {
            Attr::BusinessMetric => "business_metric",
            Attr::Timed => "timed",
        }
    }

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
                "action", "endpoint", "name", "help", "labels", "funnel", "step", "count", "alert",
                "defaults", "skip",
            ],
            Attr::Timed => &[
                "name",
                "help",
                "labels",
                "buckets",
                "errors",
                "in_flight",
                "slow",
                "native",
                "alert",
                "slo",
                "defaults",
                "skip",
            ],
        }
    }

    /// The keys of `alert(...)`; `p50` and the like are read as quantiles.
    fn alert_keys(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &[
                "below",
                "per",
                "for",
                "severity",
                "name",
                "summary",
                "description",
            ],
            Attr::Timed => &[
                "p50",
                "p75",
                "p90",
                "p95",
                "p99",
                "p999",
                "error_ratio",
                "per",
                "for",
                "severity",
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
#[derive(Clone)]
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
    /// `native` or `native(schema = 4)`: a native histogram beside the buckets.
    pub native: Option<Native>,
    pub alert: Option<Alert>,
    pub slo: Option<Slo>,
    /// `skip`: leave this method out of an annotated `impl` block.
    pub skip: Option<Ident>,
    /// `defaults = path`: a set declared with `bizmetrics::defaults!`,
    /// not yet applied.
    pub defaults: Option<syn::Path>,
    /// `errors = false` and the like: a set's metric or alert switched off.
    pub off: Vec<Ident>,
}

/// `alert(...)`: an alerting rule on the attribute's metric, for the
/// generated `alert_rules.yml`.
#[derive(Clone)]
pub struct Alert {
    /// The `alert` key, for errors about the whole.
    pub key: Ident,
    /// `below = 10`: fewer actions than this per window (`#[business_metric]`).
    pub below: Option<Number>,
    /// `p99 = "300ms"` and the like: a latency objective (`#[timed]`).
    pub latency: Vec<(Ident, LitStr)>,
    /// `error_ratio = 0.05`: the share of calls that fail (`#[timed]`).
    pub error_ratio: Option<Number>,
    /// `per = "5m"`: the rate window.
    pub per: Option<LitStr>,
    /// `for = "5m"`: how long the condition holds before the alert fires.
    pub for_: Option<LitStr>,
    pub severity: Option<LitStr>,
    pub name: Option<LitStr>,
    pub summary: Option<LitStr>,
    pub description: Option<LitStr>,
}

/// `slo(availability = "99.9%", window = "30d", latency(p99 = "300ms"))`:
/// a service level objective, for the generated burn-rate alerts.
#[derive(Clone)]
pub struct Slo {
    /// The `slo` key, for errors about the whole.
    pub key: Ident,
    /// `availability = "99.9%"`: the share of calls that must not fail.
    pub availability: Option<LitStr>,
    /// `window = "30d"`: the period the error budget covers.
    pub window: Option<LitStr>,
    /// `latency(p99 = "300ms")`: the quantile and the time its share of
    /// calls must finish within.
    pub latency: Option<(Ident, LitStr)>,
}

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
    /// `name` or `name: Type`: every field of a label group, from the
    /// parameter (or extractor binding) `name`.
    Group { ty: Option<Box<Type>> },
}

/// An extra metric of `#[timed]`: `errors`, `in_flight` or `slow`, written
/// bare, as `key = "value"` or as `key(name = "...", ...)`.
#[derive(Clone)]
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

/// `native`, or `native(schema = n)`.
#[derive(Clone)]
pub struct Native {
    pub schema: Option<LitInt>,
}

/// `buckets = [...]`: the bracket's span and each bound.
#[derive(Clone)]
pub struct Buckets {
    pub span: Span,
    pub bounds: Vec<Number>,
}

/// A number literal as written, such as a bucket bound.
#[derive(Clone)]
pub struct Number {
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
            native: None,
            alert: None,
            slo: None,
            skip: None,
            defaults: None,
            off: Vec::new(),
        };
        let mut inherited: Option<Args> = None;
        reject_positional(attr, &tokens)?;
        let mut labels_seen = false;
        let parser = syn::meta::parser(|meta| {
            let key = meta.path.get_ident().map(Ident::unraw);
            let key = key.as_ref().map(ToString::to_string);
            if key.as_deref() == Some("__defaults") {
                inherited = Some(inherited_from_set(&meta, attr)?);
                return Ok(());
            }
            let switchable = ["errors", "in_flight", "slow", "native", "alert", "slo"];
            if key.as_deref().is_some_and(|key| switchable.contains(&key)) && switched_off(&meta)? {
                args.off.push(meta.path.require_ident()?.clone());
                return Ok(());
            }
            match key.as_deref().filter(|key| attr.keys().contains(key)) {
                Some("defaults") => set(&mut args.defaults, meta.value()?.parse()?, &meta),
                Some("action") => set(&mut args.action, string(&meta, "\"search\"")?, &meta),
                Some("endpoint") => set(&mut args.endpoint, string(&meta, "\"/search\"")?, &meta),
                Some("name") => {
                    let example = match attr {
                        Attr::BusinessMetric => "\"searches_total\"",
                        Attr::Timed => "\"search_duration_seconds\"",
                    };
                    set(&mut args.name, string(&meta, example)?, &meta)
                }
                Some("help") => set(&mut args.help, string(&meta, "\"Searches run.\"")?, &meta),
                Some("count") => set(&mut args.count, string(&meta, "\"ok\"")?, &meta),
                Some("funnel") => set(&mut args.funnel, string(&meta, "\"purchase\"")?, &meta),
                Some("skip") => set(&mut args.skip, meta.path.require_ident()?.clone(), &meta),
                Some("step") => set(&mut args.step, integer(&meta, "`step`")?, &meta),
                Some("buckets") => set(&mut args.buckets, buckets(&meta)?, &meta),
                Some("errors") => set(
                    &mut args.errors,
                    extra(&meta, &["name", "kind"], "\"payment_errors_total\"")?,
                    &meta,
                ),
                Some("in_flight") => set(
                    &mut args.in_flight,
                    extra(&meta, &["name"], "\"checkouts_in_flight\"")?,
                    &meta,
                ),
                Some("slow") => set(
                    &mut args.slow,
                    extra(&meta, &["after", "name"], "\"500ms\"")?,
                    &meta,
                ),
                Some("native") => set(&mut args.native, native(&meta)?, &meta),
                Some("alert") => set(&mut args.alert, alert(&meta, attr)?, &meta),
                Some("slo") => set(&mut args.slo, slo(&meta)?, &meta),
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
                _ if key.as_deref() == Some("slo") => Err(meta.error(
                    "`slo` goes on `#[timed]`: an objective is measured on the outcomes and durations that `#[timed]` records",
                )),
                _ => Err(meta.error(format!(
                    "unknown argument `{}` for `{}`; expected one of {}",
                    path_text(&meta.path),
                    attr.display(),
                    list(attr.keys())
                ))),
            }
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(match inherited {
            Some(base) => args.over(base),
            None => args,
        })
    }

    /// These arguments, with `base`'s where these leave one out. Labels
    /// add up; one named again here replaces the base's.
    fn over(self, base: Args) -> Args {
        let mut labels: Vec<Label> = base
            .labels
            .into_iter()
            .filter(|label| !self.labels.iter().any(|own| own.key == label.key))
            .collect();
        labels.extend(self.labels);
        let on = |key: &str| !self.off.iter().any(|off| off == key);
        Args {
            attr: self.attr,
            action: self.action.or(base.action),
            endpoint: self.endpoint.or(base.endpoint),
            name: self.name.or(base.name),
            help: self.help.or(base.help),
            labels,
            buckets: self.buckets.or(base.buckets),
            count: self.count.or(base.count),
            funnel: self.funnel.or(base.funnel),
            step: self.step.or(base.step),
            errors: self.errors.or(base.errors.filter(|_| on("errors"))),
            in_flight: self
                .in_flight
                .or(base.in_flight.filter(|_| on("in_flight"))),
            slow: self.slow.or(base.slow.filter(|_| on("slow"))),
            native: self.native.or(base.native.filter(|_| on("native"))),
            alert: self.alert.or(base.alert.filter(|_| on("alert"))),
            slo: self.slo.or(base.slo.filter(|_| on("slo"))),
            skip: self.skip,
            defaults: self.defaults,
            off: self.off,
        }
    }
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
                value: LabelSource::Group { ty },
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

/// `key = "literal"`, with a message that shows an `example` value.
fn string(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    let key = path_text(&meta.path);
    let value = ungroup(meta.value()?.parse()?);
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) if !lit.suffix().is_empty() => Err(syn::Error::new(
            lit.span(),
            format!("`{key}` takes a string, like `{key} = \"{lit}\"`"),
        )),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string, like `{key} = {example}`"),
        )),
    }
}

/// `__defaults(used declared set; arguments)`: what a `defaults!` set hands
/// back, refused when the set is for the other attribute.
fn inherited_from_set(meta: &ParseNestedMeta<'_>, attr: Attr) -> syn::Result<Args> {
    let content;
    syn::parenthesized!(content in meta.input);
    let used: Ident = content.parse()?;
    let declared: Ident = content.parse()?;
    let set: Ident = content.parse()?;
    content.parse::<Token![;]>()?;
    if declared != attr.name() {
        return Err(syn::Error::new(
            used.span(),
            format!(
                "`{set}` holds defaults for `#[{declared}]`, not for `{}`",
                attr.display()
            ),
        ));
    }
    Args::parse(attr, content.parse()?)
}

/// `key = false`: what a `defaults!` set turns on, switched off here.
fn switched_off(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    let ahead = meta.input.fork();
    if ahead.parse::<Token![=]>().is_err() {
        return Ok(false);
    }
    let off = matches!(ahead.parse::<syn::LitBool>(), Ok(lit) if !lit.value)
        && (ahead.is_empty() || ahead.peek(Token![,]));
    if off {
        meta.value()?.parse::<syn::LitBool>()?;
    }
    Ok(off)
}

/// Refuses a bare literal where a `key = value` argument belongs, such as
/// `#[business_metric("search")]`, with the form that was meant.
fn reject_positional(attr: Attr, tokens: &TokenStream) -> syn::Result<()> {
    let mut at_start = true;
    for token in tokens.clone() {
        match &token {
            proc_macro2::TokenTree::Literal(literal) if at_start => {
                let meant = match attr {
                    Attr::BusinessMetric => format!("action = {literal}"),
                    Attr::Timed => format!("name = {literal}"),
                };
                return Err(syn::Error::new(
                    literal.span(),
                    format!(
                        "`{}` takes named arguments; write `{meant}`",
                        attr.display()
                    ),
                ));
            }
            proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ',' => at_start = true,
            _ => at_start = false,
        }
    }
    Ok(())
}

/// The expression inside invisible groups, which is how a `$a:expr` or
/// `$a:literal` from a `macro_rules!` arrives.
pub fn ungroup(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}

/// `key = 3`.
fn integer(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<LitInt> {
    let value = ungroup(meta.value()?.parse()?);
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
fn extra(meta: &ParseNestedMeta<'_>, keys: &[&str], example: &str) -> syn::Result<Extra> {
    let key = meta.path.require_ident()?.clone();
    let mut extra = Extra {
        key: key.clone(),
        value: None,
        name: None,
        kind: None,
        after: None,
    };
    if meta.input.peek(Token![=]) {
        let value = string(meta, example).map_err(|error| {
            let forms = if key == "slow" {
                format!("`slow = {example}` or `slow(after = {example}, name = \"...\")`")
            } else {
                let kind = if key == "errors" { ", kind = ErrorKind" } else { "" };
                format!(
                    "`{key}` alone, or name its metric: `{key} = {example}` or `{key}(name = {example}{kind})`"
                )
            };
            syn::Error::new(error.span(), format!("`{key}` takes a string; write {forms}"))
        })?;
        extra.value = Some(value);
    } else if meta.input.peek(token::Paren) {
        meta.parse_nested_meta(|inner| {
            let inner_key = inner.path.get_ident().map(ToString::to_string);
            match inner_key.as_deref().filter(|k| keys.contains(k)) {
                Some("name") => set(&mut extra.name, string(&inner, example)?, &inner),
                Some("after") => set(&mut extra.after, string(&inner, "\"500ms\"")?, &inner),
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

/// `alert(key = value, ...)`; quantile keys (`p` and digits) are checked
/// later, so that `p100` gets a message about quantiles.
fn alert(meta: &ParseNestedMeta<'_>, attr: Attr) -> syn::Result<Alert> {
    let mut alert = Alert {
        key: meta.path.require_ident()?.clone(),
        below: None,
        latency: Vec::new(),
        error_ratio: None,
        per: None,
        for_: None,
        severity: None,
        name: None,
        summary: None,
        description: None,
    };
    if !meta.input.peek(token::Paren) {
        return Err(meta.error(match attr {
            Attr::BusinessMetric => "`alert` needs a threshold, like `alert(below = 10, per = \"5m\")`",
            Attr::Timed => "`alert` needs an objective, like `alert(p99 = \"300ms\")` or `alert(error_ratio = 0.05)`",
        }));
    }
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        let text = key.as_ref().map(ToString::to_string).unwrap_or_default();
        let is_quantile = attr == Attr::Timed && is_quantile_key(&text);
        match text.as_str() {
            _ if is_quantile => {
                let key = key.expect("a quantile key is an identifier");
                if alert.latency.iter().any(|(seen, _)| *seen == key) {
                    return Err(inner.error(format!("duplicate `{key}` argument")));
                }
                alert.latency.push((key, string(&inner, "\"300ms\"")?));
                Ok(())
            }
            key if !attr.alert_keys().contains(&key) => Err(inner.error(format!(
                "unknown argument `{}` for `alert`; expected one of {}",
                path_text(&inner.path),
                list(attr.alert_keys())
            ))),
            "below" => {
                let value = number(
                    &ungroup(inner.value()?.parse()?),
                    "`below` must be a number of actions, like `10`",
                )?;
                set(&mut alert.below, value, &inner)
            }
            "error_ratio" => {
                let message = "`error_ratio` must be a number between 0 and 1, like `0.05`";
                let value = number(&ungroup(inner.value()?.parse()?), message)?;
                set(&mut alert.error_ratio, value, &inner)
            }
            "per" => set(&mut alert.per, string(&inner, "\"5m\"")?, &inner),
            "for" => set(&mut alert.for_, string(&inner, "\"5m\"")?, &inner),
            "severity" => set(&mut alert.severity, string(&inner, "\"page\"")?, &inner),
            "name" => set(
                &mut alert.name,
                string(&inner, "\"CheckoutStalled\"")?,
                &inner,
            ),
            "summary" => set(&mut alert.summary, string(&inner, "\"...\"")?, &inner),
            _ => set(&mut alert.description, string(&inner, "\"...\"")?, &inner),
        }
    })?;
    Ok(alert)
}

/// `slo(availability = "99.9%", window = "30d", latency(p99 = "300ms"))`;
/// the values are checked later, all at once.
fn slo(meta: &ParseNestedMeta<'_>) -> syn::Result<Slo> {
    const NEEDS: &str = "`slo` needs an objective, like `slo(availability = \"99.9%\")` or `slo(latency(p99 = \"300ms\"))`";
    let mut slo = Slo {
        key: meta.path.require_ident()?.clone(),
        availability: None,
        window: None,
        latency: None,
    };
    if !meta.input.peek(token::Paren) {
        return Err(meta.error(NEEDS));
    }
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        match key.as_ref().map(ToString::to_string).as_deref() {
            Some("availability") => set(
                &mut slo.availability,
                string(&inner, "\"99.9%\"")?,
                &inner,
            ),
            Some("window") => set(&mut slo.window, string(&inner, "\"30d\"")?, &inner),
            Some("latency") => {
                let objective = latency_objective(&inner)?;
                set(&mut slo.latency, objective, &inner)
            }
            _ => Err(inner.error(format!(
                "unknown argument `{}` for `slo`; expected one of `availability`, `window`, `latency`",
                path_text(&inner.path)
            ))),
        }
    })?;
    if slo.availability.is_none() && slo.latency.is_none() {
        return Err(syn::Error::new(slo.key.span(), NEEDS));
    }
    Ok(slo)
}

/// `latency(p99 = "300ms")`: one quantile and its time.
fn latency_objective(meta: &ParseNestedMeta<'_>) -> syn::Result<(Ident, LitStr)> {
    const FORM: &str = "`latency` takes one quantile and a time, like `latency(p99 = \"300ms\")`: 99% of calls finish within 300ms";
    if !meta.input.peek(token::Paren) {
        return Err(meta.error(FORM));
    }
    let mut objective = None;
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(Ident::unraw);
        match key {
            Some(key) if is_quantile_key(&key.to_string()) && objective.is_none() => {
                objective = Some((key, string(&inner, "\"300ms\"")?));
                Ok(())
            }
            _ => Err(inner.error(FORM)),
        }
    })?;
    objective.ok_or_else(|| meta.error(FORM))
}

/// `p` followed by digits, such as `p99`.
pub fn is_quantile_key(key: &str) -> bool {
    key.strip_prefix('p')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// `native` alone, or `native(schema = n)`.
fn native(meta: &ParseNestedMeta<'_>) -> syn::Result<Native> {
    let mut native = Native { schema: None };
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("schema") {
                native.schema = Some(integer(&inner, "`schema`")?);
                Ok(())
            } else {
                Err(inner.error(format!(
                    "unknown argument `{}` for `native`; expected `schema`, like `native(schema = 4)`",
                    path_text(&inner.path)
                )))
            }
        })?;
    } else if meta.input.peek(Token![=]) {
        return Err(
            meta.error("`native` is written alone, or as `native(schema = 4)` for finer buckets")
        );
    }
    Ok(native)
}

fn buckets(meta: &ParseNestedMeta<'_>) -> syn::Result<Buckets> {
    let value = ungroup(meta.value()?.parse()?);
    let Expr::Array(array) = value else {
        return Err(syn::Error::new(
            value.span(),
            "`buckets` must be a list of numbers in seconds, like `[0.1, 0.5, 1.0]`",
        ));
    };
    let mut bounds = Vec::new();
    let mut errors = crate::valid::Errors::default();
    for bound in &array.elems {
        match number(
            bound,
            "a bucket bound must be a number literal in seconds, like `0.25`",
        ) {
            Ok(number) => bounds.push(number),
            Err(error) => errors.push_error(error),
        }
    }
    errors.finish()?;
    Ok(Buckets {
        span: array.bracket_token.span.join(),
        bounds,
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

/// A number literal, or `message` spanned on whatever `expr` is instead.
fn number(expr: &Expr, message: &str) -> syn::Result<Number> {
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
        _ => return Err(syn::Error::new_spanned(expr, message)),
    };
    let suffix = match lit {
        Lit::Float(lit) => lit.suffix(),
        Lit::Int(lit) => lit.suffix(),
        _ => "",
    };
    if !suffix.is_empty() && !["f32", "f64"].contains(&suffix) {
        let text = quote::ToTokens::to_token_stream(lit).to_string();
        let seconds = crate::valid::duration_ns(&text)
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
