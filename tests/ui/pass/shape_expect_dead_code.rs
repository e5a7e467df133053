// `#[expect(dead_code)]` on annotated functions that are never called: the
// expansion must leave them dead, or the expectation goes unfulfilled.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

// From tracing-attributes tests/dead_code.rs: unused
#[deny(unfulfilled_lint_expectations)]
#[expect(dead_code)]
#[timed]
fn unused() {}

// From tracing-attributes tests/dead_code.rs: unused_async
#[expect(dead_code)]
#[timed]
async fn unused_async() {}

// `#[expect]` below the attribute, stacked.
#[timed]
#[business_metric(action = "unused")]
#[expect(dead_code)]
fn unused_below() -> Result<u32, String> {
    Ok(1)
}

// `#[business_metric]` alone.
#[expect(dead_code)]
#[business_metric(action = "unused_counted")]
fn unused_counted() {}

fn main() {}
