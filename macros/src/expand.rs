//! The expansion of a checked function: its call site, then its body run
//! as its shape asks, so that the call is counted, timed and judged.
//!
//! The expansion is kept small, because rustc pays for every item in it:
//! one `static` call site (its cells nested inside it) registered through
//! linkme, a const assertion only where labels come from the call, and the
//! body run in place, in a `FnOnce` closure where its value decides the
//! outcome, or as the future a runtime wrapper polls.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, Pat, ReturnType, Signature, Stmt, Type};

use crate::ast::{Body, Function, is_never, pattern_bindings};
use crate::judge::{fake_return, judge, mentions_impl};
use crate::plan::Plan;
use crate::shape::Shape;
use crate::site::call_site;

/// Expands a checked function. Validation guarantees it has a body.
/// `uses` keeps the imports of attributes fused into this one in use.
pub fn expand(plan: &Plan, function: &Function, uses: &TokenStream) -> TokenStream {
    let Function {
        attrs,
        vis,
        defaultness,
        sig,
        body,
    } = function;
    let Some(Body {
        brace,
        inner_attrs,
        tokens: body,
    }) = body
    else {
        unreachable!("validation rejects functions without a body")
    };
    let site = call_site(plan);
    let counted = plan
        .counter
        .as_ref()
        .map_or_else(|| quote!(0), |c| c.labels.series_index());
    let timed = plan
        .timed
        .as_ref()
        .map_or_else(|| quote!(0), |t| t.labels.series_index());
    let output = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(&**ty),
    };
    let shape = Shape::of(plan, sig, body);
    let mut sig = sig.clone();
    let recorded = match shape {
        Shape::InPlace => in_place(&counted, &timed, plan, output, body),
        Shape::Async { desugared } => {
            let fake_return = output.map(fake_return);
            // Said, not left to inference: a worker's body that only loops
            // gives its future no output type of its own.
            let unit = syn::parse_quote!(());
            let judge = judge(plan, Some(output.unwrap_or(&unit)));
            if desugared {
                let keep_alive = desugar(&mut sig);
                let future = quote!(async move { #keep_alive #fake_return { #body } });
                quote! {
                    ::bizmetrics::__private_0_1::Instrumented::new(
                        &__BIZMETRICS_SITE, #counted, #timed, #future, #judge,
                    )
                }
            } else {
                let future = quote!(async move { #fake_return { #body } });
                quote! {
                    ::bizmetrics::__private_0_1::Instrumented::new(
                        &__BIZMETRICS_SITE, #counted, #timed, #future, #judge,
                    ).await
                }
            }
        }
        Shape::AsyncNever => {
            // `!` cannot name a future's output on stable Rust; `Infallible`
            // can, and a body of type `!` coerces to it.
            let never = syn::parse_quote!(::core::convert::Infallible);
            let judge = judge(plan, Some(&never));
            quote! {
                match ::bizmetrics::__private_0_1::Instrumented::new(
                    &__BIZMETRICS_SITE, #counted, #timed, async move { #body }, #judge,
                ).await {}
            }
        }
        Shape::ReturnedFuture { output: future } => {
            returned_future(plan, output, future, body, &counted, &timed)
        }
        Shape::Closure => {
            let judge = judge(plan, output);
            let closure_output = output
                .filter(|ty| !mentions_impl(ty.to_token_stream()))
                .map(|ty| quote!(-> #ty));
            // Spanned on the signature, where rustc then points when it
            // describes the closure, such as "this function returns a `Result`".
            let closure = quote_spanned!(sig.span()=> move || #closure_output { #body });
            quote! {
                ::bizmetrics::__private_0_1::CallSite::run(
                    &__BIZMETRICS_SITE, #counted, #timed, #closure, #judge,
                )
            }
        }
    };
    let mut block = Group::new(
        Delimiter::Brace,
        quote!(#(#inner_attrs)* #uses #site #recorded),
    );
    block.set_span(body_span(&sig, brace.span.join()));
    quote!(#(#attrs)* #vis #defaultness #sig #block)
}

/// Where the body's braces are: the user's, except for the methods whose
/// body clippy judges by its shape (`non_canonical_clone_impl` and
/// `non_canonical_partial_ord_impl` want `*self` and `Some(self.cmp(other))`),
/// which the recording changes. Those braces stay where the user wrote them
/// but are marked as the macro's, so clippy leaves the body alone. An
/// `#[allow]` on the method would not do: clippy reads the lint level at
/// the `impl` block, which a method's attribute cannot reach. Only those
/// signatures: a function whose braces are the macro's is no longer
/// reported as dead code, and `#[expect(dead_code)]` on it would go
/// unfulfilled.
fn body_span(sig: &Signature, braces: Span) -> Span {
    let judged_by_shape = [("clone", 1), ("clone_from", 2), ("partial_cmp", 2)];
    let shaped = judged_by_shape
        .iter()
        .any(|(name, inputs)| sig.ident == name && sig.inputs.len() == *inputs);
    if shaped && sig.receiver().is_some() {
        Span::call_site().located_at(braces)
    } else {
        braces
    }
}

/// Turns `async fn f(..) -> T` into `fn f(..) -> impl Future<Output = T>`,
/// so that rustc compiles one state machine, the body's, not a second one
/// around it: a third of the cost of an annotated handler. Returns the
/// statements that move every parameter into the body's future, as the
/// `async fn` did, so that a guard passed in lives until the call ends.
///
/// The `impl` token is spanned at the macro's own site, whose edition
/// (2024) captures every lifetime in scope, as the `async fn` did.
fn desugar(sig: &mut Signature) -> TokenStream {
    sig.asyncness = None;
    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    let future = quote_spanned!(Span::mixed_site()=> impl ::core::future::Future<Output = #output>);
    sig.output = syn::parse_quote!(-> #future);
    let mut kept = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                let token = receiver.self_token;
                kept.push(quote!(#token));
            }
            FnArg::Typed(typed) => {
                if let Pat::Wild(wild) = &*typed.pat {
                    let name = format_ident!("__bizmetrics_arg{}", index, span = wild.span());
                    *typed.pat = syn::parse_quote!(#name);
                }
                let mut names = Vec::new();
                pattern_bindings(&typed.pat, &mut names);
                kept.extend(names.iter().map(ToTokens::to_token_stream));
            }
        }
    }
    // Mentioned last to first, so that they drop last to first, as an
    // `async fn`'s parameters do.
    kept.reverse();
    quote!(#(let _ = &#kept;)*)
}

/// The body in place, behind a count or a guard that records `ok` when it
/// returns and `panic` when it unwinds.
///
/// Where the body falls through, the guard is finished there, in this
/// function, where the call site is a constant and the recording folds to
/// what this site needs; dropped on an early `return` or an unwind, it goes
/// through the runtime's one copy for every site. The body's value is kept
/// in a `let` of the declared type, so that a type error in it is still
/// reported in the body, against the signature. A body that never falls
/// through makes the rest unreachable, which is no fault of the user's.
/// Where the type cannot be written (`impl Trait`) or there is no value
/// (`!`), the guard's drop records the call.
fn in_place(
    counted: &TokenStream,
    timed: &TokenStream,
    plan: &Plan,
    output: Option<&Type>,
    body: &TokenStream,
) -> TokenStream {
    if plan.timed.is_some() {
        let start = quote! {
            let __bizmetrics_call =
                ::bizmetrics::__private_0_1::Call::start(&__BIZMETRICS_SITE, #counted, #timed);
        };
        let finish = quote! {
            #[allow(unreachable_code)]
            ::bizmetrics::__private_0_1::Call::finish(
                __bizmetrics_call, ::bizmetrics::__private_0_1::Outcome::Ok, 0,
            );
        };
        match output {
            None => quote!(#start { #body } #finish),
            Some(ty) if is_never(ty) => quote!(#start { #body }),
            Some(ty) if mentions_impl(ty.to_token_stream()) => quote!(#start { #body }),
            Some(ty) => quote! {
                #start
                #[allow(clippy::diverging_sub_expression)]
                let __bizmetrics_value: #ty = { #body };
                #finish
                __bizmetrics_value
            },
        }
    } else {
        quote! {
            ::bizmetrics::__private_0_1::CallSite::count(&__BIZMETRICS_SITE, #counted);
            { #body }
        }
    }
}

/// A function that returns a future rather than being `async`: the future
/// is wrapped, so it is timed and judged, not the building of it. A tail
/// `async` block (as `#[async_trait]` and `Box::pin(async move ..)` write)
/// is wrapped where it stands; any other future after it is returned.
fn returned_future(
    plan: &Plan,
    output: Option<&Type>,
    future_output: Option<&Type>,
    body: &TokenStream,
    counted: &TokenStream,
    timed: &TokenStream,
) -> TokenStream {
    let judge = judge(plan, future_output);
    let wrap = |future: TokenStream| {
        quote! {
            ::bizmetrics::__private_0_1::Instrumented::new(
                &__BIZMETRICS_SITE, __bizmetrics_series.0, __bizmetrics_series.1, #future, #judge,
            )
        }
    };
    let future = match with_tail_async_block(body, |block| wrap(block.to_token_stream())) {
        Some(stmts) => quote!({ #(#stmts)* }),
        None => {
            let closure_output = output
                .filter(|ty| !mentions_impl(ty.to_token_stream()))
                .map(|ty| quote!(-> #ty));
            let body =
                quote!(::bizmetrics::__private_0_1::call_once(move || #closure_output { #body }));
            let future = wrap(body);
            if output.is_some_and(|ty| !matches!(ty, Type::ImplTrait(_))) {
                quote!(::std::boxed::Box::pin(#future))
            } else {
                future
            }
        }
    };
    quote! {
        let __bizmetrics_series = (#counted, #timed);
        let __bizmetrics_building = ::bizmetrics::__private_0_1::CallSite::building(
            &__BIZMETRICS_SITE, __bizmetrics_series.0, __bizmetrics_series.1,
        );
        let __bizmetrics_future = #future;
        __bizmetrics_building.built();
        __bizmetrics_future
    }
}

/// The body's statements with the `async` block in its tail wrapped: a
/// tail `async { .. }`, `Box::pin(async { .. })` or `async { .. }.boxed()`.
/// `None` when the body does not parse or has no such tail.
fn with_tail_async_block(
    body: &TokenStream,
    wrap: impl FnOnce(&Expr) -> TokenStream,
) -> Option<Vec<TokenStream>> {
    let stmts = syn::parse::Parser::parse2(syn::Block::parse_within, body.clone()).ok()?;
    let (last, rest) = stmts.split_last()?;
    let Stmt::Expr(tail, None) = last else {
        return None;
    };
    let wrapped = match tail {
        Expr::Async(_) => wrap(tail),
        Expr::Call(call)
            if call.args.len() == 1
                && matches!(call.args[0], Expr::Async(_))
                && call.func.to_token_stream().to_string().ends_with("pin") =>
        {
            let func = &call.func;
            let block = wrap(&call.args[0]);
            quote!(#func(#block))
        }
        Expr::MethodCall(call)
            if call.args.is_empty()
                && matches!(*call.receiver, Expr::Async(_))
                && (call.method == "boxed" || call.method == "boxed_local") =>
        {
            let method = &call.method;
            let block = wrap(&call.receiver);
            quote!(#block.#method())
        }
        _ => return None,
    };
    let mut tokens: Vec<TokenStream> = rest.iter().map(ToTokens::to_token_stream).collect();
    tokens.push(wrapped);
    Some(tokens)
}
