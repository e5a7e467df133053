use bizmetrics::timed;

// The default buckets end at 10 s.
#[timed(alert(p99 = "20s"))]
fn above_default_buckets() {}

#[timed(buckets = [0.1, 0.5], alert(p95 = "500ms"))]
fn at_the_largest_bucket() {}

#[timed(buckets = [0.1, 0.5], alert(p95 = "300ms"))]
fn below_the_largest_bucket_is_fine() {}

fn main() {}
