//! `#[derive(LabelGroup)]`: a struct of bounded labels, each field one
//! label, added together by `labels(group)`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use super::rename;
use crate::errors::Errors;
use crate::naming::{invalid_identifier, reserved_label};

/// Checks the struct and implements `bizmetrics::LabelGroup` for it.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) if !fields.named.is_empty() => &fields.named,
            _ => {
                return Err(syn::Error::new_spanned(
                    &input.ident,
                    "`#[derive(LabelGroup)]` works on structs with named fields, each field one label",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "`#[derive(LabelGroup)]` works on structs with named fields, each field one label",
            ));
        }
    };
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.push_spanned(
            &input.generics,
            "`#[derive(LabelGroup)]` does not support generic structs: a group's labels must be known without them",
        );
    }
    let mut names: Vec<String> = Vec::new();
    let mut dimensions = Vec::new();
    let mut steps = Vec::new();
    for field in fields {
        let ident = field.ident.as_ref().expect("named fields have names");
        let rename = rename(&field.attrs, &mut errors);
        let name = rename
            .as_ref()
            .map_or_else(|| ident.unraw().to_string(), LitStr::value);
        let span = rename.as_ref().map_or_else(|| ident.span(), LitStr::span);
        let problem =
            invalid_identifier(&name).or_else(|| reserved_label(&name).map(str::to_owned));
        if let Some(problem) = problem {
            errors.push_error(syn::Error::new(
                span,
                format!("`{name}` cannot be a label name: {problem}"),
            ));
        }
        if names.contains(&name) {
            errors.push_error(syn::Error::new(
                span,
                format!("two fields are both the label `{name}`"),
            ));
        }
        names.push(name.clone());
        let ty = &field.ty;
        let value_type = quote::quote_spanned!(ty.span()=> <#ty as ::bizmetrics::LabelValue>);
        if let Some(unbounded) = unbounded_type(ty) {
            errors.push_error(syn::Error::new_spanned(
                ty,
                format!(
                    "the field `{ident}` is a `{unbounded}`, which can take unboundedly many values, each a series Prometheus keeps forever; a label group's fields are bounded: a field-less enum with `#[derive(bizmetrics::LabelValue)]`, a `bool`, or an `Option` of those"
                ),
            ));
        }
        dimensions.push(quote! {
            ::bizmetrics::__private_0_1::Dimension {
                name: #name,
                cardinality: #value_type::CARDINALITY,
                label: #value_type::label,
            }
        });
        steps.push(quote! {
            series = series * #value_type::CARDINALITY + #value_type::ordinal(&self.#ident);
        });
    }
    errors.finish()?;
    let name = &input.ident;
    let cardinalities = dimensions.iter().map(|d| quote!(#d.cardinality));
    let message = format!(
        "label group `{name}` has more label combinations than bizmetrics::MAX_SERIES allows"
    );
    Ok(quote! {
        impl ::bizmetrics::LabelGroup for #name {
            const CARDINALITY: usize = 1 #(* #cardinalities)*;
            const DIMENSIONS: &'static [::bizmetrics::__private_0_1::Dimension] = &[#(#dimensions),*];

            #[inline]
            fn ordinal(&self) -> usize {
                let mut series = 0;
                #(#steps)*
                series
            }
        }

        const _: () = {
            ::core::assert!(
                <#name as ::bizmetrics::LabelGroup>::CARDINALITY <= ::bizmetrics::MAX_SERIES,
                #message
            );
        };
    })
}

/// The name of a type that is plainly unbounded, such as `String` or
/// `u64`; other types are left to the `LabelValue` bound.
fn unbounded_type(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return match ty {
            syn::Type::Reference(reference) => unbounded_type(&reference.elem),
            _ => None,
        };
    };
    let name = path.path.segments.last()?.ident.to_string();
    let unbounded = [
        "String", "str", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64", "Vec", "Uuid",
    ];
    unbounded.contains(&name.as_str()).then_some(name)
}
