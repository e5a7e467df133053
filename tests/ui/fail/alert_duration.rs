use bizmetrics::{business_metric, timed};

#[business_metric(action = "search", alert(below = 10, per = "5 minutes", for = "0s"))]
fn bad_windows() {}

#[timed(alert(p99 = "fast", per = "1.5m"))]
fn bad_objective() {}

fn main() {}
