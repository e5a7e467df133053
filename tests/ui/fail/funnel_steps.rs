#[bizmetrics::business_metric(action = "search", funnel = "purchase")]
fn search() {}

#[bizmetrics::business_metric(action = "view", funnel = "purchase", step = 0)]
fn view() {}

#[bizmetrics::business_metric(action = "buy", step = 3)]
fn buy() {}

fn main() {}
