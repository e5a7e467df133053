use bizmetrics::timed;

#[timed(slo(availability = "100%"))]
fn no_budget() {}

#[timed(slo(availability = "99.9"))]
fn no_percent_sign() {}

#[timed(slo(availability = "0.999"))]
fn a_fraction() {}

#[timed(slo(availability = "abc"))]
fn not_a_number() {}

#[timed(slo(availability = "0%"))]
fn nothing() {}

#[timed(slo(availability = 99.9))]
fn not_a_string() {}

fn main() {}
