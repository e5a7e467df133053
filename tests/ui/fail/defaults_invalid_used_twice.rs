// A set whose arguments do not validate, used twice: one error, at the
// set's declaration, not one per use.
bizmetrics::defaults! {
    bad_name = timed(name = "query_duration");
}

#[bizmetrics::timed(defaults = bad_name)]
fn a() {}

#[bizmetrics::timed(defaults = bad_name)]
fn b() {}

fn main() {
    a();
    b();
}
