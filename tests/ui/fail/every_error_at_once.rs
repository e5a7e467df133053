#[bizmetrics::business_metric(action = "", name = "Searches", labels(le = "1", tier = "a", tier = "b"))]
const fn search() {}

fn main() {}
