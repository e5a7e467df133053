// A bucket bound is a plain number of seconds, not a duration.
#[bizmetrics::timed(buckets = [5ms, 10ms])]
fn f() {}

fn main() {}
