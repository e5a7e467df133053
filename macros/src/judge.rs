//! How a call's outcome is read from the value it returned: the closure
//! the runtime calls with it, and the type hints that keep `?` and type
//! errors in the user's code.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::plan::Plan;

/// `|value| (outcome, error kind)`, read from the value a call returned.
pub fn judge(plan: &Plan, output: Option<&Type>) -> TokenStream {
    // Resolved at the function, like the spans of arguments that come from
    // a `defaults!` set, so that one name meets the other.
    let value = proc_macro2::Ident::new("__bizmetrics_value", plan.anchor);
    let value = quote!(#value);
    let param = match output.filter(|ty| !mentions_impl(ty.to_token_stream())) {
        Some(ty) => quote!(#value: &#ty),
        None => value.clone(),
    };
    let errors = plan.timed.as_ref().and_then(|t| t.errors.as_ref());
    let count_ok = plan.count_ok();
    let (outcome, error_kind) = match (errors, count_ok) {
        (Some(errors), _) => {
            let value = located(&value, errors.span);
            let outcome = quote_spanned! {errors.span=>
                ::bizmetrics::__private_0_1::fallible_outcome(#value)
            };
            let kind = errors.kind.as_ref().map_or_else(
                || quote!(0),
                |kind| {
                    quote_spanned! {kind.span()=>
                        ::bizmetrics::__private_0_1::error_kind::<#kind, _>(#value)
                    }
                },
            );
            (outcome, kind)
        }
        (None, Some(span)) => (
            {
                let value = located(&value, span);
                quote_spanned! {span=> ::bizmetrics::__private_0_1::fallible_outcome(#value)}
            },
            quote!(0),
        ),
        // Any return type is fine: a `Result` is told apart by auto-ref
        // specialization, anything else is `ok`.
        (None, None) => (
            quote! {{
                use ::bizmetrics::__private_0_1::{PlainOutcome as _, ResultOutcome as _};
                (&::bizmetrics::__private_0_1::Probe(#value)).outcome()
            }},
            quote!(0),
        ),
    };
    quote!(|#param| (#outcome, #error_kind))
}

/// `value`, resolved where we named it but reported at `span`, so that an
/// error about it lands on the argument that asked for it.
fn located(value: &TokenStream, span: Span) -> TokenStream {
    value
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span.resolved_at(token.span()));
            token
        })
        .collect()
}

/// An unreachable `return` of the declared type at the top of an `async`
/// block, so that `?` in the body knows the error type and type errors
/// land in user code, as tracing-attributes does. It sits outside the
/// user's block, so a `use` in the body cannot change what the type means.
/// `impl Trait` cannot be named in a `let`, so those bodies go without.
pub fn fake_return(ty: &Type) -> TokenStream {
    if mentions_impl(ty.to_token_stream()) {
        return TokenStream::new();
    }
    quote_spanned! {ty.span()=>
        #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop, clippy::needless_return)]
        if false {
            let __bizmetrics_fake_return: #ty = loop {};
            return __bizmetrics_fake_return;
        }
    }
}

pub fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}
