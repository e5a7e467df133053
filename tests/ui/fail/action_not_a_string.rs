#[bizmetrics::business_metric(action = search)]
fn search() {}

fn main() {}
