#[bizmetrics::business_metric(action = "x", labels(api_version = 2))]
fn x() {}

fn main() {}
