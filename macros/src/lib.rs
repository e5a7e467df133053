//! The attribute macros of [bizmetrics](https://docs.rs/bizmetrics).
//!
//! Depend on `bizmetrics`, which re-exports these; the generated code
//! names the runtime through `::bizmetrics::__private_0_1`.

mod ast;
mod attr;
mod defaults;
mod derive;
mod expand;
mod plan;
mod valid;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{ToTokens, quote};
use syn::{Attribute, Meta};

use crate::ast::{Function, Impl, ImplItem, Item};
use crate::attr::{Args, Attr};
use crate::valid::Context;

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
    derive::label_value(&input)
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
    derive::label_group(&input)
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

/// Parse, validate, expand. On any error the item is emitted unchanged with
/// the errors appended, so follow-on errors and IDEs stay sane.
fn entry(attr: Attr, args: Tokens, item: Tokens) -> Tokens {
    match apply_defaults(attr, &args, &item) {
        Ok(Some(tokens)) => return tokens,
        Ok(None) => {}
        Err(error) => {
            let mut tokens = item;
            tokens.extend(error.into_compile_error());
            return tokens;
        }
    }
    let expanded = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Function(function)) => instrument_function(attr, args, *function),
        Ok(Item::Impl(block)) => instrument_impl(attr, args, block),
        Ok(Item::Other(span)) => Err(syn::Error::new(
            span,
            format!(
                "`{}` can only be used on functions and `impl` blocks",
                attr.display()
            ),
        )),
        // A header that does not parse: rustc's own error says it best.
        Ok(Item::Unparsed) | Err(_) => return item,
    };
    expanded.unwrap_or_else(|error| {
        let mut tokens = item;
        tokens.extend(error.into_compile_error());
        tokens
    })
}

/// When this attribute, or another of ours on the item, still names a set
/// of defaults, the call that applies it: the attributes expand once every
/// set is applied, so that they can fuse.
fn apply_defaults(attr: Attr, args: &Tokens, item: &Tokens) -> syn::Result<Option<Tokens>> {
    let own = Args::parse(attr, args.clone())?;
    let name = proc_macro2::Ident::new(attr.name(), proc_macro2::Span::call_site());
    let own_path = quote!(::bizmetrics::#name);
    if let Some(set) = &own.defaults {
        let own = defaults::without_defaults(args.clone());
        return Ok(Some(defaults::apply(set, attr, &own_path, &own, item)));
    }
    let (attrs, rest) = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream<'_>| {
            Ok((
                input.call(Attribute::parse_outer)?,
                input.parse::<Tokens>()?,
            ))
        },
        item.clone(),
    )?;
    for (index, attribute) in attrs.iter().enumerate() {
        let Some(kind) = ours(attribute) else {
            continue;
        };
        let Meta::List(list) = &attribute.meta else {
            continue;
        };
        let Some(set) = Args::parse(kind, list.tokens.clone())?.defaults else {
            continue;
        };
        let others = attrs
            .iter()
            .enumerate()
            .filter(|&(other, _)| other != index)
            .map(|(_, attribute)| attribute);
        let me = defaults::attribute(&own_path, args.clone());
        let item = quote!(#me #(#others)* #rest);
        let path = attribute.path().to_token_stream();
        let sibling = defaults::without_defaults(list.tokens.clone());
        return Ok(Some(defaults::apply(&set, kind, &path, &sibling, &item)));
    }
    Ok(None)
}

/// Our attributes on one item: this one's arguments and, fused into it, a
/// sibling's, taken out of the item's attributes.
#[derive(Default)]
struct Stack {
    counter: Option<Args>,
    timed: Option<Args>,
    /// The paths of the attributes taken out, so that their imports still
    /// count as used.
    taken: Vec<syn::Path>,
}

impl Stack {
    /// `use` items that mark the taken attributes' imports as used.
    fn uses(&self) -> Tokens {
        let paths = &self.taken;
        quote!(#(#[allow(unused_imports)] use #paths as _;)*)
    }

    fn slot(&mut self, attr: Attr) -> &mut Option<Args> {
        match attr {
            Attr::BusinessMetric => &mut self.counter,
            Attr::Timed => &mut self.timed,
        }
    }

    /// `attr`'s arguments, then each sibling's, removed from `attrs`.
    /// `anchor` is a token of the item's own, where applied defaults resolve.
    fn take(
        attr: Attr,
        args: Tokens,
        attrs: &mut Vec<Attribute>,
        anchor: proc_macro2::Span,
    ) -> syn::Result<Stack> {
        let mut stack = Stack::default();
        *stack.slot(attr) = Some(Args::parse(attr, defaults::resolved_at(args, anchor))?);
        stack.take_siblings(attrs, true, anchor)?;
        Ok(stack)
    }

    /// Moves our attributes out of `attrs` into the stack. Where `fused`,
    /// a second of the same kind is an error; otherwise it overrides.
    fn take_siblings(
        &mut self,
        attrs: &mut Vec<Attribute>,
        fused: bool,
        anchor: proc_macro2::Span,
    ) -> syn::Result<()> {
        let mut kept = Vec::with_capacity(attrs.len());
        for attribute in attrs.drain(..) {
            let Some(kind) = ours(&attribute) else {
                kept.push(attribute);
                continue;
            };
            if fused && self.slot(kind).is_some() {
                return Err(syn::Error::new_spanned(
                    &attribute,
                    format!(
                        "`{}` is written twice on this item; each call would be recorded twice",
                        kind.display()
                    ),
                ));
            }
            let args = match &attribute.meta {
                Meta::Path(_) => Tokens::new(),
                Meta::List(list) => list.tokens.clone(),
                Meta::NameValue(pair) => {
                    return Err(syn::Error::new_spanned(
                        pair,
                        format!("write `{}` with arguments in parentheses", kind.display()),
                    ));
                }
            };
            let parsed = Args::parse(kind, defaults::resolved_at(args, anchor))?;
            if let Some(set) = &parsed.defaults {
                return Err(syn::Error::new_spanned(
                    set,
                    "a method of an annotated `impl` block takes the block's defaults; put `defaults` on the block, or annotate the methods one by one",
                ));
            }
            *self.slot(kind) = Some(parsed);
            // `timed` may name an import that must stay used;
            // `bizmetrics::timed` names none.
            if attribute.path().segments.len() == 1 {
                self.taken.push(attribute.path().clone());
            }
        }
        *attrs = kept;
        Ok(())
    }
}

/// Which of our attributes `attribute` is: `timed`, `bizmetrics::timed`
/// or `::bizmetrics::timed`, and likewise `business_metric`.
fn ours(attribute: &Attribute) -> Option<Attr> {
    let path = attribute.path();
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let name = match segments.as_slice() {
        [name] if path.leading_colon.is_none() => name,
        [krate, name] if krate == "bizmetrics" => name,
        _ => return None,
    };
    match name.as_str() {
        "timed" => Some(Attr::Timed),
        "business_metric" => Some(Attr::BusinessMetric),
        _ => None,
    }
}

fn instrument_function(attr: Attr, args: Tokens, mut function: Function) -> syn::Result<Tokens> {
    let anchor = function.sig.ident.span();
    let stack = Stack::take(attr, args, &mut function.attrs, anchor)?;
    let context = Context {
        impl_type: None,
        impl_has_macros: false,
    };
    expand_function(&stack, &function, &context)
}

fn expand_function(
    stack: &Stack,
    function: &Function,
    context: &Context<'_>,
) -> syn::Result<Tokens> {
    let plan = valid::plan(
        stack.counter.as_ref(),
        stack.timed.as_ref(),
        function,
        context,
    )?;
    if cfg!(feature = "noop") {
        return Ok(function_tokens(function));
    }
    Ok(expand::expand(&plan, function, &stack.uses()))
}

/// What a method of an annotated block records: per attribute, its own
/// arguments if it has the attribute, none if that says `skip`, else the
/// block's. `None` when it records nothing; a `const fn` is left alone.
fn method_stack(block: &Stack, method: &mut Function) -> syn::Result<Option<Stack>> {
    let mut own = Stack::default();
    own.take_siblings(&mut method.attrs, true, method.sig.ident.span())?;
    if let Some(constness) = &method.sig.constness {
        if let Some(args) = own.counter.as_ref().or(own.timed.as_ref()) {
            return Err(syn::Error::new(
                constness.span,
                format!(
                    "`{}` cannot be used on a `const fn`: it records at run time",
                    args.attr.display()
                ),
            ));
        }
        return Ok(None);
    }
    let mut merged = Stack {
        counter: None,
        timed: None,
        taken: own.taken,
    };
    for (mine, blocks, slot) in [
        (own.counter, &block.counter, &mut merged.counter),
        (own.timed, &block.timed, &mut merged.timed),
    ] {
        *slot = match mine {
            Some(args) if args.skip.is_some() => {
                if blocks.is_none() {
                    let skip = args
                        .skip
                        .as_ref()
                        .map_or_else(proc_macro2::Span::call_site, proc_macro2::Ident::span);
                    return Err(syn::Error::new(
                        skip,
                        format!(
                            "`skip` leaves a method out of its block's `{0}`, but this `impl` block does not carry `{0}`",
                            args.attr.display()
                        ),
                    ));
                }
                None
            }
            Some(args) => Some(args),
            None => blocks.clone(),
        };
    }
    if merged.counter.is_none() && merged.timed.is_none() {
        return Ok(None);
    }
    Ok(Some(merged))
}

fn function_tokens(function: &Function) -> Tokens {
    let Function {
        attrs,
        vis,
        defaultness,
        sig,
        body,
    } = function;
    let mut tokens = quote!(#(#attrs)* #vis #defaultness #sig);
    match body {
        Some(body) => body.brace.surround(&mut tokens, |block| {
            let (inner, body) = (&body.inner_attrs, &body.tokens);
            block.extend(quote!(#(#inner)* #body));
        }),
        None => tokens.extend(quote!(;)),
    }
    tokens
}

/// Every method of the block, with the block's attributes unless the
/// method overrides them with its own, or leaves one out with `skip`.
/// Methods are named `Type::method`; `const fn`s are left alone.
fn instrument_impl(attr: Attr, args: Tokens, mut block: Impl) -> syn::Result<Tokens> {
    let anchor = block.anchor;
    let stack = Stack::take(attr, args, &mut block.attrs, anchor)?;
    if let Some(counter) = &stack.counter {
        let per_method = [
            (counter.action.as_ref().map(syn::LitStr::span), "action"),
            (counter.funnel.as_ref().map(syn::LitStr::span), "funnel"),
            (counter.step.as_ref().map(syn::LitInt::span), "step"),
        ];
        if let Some((Some(span), key)) = per_method.into_iter().find(|(span, _)| span.is_some()) {
            return Err(syn::Error::new(
                span,
                format!(
                    "on an `impl` block each method is its own action, named after the method; put `{key}` on a method's own `#[business_metric(...)]`"
                ),
            ));
        }
    }
    let context = Context {
        impl_type: Some(&block.self_name),
        impl_has_macros: block.attrs.iter().any(valid::is_macro),
    };
    let mut errors = valid::Errors::default();
    let mut reported: Vec<String> = Vec::new();
    let mut instrumented = 0;
    let mut items = Vec::with_capacity(block.items.len());
    for item in block.items {
        let ImplItem::Method(mut method) = item else {
            if let ImplItem::Other(tokens) = item {
                items.push(tokens);
            }
            continue;
        };
        let result = method_stack(&stack, &mut method).and_then(|own| match own {
            Some(own) => {
                instrumented += 1;
                expand_function(&own, &method, &context)
            }
            None => Ok(function_tokens(&method)),
        });
        match result {
            Ok(tokens) => items.push(tokens),
            Err(error) => {
                items.push(function_tokens(&method));
                // The block's own mistakes would otherwise repeat once per method.
                let text = error.to_compile_error().to_string();
                if !reported.contains(&text) {
                    reported.push(text);
                    errors.push_error(error);
                }
            }
        }
    }
    if instrumented == 0 && errors.is_empty() {
        errors.push_error(syn::Error::new(
            proc_macro2::Span::call_site(),
            format!(
                "`{}` on an `impl` block records its methods, and this one has none to record",
                attr.display()
            ),
        ));
    }
    let Impl {
        attrs,
        brace,
        header,
        inner_attrs,
        ..
    } = block;
    let mut tokens = quote!(#(#attrs)* #header);
    brace.surround(&mut tokens, |block| {
        block.extend(quote!(#(#inner_attrs)* #(#items)*));
    });
    if !stack.taken.is_empty() {
        let uses = stack.uses();
        tokens.extend(quote!(const _: () = { #uses };));
    }
    if let Err(errors) = errors.finish() {
        tokens.extend(errors.into_compile_error());
    }
    Ok(tokens)
}
