use bizmetrics::{business_metric, timed};

#[timed(alert(below = 10))]
fn below_is_for_actions() {}

#[business_metric(action = "search", alert(p99 = "300ms"))]
fn latency_is_for_timed() {}

fn main() {}
