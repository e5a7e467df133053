//! The attribute macros of [bizmetrics](https://docs.rs/bizmetrics).
//!
//! Depend on `bizmetrics`, which re-exports these; the generated code
//! names the runtime through `::bizmetrics::__private`.

mod ast;
mod attr;
mod derive;
mod expand;
mod plan;
mod valid;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
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

/// Parse, validate, expand. On any error the item is emitted unchanged with
/// the errors appended, so follow-on errors and IDEs stay sane.
fn entry(attr: Attr, args: Tokens, item: Tokens) -> Tokens {
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
    fn take(attr: Attr, args: Tokens, attrs: &mut Vec<Attribute>) -> syn::Result<Stack> {
        let mut stack = Stack::default();
        *stack.slot(attr) = Some(Args::parse(attr, args)?);
        stack.take_siblings(attrs, true)?;
        Ok(stack)
    }

    /// Moves our attributes out of `attrs` into the stack. Where `fused`,
    /// a second of the same kind is an error; otherwise it overrides.
    fn take_siblings(&mut self, attrs: &mut Vec<Attribute>, fused: bool) -> syn::Result<()> {
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
            *self.slot(kind) = Some(Args::parse(kind, args)?);
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
    let stack = Stack::take(attr, args, &mut function.attrs)?;
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
    let stack = Stack::take(attr, args, &mut block.attrs)?;
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
    let mut errors: Option<syn::Error> = None;
    let mut items = Vec::with_capacity(block.items.len());
    for item in block.items {
        let ImplItem::Method(mut method) = item else {
            if let ImplItem::Other(tokens) = item {
                items.push(tokens);
            }
            continue;
        };
        let mut own = Stack {
            counter: stack.counter.clone(),
            timed: stack.timed.clone(),
            taken: Vec::new(),
        };
        let result = own.take_siblings(&mut method.attrs, false).and_then(|()| {
            for slot in [&mut own.counter, &mut own.timed] {
                if slot.as_ref().is_some_and(|args| args.skip.is_some()) {
                    *slot = None;
                }
            }
            if method.sig.constness.is_some() || own.counter.is_none() && own.timed.is_none() {
                return Ok(function_tokens(&method));
            }
            expand_function(&own, &method, &context)
        });
        match result {
            Ok(tokens) => items.push(tokens),
            Err(error) => {
                items.push(function_tokens(&method));
                match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                }
            }
        }
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
    if let Some(errors) = errors {
        tokens.extend(errors.into_compile_error());
    }
    Ok(tokens)
}
