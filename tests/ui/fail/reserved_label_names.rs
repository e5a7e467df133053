#[bizmetrics::timed(labels(le = "1"))]
fn a() {}

#[bizmetrics::timed(labels(quantile = "0.5"))]
fn b() {}

#[bizmetrics::business_metric(action = "c", labels(__name__ = "x"))]
fn c() {}

#[bizmetrics::business_metric(action = "d", labels(endpoint = "/d"))]
fn d() {}

#[bizmetrics::timed(labels(outcome = "fine"))]
fn e() {}

#[bizmetrics::timed(labels(café = "latte"))]
fn f() {}

fn main() {}
