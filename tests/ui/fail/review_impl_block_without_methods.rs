// Review: the arguments of an annotated `impl` block are validated only
// per method, so a block with no method to instrument accepts any
// arguments. Expected: the same errors as on a function.
struct Limits;

#[bizmetrics::timed(name = "latency", buckets = [1.0, 0.5])]
impl Limits {
    const MAX: u32 = 10;
}

fn main() {
    let _ = Limits::MAX;
}
