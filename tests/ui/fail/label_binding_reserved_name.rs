// `labels(name)` on one bounded value whose binding cannot name a label:
// a reserved name, and `slo` beside an objective. The same bindings on a
// label group are fine: its fields name its labels.
use bizmetrics::{timed, LabelGroup, LabelValue};

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Paid,
}

#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    tier: Tier,
}

#[timed(labels(le))]
fn bucketed(le: Tier) {
    let _ = le;
}

#[timed(labels(quantile))]
fn ranked(quantile: bool) {
    let _ = quantile;
}

#[timed(labels(slo), slo(availability = "99.9%"))]
fn objective(slo: Tier) {
    let _ = slo;
}

#[timed(labels(le))]
fn grouped(le: Profile) {
    let _ = le;
}

fn main() {
    bucketed(Tier::Free);
    ranked(true);
    objective(Tier::Paid);
    grouped(Profile { tier: Tier::Free });
}
