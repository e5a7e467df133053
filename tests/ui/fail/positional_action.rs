#[bizmetrics::business_metric("search")]
fn search() {}

fn main() {}
