use bizmetrics::timed;

// The default buckets have 0.25 and 0.5, not 0.3.
#[timed(slo(latency(p99 = "300ms")))]
fn between_default_buckets() {}

#[timed(buckets = [0.1, 0.5], slo(availability = "99.9%", latency(p99 = "20s")))]
fn above_the_buckets() {}

#[timed(slo(latency(p100 = "250ms")))]
fn not_a_quantile() {}

#[timed(slo(latency(p99 = "250")))]
fn not_a_duration() {}

fn main() {}
