#[bizmetrics::timed]
struct Cart;

#[bizmetrics::business_metric(action = "x")]
const LIMIT: u32 = 1;

fn main() {}
