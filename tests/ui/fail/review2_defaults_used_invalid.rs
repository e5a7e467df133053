// A set whose arguments do not validate, used twice: where is the error,
// and how many times?
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
