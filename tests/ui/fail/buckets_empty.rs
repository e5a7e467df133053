#[bizmetrics::timed(buckets = [])]
fn lookup() {}

fn main() {}
