//! `native` alone, with a schema, from a set, and switched off again.

bizmetrics::defaults! {
    fine = timed(native(schema = 4));
}

#[bizmetrics::timed(native)]
fn default_schema() {}

#[bizmetrics::timed(native(schema = 0), alert(p99 = "60s"))]
fn coarse_with_an_objective_beyond_the_default_buckets() {}

#[bizmetrics::timed(defaults = fine)]
fn from_a_set() {}

#[bizmetrics::timed(defaults = fine, native = false)]
fn switched_off() {}

fn main() {
    default_schema();
    coarse_with_an_objective_beyond_the_default_buckets();
    from_a_set();
    switched_off();
}
