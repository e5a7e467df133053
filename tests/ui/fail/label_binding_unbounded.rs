// `labels(name)` on a parameter that is neither a label group nor a
// bounded label value.
use bizmetrics::business_metric;

#[business_metric(action = "search", labels(query))]
fn search(query: String) {
    let _ = query;
}

#[business_metric(action = "view", labels(user_id))]
fn view(user_id: u64) {
    let _ = user_id;
}

fn main() {}
