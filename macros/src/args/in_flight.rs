//! `in_flight`, `in_flight = "..."` or `in_flight(name = "...")` on
//! `#[timed]`: a gauge of the calls under way.

use syn::LitStr;
use syn::meta::ParseNestedMeta;

use super::value::{alone_valued_or_nested, set, string};
use bizmetrics_facts::names;

use crate::errors::Errors;
use crate::naming::{NameRule, check_metric_name};

/// The gauge's help text.
pub const HELP: &str = "Calls under way to functions annotated with #[timed(in_flight)].";

/// The argument as written.
#[derive(Clone)]
pub struct InFlightArg {
    pub name: Option<LitStr>,
}

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<InFlightArg> {
    const EXAMPLE: &str = "\"checkouts_in_flight\"";
    let mut name = None;
    let value = alone_valued_or_nested(
        meta,
        &format!(
            "`in_flight` alone, or name its metric: `in_flight = {EXAMPLE}` or `in_flight(name = {EXAMPLE})`"
        ),
        &["name"],
        |_, inner| set(&mut name, string(inner, EXAMPLE)?, inner),
    )?;
    Ok(InFlightArg {
        name: value.or(name),
    })
}

/// The gauge's name.
pub fn check(arg: &InFlightArg, errors: &mut Errors) -> String {
    if let Some(name) = &arg.name {
        check_metric_name(name, NameRule::Gauge, errors);
    }
    super::name::or(arg.name.as_ref(), names::IN_FLIGHT)
}
