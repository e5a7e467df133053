#[bizmetrics::timed(name = "lookups_total")]
fn a() {}

#[bizmetrics::timed(name = "lookup_bucket")]
fn b() {}

#[bizmetrics::timed(name = "lookup_count")]
fn c() {}

#[bizmetrics::timed(name = "lookup_sum")]
fn d() {}

#[bizmetrics::timed(name = "lookup_duration")]
fn e() {}

fn main() {}
