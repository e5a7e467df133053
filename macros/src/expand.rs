//! Code generation: the user's function, with its call site wired in.

use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{ReturnType, Stmt};

use crate::ast::{Body, Function};
use crate::attr::{Args, Attr};

const COUNTER_NAME: &str = "user_actions_total";
const COUNTER_HELP: &str = "Business actions performed, by action type and endpoint.";
const HISTOGRAM_NAME: &str = "function_duration_seconds";
const HISTOGRAM_HELP: &str =
    "Wall time of calls to functions annotated with #[timed], by function, module and outcome.";

/// Expands a checked function. `body` is `Some` after validation.
pub fn expand(args: &Args, function: Function) -> TokenStream {
    let Function {
        attrs,
        vis,
        sig,
        body,
    } = function;
    let Some(Body { inner_attrs, stmts }) = body else {
        unreachable!("validation rejects functions without a body")
    };
    let function_name = sig.ident.unraw().to_string();
    let body = match args.attr {
        Attr::BusinessMetric => count_calls(args, &function_name, stmts),
        Attr::Timed => time_calls(args, &function_name, &sig, &stmts),
    };
    quote! {
        #(#attrs)*
        #vis #sig {
            #(#inner_attrs)*
            #body
        }
    }
}

/// `#[business_metric]`: one counter add when the body starts.
fn count_calls(args: &Args, function_name: &str, stmts: Vec<Stmt>) -> TokenStream {
    let action = args
        .action
        .as_ref()
        .map(syn::LitStr::value)
        .unwrap_or_default();
    let endpoint = args
        .endpoint
        .as_ref()
        .map_or_else(|| function_name.to_owned(), syn::LitStr::value);
    let mut labels = vec![
        ("action_type".to_owned(), quote!(#action)),
        ("endpoint".to_owned(), quote!(#endpoint)),
    ];
    labels.extend(static_labels(args));
    let site = site(
        args,
        (COUNTER_NAME, COUNTER_HELP),
        &labels,
        &quote!(),
        &quote!(::bizmetrics::__private::Storage::Counter(
            &__BIZMETRICS_COUNTER
        )),
    );
    // Items stay first so that `clippy::items_after_statements` stays quiet.
    let (items, rest): (Vec<Stmt>, Vec<Stmt>) = stmts
        .into_iter()
        .partition(|stmt| matches!(stmt, Stmt::Item(_)));
    quote! {
        #(#items)*
        {
            static __BIZMETRICS_CELLS: [::core::sync::atomic::AtomicU64; 1] =
                ::bizmetrics::__private::cells();
            static __BIZMETRICS_COUNTER: ::bizmetrics::__private::Counter =
                ::bizmetrics::__private::Counter::new(&__BIZMETRICS_CELLS);
            #site
            __BIZMETRICS_COUNTER.inc(0);
        }
        #(#rest)*
    }
}

/// `#[timed]`: a drop guard around the body, finished with its outcome.
fn time_calls(
    args: &Args,
    function_name: &str,
    sig: &syn::Signature,
    stmts: &[Stmt],
) -> TokenStream {
    let mut labels = vec![
        ("function".to_owned(), quote!(#function_name)),
        ("module".to_owned(), quote!(::core::module_path!())),
    ];
    labels.extend(static_labels(args));
    let buckets = match &args.buckets {
        Some(buckets) => {
            let bounds = buckets.bounds.iter().map(|bound| {
                let mut literal = Literal::f64_unsuffixed(bound.value);
                literal.set_span(bound.expr.span());
                literal
            });
            let len = buckets.bounds.len();
            quote!(const __BIZMETRICS_BUCKETS: [f64; #len] = [#(#bounds),*];)
        }
        None => quote! {
            const __BIZMETRICS_BUCKETS: [f64; ::bizmetrics::__private::DEFAULT_BUCKETS.len()] =
                ::bizmetrics::__private::DEFAULT_BUCKETS;
        },
    };
    let site = site(
        args,
        (HISTOGRAM_NAME, HISTOGRAM_HELP),
        &labels,
        &quote!(::bizmetrics::__private::OUTCOME),
        &quote!(::bizmetrics::__private::Storage::Histogram(
            &__BIZMETRICS_HISTOGRAM
        )),
    );

    let fake_return = fake_return(&sig.output);
    let result = if sig.asyncness.is_some() {
        quote!(async move { #fake_return #(#stmts)* }.await)
    } else {
        quote!((move || { #fake_return #(#stmts)* })())
    };
    quote! {
        let __bizmetrics_timer = {
            #buckets
            static __BIZMETRICS_CELLS: [
                ::core::sync::atomic::AtomicU64;
                ::bizmetrics::__private::histogram_cells(
                    ::bizmetrics::__private::Outcome::VALUES.len(),
                    __BIZMETRICS_BUCKETS.len(),
                )
            ] = ::bizmetrics::__private::cells();
            static __BIZMETRICS_HISTOGRAM: ::bizmetrics::__private::Histogram =
                ::bizmetrics::__private::Histogram::new(
                    &__BIZMETRICS_BUCKETS,
                    &::bizmetrics::__private::bounds_ns(__BIZMETRICS_BUCKETS),
                    &__BIZMETRICS_CELLS,
                );
            #site
            ::bizmetrics::__private::Timer::start(&__BIZMETRICS_HISTOGRAM, 0)
        };
        #[allow(clippy::redundant_closure_call, unreachable_code)]
        let __bizmetrics_result = #result;
        #[allow(unreachable_code)]
        __bizmetrics_timer.finish({
            use ::bizmetrics::__private::{PlainOutcome as _, ResultOutcome as _};
            (&::bizmetrics::__private::Probe(&__bizmetrics_result)).outcome()
        });
        #[allow(unreachable_code)]
        __bizmetrics_result
    }
}

/// `labels(key = "value")`, as `(name, value expression)`.
fn static_labels(args: &Args) -> impl Iterator<Item = (String, TokenStream)> + '_ {
    args.labels.iter().map(|label| {
        let value = &label.value;
        (label.key.unraw().to_string(), quote!(#value))
    })
}

/// The `static` that registers the call site in the linkme slice.
fn site(
    args: &Args,
    (default_name, default_help): (&str, &str),
    labels: &[(String, TokenStream)],
    dimensions: &TokenStream,
    storage: &TokenStream,
) -> TokenStream {
    let name = args
        .name
        .as_ref()
        .map_or_else(|| default_name.to_owned(), syn::LitStr::value);
    let help = match &args.help {
        Some(help) => quote!(::bizmetrics::__private::Help::Explicit(#help)),
        None => quote!(::bizmetrics::__private::Help::Default(#default_help)),
    };
    let labels = labels.iter().map(|(key, value)| quote!((#key, #value)));
    quote! {
        #[::bizmetrics::__private::linkme::distributed_slice(::bizmetrics::__private::SITES)]
        #[linkme(crate = ::bizmetrics::__private::linkme)]
        static __BIZMETRICS_SITE: ::bizmetrics::__private::Site = ::bizmetrics::__private::Site {
            name: #name,
            help: #help,
            labels: &[#(#labels),*],
            dimensions: &[#dimensions],
            storage: #storage,
            location: ::bizmetrics::__private::Location {
                file: ::core::file!(),
                line: ::core::line!(),
                column: ::core::column!(),
            },
        };
    }
}

/// An unreachable `return` of the declared type, so that the wrapped body
/// is checked against the signature and type errors land in user code, as
/// tracing-attributes does. `impl Trait` cannot be named in a `let`, so
/// those bodies go without.
fn fake_return(output: &ReturnType) -> TokenStream {
    let ReturnType::Type(_, ty) = output else {
        return TokenStream::new();
    };
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

fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}
