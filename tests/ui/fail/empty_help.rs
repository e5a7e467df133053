#[bizmetrics::business_metric(action = "search", help = "")]
fn search() {}

fn main() {}
