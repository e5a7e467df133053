//! Code generation: the user's function with one call site wired in.
//!
//! The expansion is kept small, because rustc pays for every item in it:
//! one `static` call site (its cells nested inside it) registered through
//! linkme, a const assertion only where labels come from the call, and the
//! body run in place, in a `FnOnce` closure where its value decides the
//! outcome, or as the future a runtime wrapper polls.

use proc_macro2::{Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{
    Expr, FnArg, GenericArgument, Pat, PathArguments, ReturnType, Signature, Stmt, Type,
    TypeParamBound,
};

use bizmetrics_facts::Severity;

use crate::ast::{Body, Function, pattern_bindings};
use crate::plan::{AlertPlan, Condition, CounterPlan, Dimension, Labels, Plan, TimedPlan};

const COUNTER_HELP: &str = "Business actions performed, by action type and endpoint.";
const HISTOGRAM_HELP: &str =
    "Wall time of calls to functions annotated with #[timed], by function, module and outcome.";
const ERRORS_HELP: &str = "Calls to functions annotated with #[timed(errors)] that returned Err.";
const IN_FLIGHT_HELP: &str = "Calls under way to functions annotated with #[timed(in_flight)].";
const SLOW_HELP: &str =
    "Calls to functions annotated with #[timed(slow)] that took longer than their threshold.";

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
        .map_or_else(|| quote!(0), |c| series(&c.labels));
    let timed = plan
        .timed
        .as_ref()
        .map_or_else(|| quote!(0), |t| series(&t.labels));
    let output = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(&**ty),
    };
    let needs_outcome = plan.timed.is_some() || needs_fallible(plan);
    let mut sig = sig.clone();
    let recorded = if sig.asyncness.is_some() {
        if needs_outcome {
            let fake_return = output.map(fake_return);
            let judge = judge(plan, output);
            if plan.keep_async || !desugarable(&sig, body) {
                let future = quote!(async move { #fake_return { #body } });
                quote! {
                    ::bizmetrics::__private_0_1::Instrumented::new(
                        &__BIZMETRICS_SITE, #counted, #timed, #future, #judge,
                    ).await
                }
            } else {
                let keep_alive = desugar(&mut sig);
                let future = quote!(async move { #keep_alive #fake_return { #body } });
                quote! {
                    ::bizmetrics::__private_0_1::Instrumented::new(
                        &__BIZMETRICS_SITE, #counted, #timed, #future, #judge,
                    )
                }
            }
        } else {
            in_place(&counted, &timed, plan, body)
        }
    } else if let Some(future) = output.and_then(future_output) {
        returned_future(plan, output, future.output, body, &counted, &timed)
    } else if needs_fallible(plan) || output.is_some_and(may_be_result) {
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
    } else {
        in_place(&counted, &timed, plan, body)
    };
    let mut block = TokenStream::new();
    brace.surround(&mut block, |block| {
        block.extend(quote!(#(#inner_attrs)* #uses #site #recorded));
    });
    quote!(#(#attrs)* #vis #defaultness #sig #block)
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

/// Whether `desugar` keeps the `async fn`'s meaning exactly: no parameter
/// binds by `ref` (the future would borrow a local of the call), and every
/// named one is mentioned in the body or starts with `_`, so that moving
/// them all into the future (to drop them when it ends, in reverse order, as
/// the `async fn` did) is no use that an unused-variable warning would miss.
fn desugarable(sig: &Signature, body: &TokenStream) -> bool {
    fn idents(tokens: &TokenStream, found: &mut std::collections::HashSet<String>) {
        for token in tokens.clone() {
            match token {
                TokenTree::Ident(ident) => {
                    found.insert(ident.to_string());
                }
                TokenTree::Group(group) => idents(&group.stream(), found),
                _ => {}
            }
        }
    }
    let mut mentioned = std::collections::HashSet::new();
    idents(body, &mut mentioned);
    sig.inputs.iter().all(|input| {
        let FnArg::Typed(typed) = input else {
            return true;
        };
        let mut names = Vec::new();
        if by_ref(&typed.pat) {
            return false;
        }
        pattern_bindings(&typed.pat, &mut names);
        names.iter().all(|name| {
            let name = name.to_string();
            name.starts_with('_') || mentioned.contains(&name)
        })
    })
}

/// Whether a pattern binds anything by `ref` or `ref mut`.
fn by_ref(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(pat) => {
            pat.by_ref.is_some() || pat.subpat.as_ref().is_some_and(|(_, p)| by_ref(p))
        }
        Pat::TupleStruct(pat) => pat.elems.iter().any(by_ref),
        Pat::Tuple(pat) => pat.elems.iter().any(by_ref),
        Pat::Struct(pat) => pat.fields.iter().any(|f| by_ref(&f.pat)),
        Pat::Reference(pat) => by_ref(&pat.pat),
        Pat::Type(pat) => by_ref(&pat.pat),
        Pat::Slice(pat) => pat.elems.iter().any(by_ref),
        Pat::Or(pat) => pat.cases.iter().any(by_ref),
        _ => false,
    }
}

/// Whether `count = "ok"` or `errors` needs the function to return a `Result`.
fn needs_fallible(plan: &Plan) -> bool {
    plan.counter.as_ref().is_some_and(|c| c.count_ok.is_some())
        || plan.timed.as_ref().is_some_and(|t| t.errors.is_some())
}

/// The body in place, behind a count or a guard that records `ok` when it
/// returns and `panic` when it unwinds.
fn in_place(
    counted: &TokenStream,
    timed: &TokenStream,
    plan: &Plan,
    body: &TokenStream,
) -> TokenStream {
    if plan.timed.is_some() {
        quote! {
            let __bizmetrics_call =
                ::bizmetrics::__private_0_1::Call::start(&__BIZMETRICS_SITE, #counted, #timed);
            { #body }
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

/// A returned future's output type, where the signature names it.
struct ReturnedFuture<'a> {
    output: Option<&'a Type>,
}

/// Whether a return type is a future: `impl Future<Output = T>`, a
/// `Pin<Box<dyn Future<Output = T> + Send>>`, or a `BoxFuture<'_, T>` or
/// `LocalBoxFuture<'_, T>` alias.
fn future_output(ty: &Type) -> Option<ReturnedFuture<'_>> {
    match ty {
        Type::ImplTrait(bounds) => future_bound(bounds.bounds.iter()),
        Type::Path(path) => {
            let last = path.path.segments.last()?;
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            if last.ident == "BoxFuture" || last.ident == "LocalBoxFuture" {
                let output = args.args.iter().rev().find_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                });
                return Some(ReturnedFuture { output });
            }
            if last.ident != "Pin" {
                return None;
            }
            let Some(GenericArgument::Type(Type::Path(boxed))) = args.args.first() else {
                return None;
            };
            let boxed = boxed.path.segments.last()?;
            let PathArguments::AngleBracketed(inner) = &boxed.arguments else {
                return None;
            };
            match (boxed.ident == "Box", inner.args.first()) {
                (true, Some(GenericArgument::Type(Type::TraitObject(object)))) => {
                    future_bound(object.bounds.iter())
                }
                _ => None,
            }
        }
        Type::Group(group) => future_output(&group.elem),
        Type::Paren(paren) => future_output(&paren.elem),
        _ => None,
    }
}

fn future_bound<'a>(
    mut bounds: impl Iterator<Item = &'a TypeParamBound>,
) -> Option<ReturnedFuture<'a>> {
    bounds.find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return Some(ReturnedFuture { output: None });
        };
        let output = args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(&assoc.ty),
            _ => None,
        });
        Some(ReturnedFuture { output })
    })
}

/// Whether a value of this type could be a `Result`, through an alias
/// included. Types that are plainly something else run in place.
fn may_be_result(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return true;
            };
            let plain = [
                "Option", "Vec", "String", "Box", "bool", "char", "str", "u8", "u16", "u32", "u64",
                "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
            ];
            !plain.iter().any(|name| last.ident == name)
        }
        Type::Group(group) => may_be_result(&group.elem),
        Type::Paren(paren) => may_be_result(&paren.elem),
        // `<T as Trait>::Out` may well be a `Result`, as may a macro's type.
        Type::Path(_) | Type::Macro(_) | Type::Verbatim(_) => true,
        // References, tuples, `!`, slices, arrays, pointers, `impl Trait`
        // (whose outcome is opaque, hence `ok`) and trait objects.
        _ => false,
    }
}

/// `|value| (outcome, error kind)`, read from the value a call returned.
fn judge(plan: &Plan, output: Option<&Type>) -> TokenStream {
    // Resolved at the function, like the spans of arguments that come from
    // a `defaults!` set, so that one name meets the other.
    let value = proc_macro2::Ident::new("__bizmetrics_value", plan.anchor);
    let value = quote!(#value);
    let param = match output.filter(|ty| !mentions_impl(ty.to_token_stream())) {
        Some(ty) => quote!(#value: &#ty),
        None => value.clone(),
    };
    let errors = plan.timed.as_ref().and_then(|t| t.errors.as_ref());
    let count_ok = plan.counter.as_ref().and_then(|c| c.count_ok);
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
fn fake_return(ty: &Type) -> TokenStream {
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

/// The index of this call's series, from its label values' ordinals.
fn series(labels: &Labels) -> TokenStream {
    match labels.dimensions.as_slice() {
        [] => quote!(0),
        [only] => {
            let (value_type, value) = (dimension_trait(only), &only.value);
            quote!(#value_type::ordinal(&(#value)))
        }
        dimensions => {
            let steps = dimensions.iter().map(|d| {
                let (value_type, value) = (dimension_trait(d), &d.value);
                quote! {
                    __bizmetrics_series = __bizmetrics_series * #value_type::CARDINALITY
                        + #value_type::ordinal(&(#value));
                }
            });
            quote!({
                let mut __bizmetrics_series: usize = 0;
                #(#steps)*
                __bizmetrics_series
            })
        }
    }
}

/// `<T as LabelValue>`, or `<T as LabelGroup>` for a group.
fn dimension_trait(dimension: &Dimension) -> TokenStream {
    if dimension.group {
        let ty = &dimension.ty;
        quote_spanned!(ty.span()=> <#ty as ::bizmetrics::__private_0_1::LabelGroup>)
    } else {
        label_value(&dimension.ty)
    }
}

/// `<T as LabelValue>`, spanned on `T` so that an unbounded type's error
/// lands on it.
fn label_value(ty: &impl ToTokens) -> TokenStream {
    let ty = ty.to_token_stream();
    quote_spanned!(ty.span()=> <#ty as ::bizmetrics::__private_0_1::LabelValue>)
}

/// A number of cells: a literal when every factor is known here, so most
/// call sites give rustc no constant to evaluate.
#[derive(Clone)]
enum Size {
    Known(usize),
    Const(TokenStream),
}

impl Size {
    fn of(labels: &Labels) -> Size {
        labels.dimensions.iter().fold(Size::Known(1), |size, d| {
            let value_type = dimension_trait(d);
            size.times(&Size::Const(quote!(#value_type::CARDINALITY)))
        })
    }

    fn times(&self, other: &Size) -> Size {
        match (self, other) {
            (Size::Known(a), Size::Known(b)) => Size::Known(a * b),
            _ => Size::Const(quote!((#self * #other))),
        }
    }

    fn plus(&self, other: &Size) -> Size {
        match (self, other) {
            (Size::Known(a), Size::Known(b)) => Size::Known(a + b),
            _ => Size::Const(quote!((#self + #other))),
        }
    }
}

impl ToTokens for Size {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Size::Known(n) => Literal::usize_unsuffixed(*n).to_tokens(tokens),
            Size::Const(expr) => expr.to_tokens(tokens),
        }
    }
}

/// The call site's static: cells laid out as the counter's series, then
/// the histogram's, errors', in-flight and slow series.
fn call_site(plan: &Plan) -> TokenStream {
    let mut layout = Layout {
        metrics: Vec::new(),
        limits: Vec::new(),
        next: Size::Known(0),
    };
    let count = plan
        .counter
        .as_ref()
        .map_or_else(|| quote!(Never), |counter| layout.counter(counter));
    let timed = plan.timed.as_ref().map_or_else(
        || quote!(::core::option::Option::None),
        |timed| layout.timed(timed, &plan.function),
    );
    let Layout {
        metrics,
        limits,
        next,
    } = layout;
    let function = &plan.function;
    // A method of an annotated `impl` block is a call site of its own: at
    // its name, not at the block's attribute, where `line!()` would point.
    let (line, column) = match plan.location {
        Some(start) => {
            let number = |n: usize| Literal::u32_unsuffixed(u32::try_from(n).unwrap_or(u32::MAX));
            let (line, column) = (number(start.line), number(start.column + 1));
            (quote!(#line), quote!(#column))
        }
        None => (quote!(::core::line!()), quote!(::core::column!())),
    };
    let cells_len = match &next {
        Size::Known(n) => {
            Size::Known(n.div_ceil(CELLS_PER_LINE_PAIR) * CELLS_PER_LINE_PAIR * STRIPES)
        }
        Size::Const(_) => Size::Const(quote!(::bizmetrics::__private_0_1::striped_len(#next))),
    };
    let native_cells = plan.timed.as_ref().and_then(|timed| {
        let schema = timed.native?;
        let rows = Size::of(&timed.labels).times(&Size::Known(4 * native_cells_per_series(schema)));
        Some(quote! {
            static __BIZMETRICS_NATIVE: ::bizmetrics::__private_0_1::Cells<{ #rows }> =
                ::bizmetrics::__private_0_1::Cells::new();
        })
    });
    quote! {
        #native_cells
        #[::bizmetrics::__private_0_1::linkme::distributed_slice(::bizmetrics::__private_0_1::SITES)]
        #[linkme(crate = ::bizmetrics::__private_0_1::linkme)]
        static __BIZMETRICS_SITE: ::bizmetrics::__private_0_1::CallSite = ::bizmetrics::__private_0_1::CallSite {
            cells: {
                #(#limits)*
                static __BIZMETRICS_CELLS: ::bizmetrics::__private_0_1::Cells<{ #cells_len }> =
                    ::bizmetrics::__private_0_1::Cells::new();
                &__BIZMETRICS_CELLS.0
            },
            count: ::bizmetrics::__private_0_1::Count::#count,
            timed: #timed,
            metrics: &[#(#metrics),*],
            exemplars: {
                static __BIZMETRICS_EXEMPLARS: ::bizmetrics::__private_0_1::ExemplarSlots =
                    ::bizmetrics::__private_0_1::ExemplarSlots::new();
                &__BIZMETRICS_EXEMPLARS
            },
            function: #function,
            location: ::bizmetrics::__private_0_1::Location {
                file: ::core::file!(),
                line: #line,
                column: #column,
            },
        };
    }
}

/// The metrics of a call site, placed one after another in its cells.
struct Layout {
    metrics: Vec<TokenStream>,
    /// The series-limit assertions.
    limits: Vec<TokenStream>,
    /// The first free cell.
    next: Size,
}

impl Layout {
    /// Places `cells` cells for one metric; returns where they start.
    fn place(&mut self, metric: &MetricTokens<'_>, cells: &Size) -> Size {
        let offset = self.next.clone();
        self.metrics.push(self::metric(metric, &offset));
        self.next = self.next.plus(cells);
        offset
    }

    /// `#[business_metric]`'s counter; returns when it counts.
    fn counter(&mut self, counter: &CounterPlan) -> TokenStream {
        self.limits.push(limit(&counter.name, &counter.labels, &[]));
        self.limits
            .push(unique_names(&counter.labels, &["action_type", "endpoint"]));
        let (action, endpoint) = (&counter.action, &counter.endpoint);
        let mut labels = vec![
            quote!(("action_type", #action)),
            quote!(("endpoint", #endpoint)),
        ];
        labels.extend(fixed(&counter.labels));
        let funnel = match &counter.funnel {
            Some((funnel, step)) => quote! {
                ::core::option::Option::Some(::bizmetrics::__private_0_1::FunnelStep {
                    funnel: #funnel, action: #action, step: #step,
                })
            },
            None => quote!(::core::option::Option::None),
        };
        let metric = MetricTokens {
            name: &counter.name,
            help: help(counter.help.as_ref(), COUNTER_HELP),
            kind: quote!(Counter),
            role: quote!(Actions),
            labels,
            dimensions: dimensions(&counter.labels, &[]),
            funnel,
            alerts: alerts(&counter.alerts),
            objectives: objectives(&counter.alerts),
        };
        self.place(&metric, &Size::of(&counter.labels));
        if counter.count_ok.is_some() {
            quote!(OnOk)
        } else {
            quote!(OnStart)
        }
    }

    /// `#[timed]`'s histogram and extra metrics; returns its `Timed` plan.
    fn timed(&mut self, timed: &TimedPlan, function: &str) -> TokenStream {
        let series = Size::of(&timed.labels);
        let mut labels = vec![
            quote!(("function", #function)),
            quote!(("module", ::core::module_path!())),
        ];
        labels.extend(fixed(&timed.labels));
        let (buckets, bounds_ns, stride) = buckets(timed.buckets.as_deref());
        self.limits
            .push(limit(&timed.name, &timed.labels, &[("outcome", 4)]));
        let own: &[&str] = if timed.errors.as_ref().is_some_and(|e| e.kind.is_some()) {
            &["function", "module", "outcome", "kind"]
        } else {
            &["function", "module", "outcome"]
        };
        self.limits.push(unique_names(&timed.labels, own));
        let metric = |name, help_text, kind, role, dims: &[(&str, TokenStream)]| MetricTokens {
            name,
            help: help(None, help_text),
            kind,
            role,
            labels: labels.clone(),
            dimensions: dimensions(&timed.labels, dims),
            funnel: quote!(::core::option::Option::None),
            alerts: quote!(&[]),
            objectives: quote!(&[]),
        };
        let native = timed.native.map(native);
        let native_kind = match &native {
            Some(native) => quote!(::core::option::Option::Some(#native)),
            None => quote!(::core::option::Option::None),
        };
        let kind = quote!(Histogram { buckets: #buckets, native: #native_kind });
        let histogram = MetricTokens {
            help: help(timed.help.as_ref(), HISTOGRAM_HELP),
            alerts: alerts(&timed.alerts),
            objectives: objectives(&timed.alerts),
            ..metric(
                &timed.name,
                "",
                kind,
                quote!(Duration),
                &[("outcome", quote!(::bizmetrics::__private_0_1::Outcome))],
            )
        };
        let histogram = self.place(&histogram, &series.times(&Size::Known(4 * stride)));
        let none = quote!(::core::option::Option::None);
        let errors = timed.errors.as_ref().map_or_else(
            || none.clone(),
            |errors| {
                let (kinds, dims) = match &errors.kind {
                    Some(kind) => {
                        let value_type = label_value(kind);
                        let kinds = Size::Const(quote!(#value_type::CARDINALITY));
                        (kinds, vec![("kind", kind.to_token_stream())])
                    }
                    None => (Size::Known(1), Vec::new()),
                };
                let metric = metric(
                    &errors.name,
                    ERRORS_HELP,
                    quote!(Counter),
                    quote!(Errors),
                    &dims,
                );
                let offset = self.place(&metric, &series.times(&kinds));
                some(&quote!(ErrorCells { offset: #offset, kinds: #kinds }))
            },
        );
        let in_flight = timed.in_flight.as_ref().map_or_else(
            || none.clone(),
            |name| {
                let gauge = metric(name, IN_FLIGHT_HELP, quote!(Gauge), quote!(InFlight), &[]);
                let offset = self.place(&gauge, &series);
                quote!(::core::option::Option::Some(#offset))
            },
        );
        let slow = timed.slow.as_ref().map_or_else(
            || none.clone(),
            |(name, threshold_ns)| {
                let counter = metric(name, SLOW_HELP, quote!(Counter), quote!(Slow), &[]);
                let offset = self.place(&counter, &series);
                some(&quote!(SlowCells { offset: #offset, threshold_ns: #threshold_ns }))
            },
        );
        let native = native.map_or(none, |native| quote!(::core::option::Option::Some(#native)));
        quote! {
            ::core::option::Option::Some(::bizmetrics::__private_0_1::Timed {
                histogram: #histogram,
                bounds_ns: #bounds_ns,
                errors: #errors,
                in_flight: #in_flight,
                slow: #slow,
                native: #native,
            })
        }
    }
}

/// The histogram's bounds in seconds and in nanoseconds, and the cells
/// each series takes: as given, or the runtime's defaults.
fn buckets(given: Option<&[f64]>) -> (TokenStream, TokenStream, usize) {
    match given {
        Some(bounds) => {
            let seconds = bounds.iter().map(|b| Literal::f64_unsuffixed(*b));
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let ns = bounds
                .iter()
                .map(|b| Literal::u64_unsuffixed((b * 1e9 + 0.5) as u64));
            (
                quote!(&[#(#seconds),*]),
                quote!(&[#(#ns),*]),
                bounds.len() + 2,
            )
        }
        None => (
            quote!(&::bizmetrics::__private_0_1::DEFAULT_BUCKETS),
            quote!(&::bizmetrics::__private_0_1::DEFAULT_BOUNDS_NS),
            DEFAULT_BUCKET_COUNT + 2,
        ),
    }
}

/// `Some(runtime::#value)`.
fn some(value: &TokenStream) -> TokenStream {
    quote!(::core::option::Option::Some(::bizmetrics::__private_0_1::#value))
}

/// A native histogram at `schema`. Its cells are a static of their own,
/// not striped: `call_site` declares it, one row per series and outcome.
fn native(schema: u8) -> TokenStream {
    quote!(::bizmetrics::__private_0_1::NativeCells { cells: &__BIZMETRICS_NATIVE.0, schema: #schema })
}

/// The runtime's `DEFAULT_BUCKETS.len()`.
const DEFAULT_BUCKET_COUNT: usize = 11;

/// The runtime's `native::cells_per_series`: the zero bucket and 27
/// powers of two, each split in `2^schema`.
const fn native_cells_per_series(schema: u8) -> usize {
    1 + (27 << schema)
}
/// The runtime's cell layout: stripes, and cells per 128 bytes.
const STRIPES: usize = 8;
const CELLS_PER_LINE_PAIR: usize = 16;

struct MetricTokens<'a> {
    name: &'a str,
    help: TokenStream,
    kind: TokenStream,
    role: TokenStream,
    labels: Vec<TokenStream>,
    dimensions: TokenStream,
    funnel: TokenStream,
    alerts: TokenStream,
    objectives: TokenStream,
}

fn metric(m: &MetricTokens<'_>, offset: &Size) -> TokenStream {
    let MetricTokens {
        name,
        help,
        kind,
        role,
        labels,
        dimensions,
        funnel,
        alerts,
        objectives,
    } = m;
    quote! {
        ::bizmetrics::__private_0_1::Metric {
            name: #name,
            help: #help,
            kind: ::bizmetrics::__private_0_1::MetricKind::#kind,
            role: ::bizmetrics::__private_0_1::Role::#role,
            offset: #offset,
            labels: &[#(#labels),*],
            dimensions: #dimensions,
            funnel: #funnel,
            alerts: #alerts,
            objectives: #objectives,
        }
    }
}

fn help(given: Option<&syn::LitStr>, default: &str) -> TokenStream {
    match given {
        Some(help) => quote!(::bizmetrics::__private_0_1::Help::Explicit(#help)),
        None => quote!(::bizmetrics::__private_0_1::Help::Default(#default)),
    }
}

fn fixed(labels: &Labels) -> impl Iterator<Item = TokenStream> + '_ {
    labels
        .fixed
        .iter()
        .map(|(key, value)| quote!((#key, #value)))
}

/// `&[&[Dimension, ...], ...]`: the call's labels, each a list of one or a
/// group's fields, then `extra` `(name, type)` pairs, which vary fastest.
/// Literals, not a generic `fn` bounded on `LabelValue`: an unbounded `T`
/// then gets one error, not two.
fn dimensions(labels: &Labels, extra: &[(&str, TokenStream)]) -> TokenStream {
    let single = |name: &str, ty: &TokenStream| {
        let value_type = label_value(ty);
        quote! {
            &[::bizmetrics::__private_0_1::Dimension {
                name: #name,
                cardinality: #value_type::CARDINALITY,
                label: #value_type::label,
            }]
        }
    };
    let own = labels.dimensions.iter().map(|d| {
        if d.group {
            let group = dimension_trait(d);
            quote!(#group::DIMENSIONS)
        } else {
            single(&d.name, &d.ty.to_token_stream())
        }
    });
    let extra = extra.iter().map(|(name, ty)| {
        if *name == "outcome" {
            // The same for every histogram: one constant in the runtime.
            return quote!(::bizmetrics::__private_0_1::OUTCOME);
        }
        single(name, ty)
    });
    let all: Vec<TokenStream> = own.chain(extra).collect();
    quote!(&[#(#all),*])
}

/// A compile-time check that no field of a label group repeats a name the
/// metric already has: `own` are the attribute's and the single labels'.
fn unique_names(labels: &Labels, own: &[&str]) -> TokenStream {
    let groups: Vec<&Dimension> = labels.dimensions.iter().filter(|d| d.group).collect();
    if groups.is_empty() {
        return TokenStream::new();
    }
    let names = own
        .iter()
        .map(|name| (*name).to_owned())
        .chain(labels.fixed.iter().map(|(name, _)| name.clone()))
        .chain(
            labels
                .dimensions
                .iter()
                .filter(|d| !d.group)
                .map(|d| d.name.clone()),
        );
    let names: Vec<String> = names.collect();
    let lists = groups.iter().map(|group| {
        let group = dimension_trait(group);
        quote!(#group::DIMENSIONS)
    });
    let span = groups[0].ty.span();
    let message = format!(
        "a field of label group `{}` is named like a label the metric already has ({}), or like a field of another group; rename it with `#[label(rename = \"...\")]`",
        groups[0].ty.to_token_stream(),
        names.join(", ")
    );
    quote_spanned! {span=>
        const _: () = ::core::assert!(
            !::bizmetrics::__private_0_1::names_repeat(&[#(#names),*], &[#(#lists),*]),
            #message
        );
    }
}

/// A compile-time check that a metric's label combinations at this call
/// site stay within `MAX_SERIES`; only labels from the call can break it.
fn limit(name: &str, labels: &Labels, extra: &[(&str, usize)]) -> TokenStream {
    if labels.dimensions.is_empty() {
        return TokenStream::new();
    }
    let size = extra.iter().fold(Size::of(labels), |size, &(_, n)| {
        size.times(&Size::Known(n))
    });
    let names: Vec<String> = labels
        .dimensions
        .iter()
        .map(|d| {
            if d.group {
                format!("{} ({})", d.name, d.ty.to_token_stream())
            } else {
                d.name.clone()
            }
        })
        .chain(extra.iter().map(|&(name, _)| name.to_owned()))
        .collect();
    let message = format!(
        "metric `{name}` has {} label combinations at this call site, more than bizmetrics::MAX_SERIES allows",
        names.join(" × ")
    );
    quote! {
        const _: () = ::core::assert!(#size <= ::bizmetrics::__private_0_1::MAX_SERIES, #message);
    }
}

/// `&[Alert, ...]`: one alert per `alert(...)` condition.
fn alerts(alerts: &[AlertPlan]) -> TokenStream {
    let alerts = alerts.iter().filter_map(|alert| {
        let condition = match alert.condition {
            Condition::Below(below) => quote!(Below(#below)),
            Condition::Latency { quantile, seconds } => {
                let quantile = proc_macro2::Ident::new(quantile, proc_macro2::Span::call_site());
                quote! {
                    Latency {
                        quantile: ::bizmetrics::__private_0_1::Quantile::#quantile,
                        seconds: #seconds,
                    }
                }
            }
            Condition::ErrorRatio(ratio) => quote!(ErrorRatio(#ratio)),
            Condition::Availability { .. } | Condition::LatencyObjective { .. } => return None,
        };
        let optional = |text: &Option<String>| match text {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        let AlertPlan {
            per_ms,
            for_ms,
            severity,
            ..
        } = alert;
        let severity = severity_tokens(severity);
        let (name, summary, description) = (
            optional(&alert.name),
            optional(&alert.summary),
            optional(&alert.description),
        );
        Some(quote! {
            ::bizmetrics::__private_0_1::Alert {
                condition: ::bizmetrics::__private_0_1::AlertCondition::#condition,
                per_ms: #per_ms,
                for_ms: #for_ms,
                severity: ::bizmetrics::__private_0_1::Severity::#severity,
                name: #name,
                summary: #summary,
                description: #description,
            }
        })
    });
    quote!(&[#(#alerts),*])
}

/// The variant of `Severity` whose label value is `name`.
fn severity_tokens(name: &str) -> TokenStream {
    let known = [Severity::Page, Severity::Ticket, Severity::Warning];
    match known.into_iter().find(|severity| severity.name() == name) {
        Some(Severity::Page) => quote!(Page),
        Some(Severity::Ticket) => quote!(Ticket),
        Some(Severity::Warning) => quote!(Warning),
        _ => quote!(Other(#name)),
    }
}

/// `&[Objective, ...]`: one objective per `slo(...)` target; the window
/// is the plan's `per_ms`.
fn objectives(alerts: &[AlertPlan]) -> TokenStream {
    let objectives = alerts.iter().filter_map(|alert| {
        let target = match alert.condition {
            Condition::Availability { objective } => quote!(Availability(#objective)),
            Condition::LatencyObjective { quantile, seconds } => {
                let quantile = proc_macro2::Ident::new(quantile, proc_macro2::Span::call_site());
                quote! {
                    Latency {
                        quantile: ::bizmetrics::__private_0_1::Quantile::#quantile,
                        seconds: #seconds,
                    }
                }
            }
            Condition::Below(_) | Condition::Latency { .. } | Condition::ErrorRatio(_) => {
                return None;
            }
        };
        let window_ms = alert.per_ms;
        Some(quote! {
            ::bizmetrics::__private_0_1::Objective {
                target: ::bizmetrics::__private_0_1::ObjectiveTarget::#target,
                window_ms: #window_ms,
            }
        })
    });
    quote!(&[#(#objectives),*])
}
