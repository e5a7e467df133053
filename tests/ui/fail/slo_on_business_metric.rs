use bizmetrics::business_metric;

#[business_metric(action = "purchase", slo(availability = "99.9%"))]
fn purchase() {}

fn main() {}
