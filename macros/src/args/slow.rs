//! `slow = "500ms"` or `slow(after = "500ms", name = "...")` on
//! `#[timed]`: a counter of the calls that took longer than a threshold.

use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr};

use super::value::{alone_valued_or_nested, duration_ns, set, string};
use bizmetrics_facts::names;

use crate::errors::Errors;
use crate::naming::{NameRule, check_metric_name};

/// The counter's help text.
pub const HELP: &str =
    "Calls to functions annotated with #[timed(slow)] that took longer than their threshold.";

/// The argument as written.
#[derive(Clone)]
pub struct SlowArg {
    pub key: Ident,
    pub name: Option<LitStr>,
    /// `slow = "..."` or `after = "..."`.
    pub after: Option<LitStr>,
}

/// The checked counter.
pub struct SlowCount {
    pub name: String,
    pub threshold_ns: u64,
}

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<SlowArg> {
    const EXAMPLE: &str = "\"500ms\"";
    let mut name = None;
    let mut after = None;
    let value = alone_valued_or_nested(
        meta,
        &format!("`slow = {EXAMPLE}` or `slow(after = {EXAMPLE}, name = \"...\")`"),
        &["after", "name"],
        |key, inner| match key {
            "after" => set(&mut after, string(inner, EXAMPLE)?, inner),
            _ => set(&mut name, string(inner, EXAMPLE)?, inner),
        },
    )?;
    Ok(SlowArg {
        key: meta.path.require_ident()?.clone(),
        name,
        after: value.or(after),
    })
}

pub fn check(arg: &SlowArg, errors: &mut Errors) -> Option<SlowCount> {
    if let Some(name) = &arg.name {
        check_metric_name(name, NameRule::Counter, errors);
    }
    let Some(threshold) = &arg.after else {
        errors.push(
            arg.key.span(),
            "`slow` needs a threshold, like `slow = \"500ms\"`",
        );
        return None;
    };
    Some(SlowCount {
        name: super::name::or(arg.name.as_ref(), names::SLOW),
        threshold_ns: duration_ns(threshold, errors)?,
    })
}
