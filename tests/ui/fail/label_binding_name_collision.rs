// `labels(name)` on one bounded value whose binding is named like a label
// the attribute sets itself.
use bizmetrics::{business_metric, timed, LabelValue};

#[derive(Clone, Copy, LabelValue)]
enum Outcome {
    Sold,
    Returned,
}

#[timed(labels(outcome))]
fn settle(outcome: Outcome) {
    let _ = outcome;
}

#[derive(Clone, Copy, LabelValue)]
enum Endpoint {
    Web,
    App,
}

#[business_metric(action = "visit", labels(endpoint))]
fn visit(endpoint: Endpoint) {
    let _ = endpoint;
}

fn main() {
    settle(Outcome::Returned);
    let _ = Outcome::Sold;
    visit(Endpoint::Web);
    let _ = Endpoint::App;
}
