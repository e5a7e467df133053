//! `#[derive(LabelValue)]`: a field-less enum as a bounded label value.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::valid::Errors;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Checks the enum and implements `bizmetrics::LabelValue` for it.
pub fn label_value(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(LabelValue)]` works on field-less enums, whose variants are the label values",
        ));
    };
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.push_spanned(
            &input.generics,
            "`#[derive(LabelValue)]` does not support generic enums: a label's values must be known without them",
        );
    }
    if data.variants.is_empty() {
        errors.push_error(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(LabelValue)]` needs at least one variant: an enum without values can never label a call",
        ));
    }
    let mut values: Vec<String> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.push_error(syn::Error::new_spanned(
                &variant.fields,
                "a label value variant cannot have fields: each field value would be another time series",
            ));
        }
        let rename = rename(&variant.attrs, &mut errors);
        let value = rename.as_ref().map_or_else(
            || snake_case(&variant.ident.unraw().to_string()),
            LitStr::value,
        );
        if let Some(rename) = rename.as_ref().filter(|_| value.is_empty()) {
            errors.push_error(syn::Error::new(
                rename.span(),
                "a label value must not be empty",
            ));
        }
        if values.contains(&value) {
            errors.push_error(syn::Error::new_spanned(
                &variant.ident,
                format!("the label value \"{value}\" is used by two variants"),
            ));
        }
        values.push(value);
    }
    errors.finish()?;

    let name = &input.ident;
    let count = values.len();
    let ordinals = data.variants.iter().enumerate().map(|(ordinal, variant)| {
        let variant = &variant.ident;
        quote!(#name::#variant => #ordinal)
    });
    Ok(quote! {
        impl ::bizmetrics::LabelValue for #name {
            const CARDINALITY: usize = #count;

            #[inline]
            fn ordinal(&self) -> usize {
                match self {
                    #(#ordinals,)*
                }
            }

            fn label(ordinal: usize) -> &'static str {
                [#(#values),*][ordinal]
            }
        }
    })
}

/// Checks the struct and implements `bizmetrics::LabelGroup` for it.
pub fn label_group(input: &DeriveInput) -> syn::Result<TokenStream> {
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
        if let Some(problem) = label_name_problem(&name) {
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

/// `#[label(rename = "...")]` among `attrs`, its errors passed to `push`.
fn rename(attrs: &[syn::Attribute], errors: &mut Errors) -> Option<LitStr> {
    let mut rename: Option<LitStr> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("label")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                if rename.is_some() {
                    return Err(meta.error("duplicate `rename`"));
                }
                rename = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                Err(meta.error("unknown argument for `#[label]`; expected `rename = \"...\"`"))
            }
        });
        if let Err(error) = parsed {
            errors.push_error(error);
        }
    }
    rename
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

/// Why `name` cannot be a Prometheus label name, if it cannot.
fn label_name_problem(name: &str) -> Option<String> {
    if let Some(problem) = crate::valid::invalid_identifier(name) {
        return Some(problem);
    }
    if name.starts_with("__") {
        return Some("names starting with `__` belong to Prometheus".to_owned());
    }
    if name == "le" || name == "quantile" {
        return Some("Prometheus uses it for histogram and summary buckets".to_owned());
    }
    None
}

/// `SmartTv` → `smart_tv`, `HTTPError` → `http_error`, `Age18To24` → `age18_to24`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn variant_names_become_snake_case() {
        assert_eq!(snake_case("Mobile"), "mobile");
        assert_eq!(snake_case("SmartTv"), "smart_tv");
        assert_eq!(snake_case("HTTPError"), "http_error");
        assert_eq!(snake_case("Age18To24"), "age18_to24");
    }
}
