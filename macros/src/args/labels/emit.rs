//! The tokens of checked labels: the vocabulary's `Dimension`s, the
//! series index of a call, and the compile-time assertions that only
//! labels from the call can break.

use bizmetrics_facts::layout::OUTCOMES;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::{Binding, Dimension, Labels};
use crate::size::Size;

/// A label the attribute adds per call to some of its metrics, after the
/// user's: it varies fastest.
#[derive(Clone, Copy)]
pub enum Own<'a> {
    /// `outcome` on the histogram.
    Outcome,
    /// `kind` on the errors counter: the error type's label value.
    ErrorKind(&'a Type),
}

impl Labels {
    /// How many series the labels chosen per call make.
    pub fn series(&self) -> Size {
        self.dimensions.iter().fold(Size::Known(1), |size, d| {
            let value_type = dimension_trait(d);
            size.times(&Size::Const(quote!(#value_type::CARDINALITY)))
        })
    }

    /// `(name, value)` pairs of the labels fixed at compile time.
    pub fn fixed(&self) -> impl Iterator<Item = TokenStream> + '_ {
        self.fixed.iter().map(|(key, value)| quote!((#key, #value)))
    }

    /// `&[&[Dimension, ...], ...]`: the call's labels, each a list of one
    /// or a group's fields, then `own`. Literals, not a generic `fn`
    /// bounded on `LabelValue`: an unbounded `T` then gets one error, not two.
    pub fn dimensions(&self, own: &[Own<'_>]) -> TokenStream {
        let user = self.dimensions.iter().map(|d| {
            if d.binding.is_some() {
                binding_dimensions(d)
            } else {
                single(&d.name, &d.ty)
            }
        });
        let own = own.iter().map(|own| match own {
            // The same for every histogram: one constant in the runtime.
            Own::Outcome => quote!(::bizmetrics::__private_0_1::OUTCOME),
            Own::ErrorKind(ty) => single("kind", ty),
        });
        let all: Vec<TokenStream> = user.chain(own).collect();
        quote!(&[#(#all),*])
    }

    /// The index of this call's series, from its label values' ordinals.
    pub fn series_index(&self) -> TokenStream {
        match self.dimensions.as_slice() {
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

    /// Compile-time checks of the labels taken by bindings, where the
    /// types first tell a group from a single value: that none repeats a
    /// name the metric already has (`own` are the attribute's) or an
    /// earlier binding's, and that a single value's binding is a name a
    /// label can have. Each lands on the binding in `labels(...)`.
    pub fn binding_names(&self, own: &[&str]) -> TokenStream {
        let names: Vec<String> = own
            .iter()
            .map(|name| (*name).to_owned())
            .chain(self.fixed.iter().map(|(name, _)| name.clone()))
            .chain(
                self.dimensions
                    .iter()
                    .filter(|d| d.binding.is_none())
                    .map(|d| d.name.clone()),
            )
            .collect();
        let listed = names.join(", ");
        let bindings: Vec<(&Dimension, &Binding)> = self
            .dimensions
            .iter()
            .filter_map(|d| Some((d, d.binding.as_ref()?)))
            .collect();
        let mut checks = TokenStream::new();
        for (index, &(dimension, binding)) in bindings.iter().enumerate() {
            let (key, ty) = (&dimension.name, dimension.ty.to_token_stream());
            let so_far = bindings[..=index]
                .iter()
                .map(|(d, _)| binding_dimensions(d));
            let message = format!(
                "a label from `{key}: {ty}` is named like a label the metric already has ({listed}), or like one from an earlier parameter; name a single value's label yourself, like `labels(another_name = {key})`, or rename a label group's field with `#[label(rename = \"...\")]`"
            );
            checks.extend(quote_spanned! {binding.span=>
                const _: () = ::core::assert!(
                    !::bizmetrics::__private_0_1::names_repeat(&[#(#names),*], &[#(#so_far),*]),
                    #message
                );
            });
            if let Some(problem) = &binding.unfit_name {
                let single = dimension_trait(dimension);
                let message = format!(
                    "{problem}; `labels({key})` takes `{ty}`, a single value, as the label `{key}`: name it yourself, like `labels(another_name = {key})`"
                );
                checks.extend(quote_spanned! {binding.span=>
                    const _: () = ::core::assert!(!#single::SINGLE, #message);
                });
            }
        }
        checks
    }

    /// A compile-time check that metric `name`'s label combinations at this
    /// call site stay within `MAX_SERIES`; only labels from the call can
    /// break it. `by_outcome` for a histogram, split by outcome.
    pub fn limit(&self, name: &str, by_outcome: bool) -> TokenStream {
        if self.dimensions.is_empty() {
            return TokenStream::new();
        }
        let mut size = self.series();
        if by_outcome {
            size = size.times(&Size::Known(OUTCOMES));
        }
        let names: Vec<String> = self
            .dimensions
            .iter()
            .map(|d| {
                if d.binding.is_some() {
                    format!("{} ({})", d.name, d.ty.to_token_stream())
                } else {
                    d.name.clone()
                }
            })
            .chain(by_outcome.then(|| "outcome".to_owned()))
            .collect();
        let message = format!(
            "metric `{name}` has {} label combinations at this call site, more than bizmetrics::MAX_SERIES allows",
            names.join(" × ")
        );
        quote! {
            const _: () = ::core::assert!(#size <= ::bizmetrics::__private_0_1::MAX_SERIES, #message);
        }
    }
}

/// `&[Dimension]` of one label of type `ty`.
fn single(name: &str, ty: &impl ToTokens) -> TokenStream {
    let value_type = label_value(ty);
    quote! {
        &[::bizmetrics::__private_0_1::Dimension {
            name: #name,
            cardinality: #value_type::CARDINALITY,
            label: #value_type::label,
        }]
    }
}

/// `&[Dimension]` of a binding: a group's fields, or a single value's one
/// label named after the binding. Which, only the type knows: both are
/// written, and the constant's evaluation takes one.
fn binding_dimensions(dimension: &Dimension) -> TokenStream {
    let (binding, name) = (dimension_trait(dimension), &dimension.name);
    quote!({
        const __BIZMETRICS_LABELS: &[::bizmetrics::__private_0_1::Dimension] = if #binding::SINGLE {
            &[::bizmetrics::__private_0_1::Dimension { name: #name, ..#binding::DIMENSIONS[0] }]
        } else {
            #binding::DIMENSIONS
        };
        __BIZMETRICS_LABELS
    })
}

/// `<T as LabelValue>`, or `<T as LabelBinding>` for a binding.
fn dimension_trait(dimension: &Dimension) -> TokenStream {
    if dimension.binding.is_some() {
        let ty = &dimension.ty;
        quote_spanned!(ty.span()=> <#ty as ::bizmetrics::__private_0_1::LabelBinding>)
    } else {
        label_value(&dimension.ty)
    }
}

/// `<T as LabelValue>`, spanned on `T` so that an unbounded type's error
/// lands on it.
pub fn label_value(ty: &impl ToTokens) -> TokenStream {
    let ty = ty.to_token_stream();
    quote_spanned!(ty.span()=> <#ty as ::bizmetrics::__private_0_1::LabelValue>)
}
