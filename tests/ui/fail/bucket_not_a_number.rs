#[bizmetrics::timed(buckets = [0.1, FAST])]
fn lookup() {}

#[bizmetrics::timed(buckets = 0.1)]
fn single() {}

fn main() {}
