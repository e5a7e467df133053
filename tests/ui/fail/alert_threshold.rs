use bizmetrics::{business_metric, timed};

#[business_metric(action = "search", alert(per = "5m"))]
fn no_threshold() {}

#[business_metric(action = "search", alert(below = 0))]
fn never_below_zero() {}

#[business_metric(action = "search", alert(below = "ten"))]
fn threshold_not_a_number() {}

#[timed(alert(for = "5m"))]
fn no_objective() {}

#[timed(alert)]
fn bare_alert() {}

fn main() {}
