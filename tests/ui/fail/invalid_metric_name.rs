#[bizmetrics::business_metric(action = "search", name = "user-actions_total")]
fn search() {}

#[bizmetrics::timed(name = "9lives_seconds")]
fn lookup() {}

#[bizmetrics::timed(name = "__internal_seconds")]
fn internal() {}

fn main() {}
