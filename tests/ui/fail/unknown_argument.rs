#[bizmetrics::business_metric(action = "search", route = "/search")]
fn search() {}

#[bizmetrics::timed(bucket = [0.1])]
fn lookup() {}

fn main() {}
