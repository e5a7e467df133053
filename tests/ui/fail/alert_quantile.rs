use bizmetrics::timed;

#[timed(alert(p100 = "1s"))]
fn the_maximum_is_not_a_quantile() {}

#[timed(alert(p42 = "1s"))]
fn unknown_quantile() {}

#[timed(alert(p99 = "300ms", p99 = "400ms"))]
fn duplicate_quantile() {}

fn main() {}
