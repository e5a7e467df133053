//! `name = "..."`: the name of the attribute's own metric, and the names
//! it has when none is given (`bizmetrics_facts::names`).

use syn::LitStr;
use syn::meta::ParseNestedMeta;

use super::Args;
use super::value::string;
use crate::attribute::Attr;
use crate::errors::Errors;
use crate::naming::{NameRule, check_metric_name};

pub fn parse(meta: &ParseNestedMeta<'_>, attr: Attr) -> syn::Result<LitStr> {
    let example = match attr {
        Attr::BusinessMetric => "\"searches_total\"",
        Attr::Timed => "\"search_duration_seconds\"",
    };
    string(meta, example)
}

pub fn check(args: &Args, errors: &mut Errors) {
    let rule = match args.attr {
        Attr::BusinessMetric => NameRule::Counter,
        Attr::Timed => NameRule::Histogram,
    };
    if let Some(name) = &args.name {
        check_metric_name(name, rule, errors);
    }
}

/// The name given, or `default`.
pub fn or(given: Option<&LitStr>, default: &str) -> String {
    given.map_or_else(|| default.to_owned(), LitStr::value)
}
