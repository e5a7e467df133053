#[bizmetrics::timed(buckets = [-0.1, 0.5])]
fn lookup() {}

fn main() {}
