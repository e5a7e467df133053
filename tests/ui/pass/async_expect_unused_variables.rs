// `#[expect(unused_variables)]` on an annotated `async fn` whose parameter
// the body never uses stays fulfilled: the future the expansion builds keeps
// the parameter alive without counting as a use, so an unused parameter
// still warns, as `#[expect(dead_code)]` stays fulfilled on a function
// never called.
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
