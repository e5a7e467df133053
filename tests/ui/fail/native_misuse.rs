#[bizmetrics::timed(native(schema = 9))]
fn too_fine() {}

#[bizmetrics::timed(native = true)]
fn with_a_value() {}

#[bizmetrics::timed(native(factor = 1.1))]
fn by_factor() {}

#[bizmetrics::business_metric(action = "search", native)]
fn on_a_counter() {}

fn main() {}
