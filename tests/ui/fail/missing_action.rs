#[bizmetrics::business_metric(endpoint = "/search")]
fn search() {}

fn main() {}
