use bizmetrics::timed;

#[timed(slo)]
fn bare() {}

#[timed(slo(window = "30d"))]
fn only_a_window() {}

#[timed(slo(latency))]
fn latency_without_a_time() {}

#[timed(slo(latency(p99 = "250ms", p95 = "100ms")))]
fn two_latency_objectives() {}

#[timed(slo(availability = "99.9%", target = "99%"))]
fn unknown_key() {}

#[timed(slo(availability = "99.9%"), slo(availability = "99%"))]
fn twice() {}

fn main() {}
