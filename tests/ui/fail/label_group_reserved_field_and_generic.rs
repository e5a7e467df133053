// A group field that Prometheus reserves, and a generic group.
use bizmetrics::{LabelGroup, LabelValue};

#[derive(LabelGroup)]
struct Reserved {
    le: bool,
    #[label(rename = "quantile")]
    q: bool,
}

#[derive(LabelGroup)]
struct Generic<T: LabelValue> {
    value: T,
}

fn main() {}
