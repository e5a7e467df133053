#[bizmetrics::timed]
#[bizmetrics::timed]
fn f() {}

#[bizmetrics::business_metric(action = "g")]
#[bizmetrics::business_metric(action = "g")]
fn g() {}

fn main() {}
