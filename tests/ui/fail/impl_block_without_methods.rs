// An annotated `impl` block with no method to record is an error: its
// arguments are checked per method, so with none they would pass unchecked
// and the attribute would do nothing.
struct Limits;

#[bizmetrics::timed(name = "latency", buckets = [1.0, 0.5])]
impl Limits {
    const MAX: u32 = 10;
}

fn main() {
    let _ = Limits::MAX;
}
