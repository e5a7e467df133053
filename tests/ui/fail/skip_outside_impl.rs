// `skip` on a free function: there is no annotated `impl` block to leave.
#[bizmetrics::timed(skip)]
fn f() {}

fn main() {}
