//! `funnel = "...", step = n`: the funnel step an action is, emitted as
//! the vocabulary's `FunnelStep`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Args;
use crate::errors::Errors;

/// A checked funnel step.
pub struct Step {
    pub funnel: String,
    pub step: u32,
}

/// A funnel and its step may come one from a set, one from the function,
/// so they are checked together only on the function.
pub fn check(args: &Args, errors: &mut Errors) -> Option<Step> {
    match (&args.funnel, &args.step) {
        (Some(funnel), None) => errors.push(
            funnel.span(),
            format!(
                "funnel `{}` needs the step this action is, like `step = 1`",
                funnel.value()
            ),
        ),
        (None, Some(step)) => errors.push(
            step.span(),
            "`step` needs the funnel it belongs to, like `funnel = \"purchase\"`",
        ),
        (Some(funnel), Some(step)) => {
            if funnel.value().is_empty() {
                errors.push(funnel.span(), "`funnel` must not be empty");
            }
            match step.base10_parse::<u32>() {
                Ok(0) => errors.push(
                    step.span(),
                    "funnel steps count from 1; `step = 0` is not a step",
                ),
                Ok(number) => {
                    return Some(Step {
                        funnel: funnel.value(),
                        step: number,
                    });
                }
                Err(_) => errors.push(
                    step.span(),
                    "`step` must be a whole number from 1 to 4294967295",
                ),
            }
        }
        (None, None) => {}
    }
    None
}

/// `Option<FunnelStep>` for the counter of `action`.
pub fn tokens(step: Option<&Step>, action: &str) -> TokenStream {
    match step {
        Some(Step { funnel, step }) => quote! {
            ::core::option::Option::Some(::bizmetrics::__private_0_1::FunnelStep {
                funnel: #funnel, action: #action, step: #step,
            })
        },
        None => quote!(::core::option::Option::None),
    }
}
