//! Call sites in a library crate that the test binary uses.

/// Named by the test binary, so this crate is linked.
#[bizmetrics::business_metric(action = "checkout", endpoint = "/linked")]
pub fn checkout() {}

/// Nothing names this module, but its crate is linked, so its call site
/// registers all the same.
pub mod unnamed {
    /// Never called.
    #[bizmetrics::business_metric(action = "unnamed", endpoint = "/linked")]
    pub fn unnamed() {}
}
