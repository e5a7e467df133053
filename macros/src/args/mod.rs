//! The arguments of `#[business_metric(...)]` and `#[timed(...)]`: one
//! module per argument, each with its syntax, its checks and the
//! vocabulary tokens it emits; here, the whole list read in one pass.

pub mod action;
pub mod alert;
pub mod buckets;
pub mod count;
pub mod errors;
pub mod funnel;
pub mod help;
pub mod in_flight;
pub mod labels;
pub mod name;
pub mod native;
pub mod quantile;
pub mod slo;
pub mod slow;
pub mod value;

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Ident, LitInt, LitStr, Token};

use self::value::{list, path_text, set, string};
use crate::attribute::Attr;

/// The arguments as written, each keeping its tokens for spans.
#[derive(Clone)]
pub struct Args {
    pub attr: Attr,
    pub action: Option<LitStr>,
    pub endpoint: Option<LitStr>,
    pub name: Option<LitStr>,
    pub help: Option<LitStr>,
    pub labels: Vec<labels::Label>,
    pub buckets: Option<buckets::Buckets>,
    pub count: Option<LitStr>,
    pub funnel: Option<LitStr>,
    pub step: Option<LitInt>,
    pub errors: Option<errors::ErrorsArg>,
    pub in_flight: Option<in_flight::InFlightArg>,
    pub slow: Option<slow::SlowArg>,
    pub native: Option<native::Native>,
    pub alert: Option<alert::Alert>,
    pub slo: Option<slo::Slo>,
    /// `skip`: leave this method out of an annotated `impl` block.
    pub skip: Option<Ident>,
    /// `defaults = path`: a set declared with `bizmetrics::defaults!`,
    /// not yet applied.
    pub defaults: Option<syn::Path>,
    /// `errors = false` and the like: a set's metric or alert switched off.
    pub off: Vec<Ident>,
}

impl Args {
    fn empty(attr: Attr) -> Args {
        Args {
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
        }
    }

    pub fn parse(attr: Attr, tokens: TokenStream) -> syn::Result<Self> {
        let mut args = Args::empty(attr);
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
                Some("name") => set(&mut args.name, name::parse(&meta, attr)?, &meta),
                Some("help") => set(&mut args.help, string(&meta, "\"Searches run.\"")?, &meta),
                Some("count") => set(&mut args.count, string(&meta, "\"ok\"")?, &meta),
                Some("funnel") => set(&mut args.funnel, string(&meta, "\"purchase\"")?, &meta),
                Some("skip") => set(&mut args.skip, meta.path.require_ident()?.clone(), &meta),
                Some("step") => set(&mut args.step, value::integer(&meta, "`step`")?, &meta),
                Some("buckets") => set(&mut args.buckets, buckets::parse(&meta)?, &meta),
                Some("errors") => set(&mut args.errors, errors::parse(&meta)?, &meta),
                Some("in_flight") => set(&mut args.in_flight, in_flight::parse(&meta)?, &meta),
                Some("slow") => set(&mut args.slow, slow::parse(&meta)?, &meta),
                Some("native") => set(&mut args.native, native::parse(&meta)?, &meta),
                Some("alert") => set(&mut args.alert, alert::parse(&meta, attr)?, &meta),
                Some("slo") => set(&mut args.slo, slo::parse(&meta)?, &meta),
                Some("labels") => {
                    if std::mem::replace(&mut labels_seen, true) {
                        return Err(meta.error("duplicate `labels` argument"));
                    }
                    let content;
                    syn::parenthesized!(content in meta.input);
                    args.labels.extend(Punctuated::<labels::Label, Token![,]>::parse_terminated(
                        &content,
                    )?);
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
            // The set named by `defaults` is applied: these are its arguments.
            Some(base) => Args {
                defaults: None,
                ..args.over(base)
            },
            None => args,
        })
    }

    /// These arguments, with `base`'s where these leave one out. Labels
    /// add up; one named again here replaces the base's.
    fn over(self, base: Args) -> Args {
        let mut labels: Vec<labels::Label> = base
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
