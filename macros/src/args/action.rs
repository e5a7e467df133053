//! `action = "..."` and `endpoint = "..."`: the labels `#[business_metric]`
//! sets itself on its counter.

use proc_macro2::Span;
use syn::LitStr;

use super::Args;
use crate::errors::Errors;

/// The action: as given, or in an annotated `impl` block the method's name.
pub fn check(args: &Args, in_impl: bool, fn_name: &str, errors: &mut Errors) -> String {
    if let Some(endpoint) = args.endpoint.as_ref().filter(|e| e.value().is_empty()) {
        errors.push(
            endpoint.span(),
            "`endpoint` must not be empty; leave it out to use the function name",
        );
    }
    match &args.action {
        None if in_impl => fn_name.to_owned(),
        None => {
            errors.push(
                Span::call_site(),
                "`#[business_metric]` needs an action, like `#[business_metric(action = \"search\")]`",
            );
            String::new()
        }
        Some(action) if action.value().is_empty() => {
            errors.push(action.span(), "`action` must not be empty");
            String::new()
        }
        Some(action) => action.value(),
    }
}

/// The endpoint: as given, or the function's name as the `function`
/// label has it.
pub fn endpoint(args: &Args, function: &str) -> String {
    args.endpoint
        .as_ref()
        .map_or_else(|| function.to_owned(), LitStr::value)
}
