// Review: `#[expect(unused_variables)]` on an annotated `async fn` whose
// parameter the body never uses. The desugared future's `let _ = &param;`
// counts as a use, so the expectation goes unfulfilled (and a truly unused
// parameter no longer warns), unlike `#[expect(dead_code)]`, which the
// README says stays fulfilled because "the expansion is not a use".
#![deny(warnings)]

use bizmetrics::timed;

#[expect(unused_variables)]
#[timed]
async fn handler(request_id: u32) -> u32 {
    7
}

fn main() {
    let _ = handler(1);
}
