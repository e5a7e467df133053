use bizmetrics::business_metric;

#[business_metric(action = "search", alert(below = 10, severity = "", name = "Low activity"))]
fn empty_severity_and_spaced_name() {}

fn main() {}
