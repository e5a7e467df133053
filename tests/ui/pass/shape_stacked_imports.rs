// Each attribute imported by name and used only stacked under the other:
// its `use` must still count as used.
#![deny(warnings)]

// `timed` only ever below `business_metric`.
mod timed_below {
    use bizmetrics::{business_metric, timed};

    #[business_metric(action = "stacked")]
    #[timed]
    pub fn handler() -> u32 {
        1
    }
}

// `business_metric` only ever below `timed`.
mod business_metric_below {
    use bizmetrics::{business_metric, timed};

    #[timed]
    #[business_metric(action = "stacked")]
    pub async fn handler() -> Result<u32, String> {
        Ok(2)
    }
}

fn main() {
    assert_eq!(timed_below::handler(), 1);
    let _future = business_metric_below::handler();
}
