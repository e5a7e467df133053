#[bizmetrics::business_metric(action = "search", labels(tier = 1))]
fn search() {}

fn main() {}
