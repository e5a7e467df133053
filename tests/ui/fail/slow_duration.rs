#[bizmetrics::timed(slow = "500")]
fn a() {}

#[bizmetrics::timed(slow = "5 minutes")]
fn b() {}

#[bizmetrics::timed(slow = "0ms")]
fn c() {}

#[bizmetrics::timed(slow(name = "slow_queries_total"))]
fn d() {}

fn main() {}
