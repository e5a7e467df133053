// A set whose arguments parse but do not validate, never used: a set's
// arguments are checked where it is declared, as the docs say.
bizmetrics::defaults! {
    bad_name = timed(name = "query_duration");
    bad_buckets = timed(buckets = [2.0, 1.0]);
    bad_alert = business_metric(alert(below = -1));
}

fn main() {}
