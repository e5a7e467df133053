#[bizmetrics::business_metric(action = "search", action = "find")]
fn search() {}

#[bizmetrics::timed(labels(a = "1"), labels(b = "2"))]
fn lookup() {}

fn main() {}
