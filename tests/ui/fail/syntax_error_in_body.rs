// A syntax error in the body is rustc's own error, not a bizmetrics one.
#[bizmetrics::timed]
fn f(x: u32) -> u32 {
    let y = x +;
    y
}

fn main() {}
