//! The attribute macros of [bizmetrics](https://docs.rs/bizmetrics).
//!
//! Depend on `bizmetrics`, which re-exports these; the generated code
//! names the runtime through `::bizmetrics::__private_0_1`.

mod args;
mod ast;
mod attribute;
mod defaults;
mod derive;
mod errors;
mod expand;
mod fuse;
mod instrument;
mod judge;
mod naming;
mod plan;
mod shape;
mod site;
mod size;
mod validate;

use proc_macro::TokenStream;

use crate::attribute::Attr;
use crate::instrument::entry;

#[doc = include_str!("../docs/business_metric.md")]
#[proc_macro_attribute]
pub fn business_metric(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Attr::BusinessMetric, args.into(), item.into()).into()
}

#[doc = include_str!("../docs/timed.md")]
#[proc_macro_attribute]
pub fn timed(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(Attr::Timed, args.into(), item.into()).into()
}

/// Implements `bizmetrics::LabelValue` for a field-less enum.
///
/// Each variant is a label value, named in `snake_case` unless
/// `#[label(rename = "...")]` says otherwise.
///
/// ```
/// #[derive(bizmetrics::LabelValue)]
/// enum Device {
///     Mobile,
///     #[label(rename = "pc")]
///     Desktop,
/// }
///
/// use bizmetrics::LabelValue;
/// assert_eq!(Device::CARDINALITY, 2);
/// assert_eq!(Device::label(Device::Desktop.ordinal()), "pc");
/// ```
#[proc_macro_derive(LabelValue, attributes(label))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::label_value::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `bizmetrics::LabelGroup` for a struct of bounded labels.
///
/// Each field is one label, named after the field unless
/// `#[label(rename = "...")]` says otherwise; each field's type must be a
/// `LabelValue`. `labels(profile)` on an attribute then adds them all. It
/// composes with `serde::Deserialize`, so a group can come straight from an
/// extractor such as `Query<Profile>`.
///
/// ```standalone_crate
/// use bizmetrics::{business_metric, LabelGroup, LabelValue};
///
/// #[derive(Clone, Copy, LabelValue)]
/// enum Device { Mobile, Desktop }
///
/// #[derive(Clone, Copy, LabelGroup)]
/// struct Profile { device: Device, returning: bool }
///
/// #[business_metric(action = "search", endpoint = "/search", labels(profile))]
/// fn search(profile: Profile) {}
///
/// search(Profile { device: Device::Mobile, returning: false });
/// assert!(bizmetrics::render().contains(
///     r#"user_actions_total{action_type="search",device="mobile",endpoint="/search",returning="false"} 1"#
/// ));
/// ```
#[proc_macro_derive(LabelGroup, attributes(label))]
pub fn derive_label_group(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::label_group::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declares named sets of defaults for the attributes, which a function
/// then takes with `defaults = name`, its own arguments over the set's.
///
/// ```standalone_crate
/// mod metrics {
///     bizmetrics::defaults! {
///         /// Every query of the database module.
///         pub(crate) db_query = timed(
///             name = "database_query_duration_seconds",
///             slow(after = "250ms", name = "slow_queries_total"),
///         );
///     }
/// }
/// use metrics::db_query;
///
/// #[bizmetrics::timed(defaults = db_query)]
/// fn load_orders() -> Result<u32, String> { Ok(3) }
///
/// // Replaces one default whole: `slow` is the set's name with a new threshold.
/// #[bizmetrics::timed(defaults = db_query, slow(after = "1s", name = "slow_queries_total"))]
/// fn sales_report() -> Result<u32, String> { Ok(7) }
///
/// let _ = (load_orders(), sales_report());
/// let text = bizmetrics::render();
/// assert!(text.contains(
///     r#"database_query_duration_seconds_count{function="load_orders",module="rust_out",outcome="ok"} 1"#
/// ));
/// assert!(text.contains(r#"slow_queries_total{function="sales_report",module="rust_out"} 0"#));
/// ```
///
/// A set is a `macro_rules!` underneath, named through a `use`: it is seen
/// where it is declared and where it is imported, within one crate
/// (`pub(crate)` at most); `defaults = x` where `x` is no set is rustc's
/// "cannot find macro `x`". A set's arguments are checked where it is
/// declared, and the names in them (a label's type, a parameter) resolve
/// where it is used, as if written on the function. Labels add up with the
/// function's own; every other argument the function gives replaces the
/// set's, and `errors = false`, `in_flight = false`, `slow = false` or
/// `alert = false` (`slo = false`) switches the set's off.
#[proc_macro]
pub fn defaults(input: TokenStream) -> TokenStream {
    defaults::declare(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
