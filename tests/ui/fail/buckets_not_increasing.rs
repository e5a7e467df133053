#[bizmetrics::timed(buckets = [0.1, 0.5, 0.5, 0.2])]
fn lookup() {}

fn main() {}
