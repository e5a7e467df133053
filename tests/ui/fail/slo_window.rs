use bizmetrics::timed;

#[timed(slo(availability = "99.9%", window = "1d"))]
fn shorter_than_a_week() {}

#[timed(slo(availability = "99.9%", window = "30 days"))]
fn not_a_duration() {}

bizmetrics::defaults! {
    handler = timed(slo(availability = "99.9%", window = "3d"));
}

fn main() {}
