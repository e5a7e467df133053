//! Every form of `alert(...)`, with defaults and in full.

use bizmetrics::{business_metric, timed};

#[business_metric(action = "search", alert(below = 10))]
fn defaults() {}

#[business_metric(
    action = "purchase",
    endpoint = "/purchase",
    alert(
        below = 2.5,
        per = "1h",
        for = "30m",
        severity = "critical",
        name = "ShopNoPurchases",
        summary = "No purchases",
        description = "Fewer than 2.5 purchases an hour."
    )
)]
fn full() {}

#[timed(alert(p50 = "100ms", p99 = "9s", error_ratio = 0.5, per = "10m", for = "1m"))]
async fn objectives() -> Result<(), std::io::Error> {
    Ok(())
}

#[timed(buckets = [0.1, 1.0], alert(p999 = "999ms"))]
fn just_below_the_largest_bucket() {}

fn main() {
    defaults();
    full();
    let _ = objectives();
    just_below_the_largest_bucket();
}
