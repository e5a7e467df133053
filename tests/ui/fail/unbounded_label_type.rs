#[bizmetrics::business_metric(action = "search", labels(query = query))]
fn search(query: String) {}

#[bizmetrics::business_metric(action = "view", labels(user: u64 = user_id))]
fn view(user_id: u64) {}

#[bizmetrics::timed(labels(path: &str = path))]
fn open(path: &str) {}

fn main() {}
