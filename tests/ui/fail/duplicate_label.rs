#[bizmetrics::business_metric(action = "search", labels(tier = "gold", tier = "silver"))]
fn search() {}

fn main() {}
