#[bizmetrics::timed(buckets = [0.1, 1e400])]
fn lookup() {}

fn main() {}
