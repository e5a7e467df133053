#[bizmetrics::business_metric(action = "")]
fn search() {}

fn main() {}
