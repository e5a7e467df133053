//! Stacked attributes fused into one expansion: the first of ours to
//! expand takes its sibling out of the item's attributes, and a method of
//! an annotated `impl` block takes the block's arguments unless it gives
//! its own.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Meta};

use crate::args::Args;
use crate::attribute::Attr;
use crate::defaults::apply::resolved_at;

/// Our attributes on one item: this one's arguments and, fused into it, a
/// sibling's, taken out of the item's attributes.
#[derive(Default)]
pub struct Fused {
    pub counter: Option<Args>,
    pub timed: Option<Args>,
    /// The paths of the attributes taken out, so that their imports still
    /// count as used.
    pub taken: Vec<syn::Path>,
}

impl Fused {
    /// `use` items that mark the taken attributes' imports as used.
    pub fn uses(&self) -> TokenStream {
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
    pub fn take(
        attr: Attr,
        args: TokenStream,
        attrs: &mut Vec<Attribute>,
        anchor: Span,
    ) -> syn::Result<Fused> {
        let mut fused = Fused::default();
        *fused.slot(attr) = Some(Args::parse(attr, resolved_at(args, anchor))?);
        fused.take_siblings(attrs, anchor)?;
        Ok(fused)
    }

    /// Moves our attributes out of `attrs`; a second of the same kind is
    /// an error.
    fn take_siblings(&mut self, attrs: &mut Vec<Attribute>, anchor: Span) -> syn::Result<()> {
        let mut kept = Vec::with_capacity(attrs.len());
        for attribute in attrs.drain(..) {
            let Some(kind) = Attr::of(&attribute) else {
                kept.push(attribute);
                continue;
            };
            if self.slot(kind).is_some() {
                return Err(syn::Error::new_spanned(
                    &attribute,
                    format!(
                        "`{}` is written twice on this item; each call would be recorded twice",
                        kind.display()
                    ),
                ));
            }
            let args = match &attribute.meta {
                Meta::Path(_) => TokenStream::new(),
                Meta::List(list) => list.tokens.clone(),
                Meta::NameValue(pair) => {
                    return Err(syn::Error::new_spanned(
                        pair,
                        format!("write `{}` with arguments in parentheses", kind.display()),
                    ));
                }
            };
            let parsed = Args::parse(kind, resolved_at(args, anchor))?;
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

    /// What a method of an annotated block records: per attribute, its own
    /// arguments if it has the attribute, none if that says `skip`, else the
    /// block's. `None` when it records nothing; a `const fn` is left alone.
    pub fn for_method(
        &self,
        attrs: &mut Vec<Attribute>,
        constness: Option<&syn::token::Const>,
        anchor: Span,
    ) -> syn::Result<Option<Fused>> {
        let mut own = Fused::default();
        own.take_siblings(attrs, anchor)?;
        if let Some(constness) = constness {
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
        let mut merged = Fused {
            counter: None,
            timed: None,
            taken: own.taken,
        };
        for (mine, blocks, slot) in [
            (own.counter, &self.counter, &mut merged.counter),
            (own.timed, &self.timed, &mut merged.timed),
        ] {
            *slot = match mine {
                Some(args) if args.skip.is_some() => {
                    if blocks.is_none() {
                        let skip = args
                            .skip
                            .as_ref()
                            .map_or_else(Span::call_site, proc_macro2::Ident::span);
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
}
