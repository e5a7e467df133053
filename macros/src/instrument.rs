//! The orchestration of one attribute's expansion: read the item, apply
//! pending defaults, fuse stacked attributes, then plan and expand each
//! function, or each method of an annotated `impl` block.

use proc_macro2::TokenStream as Tokens;
use quote::quote;

use crate::ast::{Function, Impl, ImplItem, Item};
use crate::attribute::Attr;
use crate::defaults::apply::pending;
use crate::errors::Errors;
use crate::fuse::Fused;
use crate::validate::{self, Context};

/// Parse, validate, expand. On any error the item is emitted unchanged with
/// the errors appended, so follow-on errors and IDEs stay sane.
pub fn entry(attr: Attr, args: Tokens, item: Tokens) -> Tokens {
    match pending(attr, &args, &item) {
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

fn instrument_function(attr: Attr, args: Tokens, mut function: Function) -> syn::Result<Tokens> {
    let anchor = function.sig.ident.span();
    let fused = Fused::take(attr, args, &mut function.attrs, anchor)?;
    let context = Context {
        impl_type: None,
        impl_has_macros: false,
    };
    expand_function(&fused, &function, &context)
}

fn expand_function(
    fused: &Fused,
    function: &Function,
    context: &Context<'_>,
) -> syn::Result<Tokens> {
    let plan = validate::plan(
        fused.counter.as_ref(),
        fused.timed.as_ref(),
        function,
        context,
    )?;
    if cfg!(feature = "noop") {
        return Ok(function_tokens(function));
    }
    Ok(crate::expand::expand(&plan, function, &fused.uses()))
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
    let fused = Fused::take(attr, args, &mut block.attrs, anchor)?;
    if let Some(counter) = &fused.counter {
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
        impl_has_macros: block.attrs.iter().any(validate::is_macro),
    };
    let mut errors = Errors::default();
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
        let constness = method.sig.constness;
        let anchor = method.sig.ident.span();
        let result = fused
            .for_method(&mut method.attrs, constness.as_ref(), anchor)
            .and_then(|own| match own {
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
    if !fused.taken.is_empty() {
        let uses = fused.uses();
        tokens.extend(quote!(const _: () = { #uses };));
    }
    if let Err(errors) = errors.finish() {
        tokens.extend(errors.into_compile_error());
    }
    Ok(tokens)
}
