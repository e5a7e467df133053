// `defaults = x` where `x` is not a set of defaults: a function, and an
// unrelated macro, and a name that does not exist.
#[allow(dead_code)]
fn query() {}

macro_rules! other {
    ($($t:tt)*) => {};
}

#[bizmetrics::timed(defaults = query)]
fn a() {}

#[bizmetrics::timed(defaults = other)]
fn b() {}

#[bizmetrics::timed(defaults = missing)]
fn c() {}

fn main() {
    a();
    c();
}
