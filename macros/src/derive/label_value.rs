//! `#[derive(LabelValue)]`: a field-less enum as a bounded label value,
//! each variant a value named in `snake_case`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, LitStr};

use super::rename;
use crate::errors::Errors;

/// Checks the enum and implements `bizmetrics::LabelValue` for it.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
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

        // So that `labels(name)` takes it by its binding, as it takes a group.
        impl ::bizmetrics::__private_0_1::LabelBinding for #name {
            const CARDINALITY: usize = #count;
            const SINGLE: bool = true;
            const DIMENSIONS: &'static [::bizmetrics::__private_0_1::Dimension] =
                &[::bizmetrics::__private_0_1::unnamed::<#name>()];

            #[inline]
            fn ordinal(&self) -> usize {
                ::bizmetrics::LabelValue::ordinal(self)
            }
        }
    })
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
