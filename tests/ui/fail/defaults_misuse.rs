// Sets of defaults used wrongly: for the other attribute, exported with
// `pub`, holding `skip`, or with a bad argument (spanned in the set).
bizmetrics::defaults! {
    action = business_metric(labels(tier = "gold"));
    pub everywhere = timed(errors);
    skipping = timed(skip);
    broken = timed(slow = "soon");
}

#[bizmetrics::timed(defaults = action)]
fn wrong_attribute() {}

#[bizmetrics::timed(defaults = broken)]
fn bad_argument() {}

fn main() {
    wrong_attribute();
    bad_argument();
}
