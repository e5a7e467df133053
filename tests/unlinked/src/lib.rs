//! Call sites in a library crate that the test binary never names: the
//! linker leaves it out, and its call sites with it.

/// Never called, and nothing else in this crate is used.
#[bizmetrics::business_metric(action = "unlinked", endpoint = "/unlinked")]
pub fn unlinked() {}
