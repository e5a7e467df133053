//! `native` or `native(schema = n)` on `#[timed]`: a native histogram
//! beside the classic buckets, at a resolution the facts bound.

use bizmetrics_facts::native::{DEFAULT_SCHEMA, MAX_SCHEMA};
use syn::LitInt;
use syn::meta::ParseNestedMeta;

use super::value::{integer, path_text};
use crate::errors::Errors;

/// The argument as written.
#[derive(Clone)]
pub struct Native {
    pub schema: Option<LitInt>,
}

pub fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Native> {
    let mut native = Native { schema: None };
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("schema") {
                native.schema = Some(integer(&inner, "`schema`")?);
                Ok(())
            } else {
                Err(inner.error(format!(
                    "unknown argument `{}` for `native`; expected `schema`, like `native(schema = 4)`",
                    path_text(&inner.path)
                )))
            }
        })?;
    } else if meta.input.peek(syn::Token![=]) {
        return Err(
            meta.error("`native` is written alone, or as `native(schema = 4)` for finer buckets")
        );
    }
    Ok(native)
}

/// The schema, the default unless given.
pub fn check(native: &Native, errors: &mut Errors) -> Option<u8> {
    let Some(schema) = &native.schema else {
        return Some(DEFAULT_SCHEMA);
    };
    match schema.base10_parse::<u8>() {
        Ok(schema) if schema <= MAX_SCHEMA => Some(schema),
        _ => {
            errors.push(
                schema.span(),
                format!("`schema` must be 0 to {MAX_SCHEMA}: each power of two is split into 2^schema buckets, so {DEFAULT_SCHEMA} (the default) reads quantiles within 4.3%, and 4 within 2.2% at twice the memory"),
            );
            None
        }
    }
}
