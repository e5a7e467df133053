#[bizmetrics::business_metric(action = "search", name = "searches")]
fn search() {}

fn main() {}
