// Docs, `#[must_use]`, lint attributes, `#[inline]`, `#[cfg_attr]` and inner
// attributes are kept as written.
#![deny(missing_docs, unused_must_use)]
//! Crate docs.

use bizmetrics::{business_metric, timed};

/// Documented and must be used.
#[must_use = "the total matters"]
#[inline]
#[timed]
#[business_metric(action = "total")]
pub fn total(items: &[u32]) -> u32 {
    #![allow(clippy::needless_return)]
    return items.iter().sum();
}

/// Keeps a lint allowance on the function.
#[allow(unused_variables)]
#[cfg_attr(test, allow(dead_code))]
#[timed]
pub fn ignores(value: u32) {}

fn main() {
    let _ = total(&[1, 2]);
    ignores(1);
}
