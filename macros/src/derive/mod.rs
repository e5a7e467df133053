//! The derives `LabelValue` and `LabelGroup`, one module each, and the
//! `#[label(rename = "...")]` attribute they share.

pub mod label_group;
pub mod label_value;

use syn::LitStr;

use crate::errors::Errors;

/// `#[label(rename = "...")]` among `attrs`, its errors passed to `push`.
pub fn rename(attrs: &[syn::Attribute], errors: &mut Errors) -> Option<LitStr> {
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
