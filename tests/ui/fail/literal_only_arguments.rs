// An attribute sees tokens, not values: a constant, a macro call or any
// expression where a literal belongs is refused with the literal to write.

const SEARCH_ROUTE: &str = "/search";
const ACTION: &str = "search";
const STEP: u32 = 1;
const TOP: f64 = 0.5;
const BUCKETS: [f64; 2] = [0.1, 0.5];
const THRESHOLD: &str = "500ms";
const OBJECTIVE: &str = "99.9%";
const HELP: &str = "Searches.";

#[bizmetrics::business_metric(action = "search", endpoint = SEARCH_ROUTE)]
fn search() {}

#[bizmetrics::business_metric(action = ACTION)]
fn act() {}

#[bizmetrics::business_metric(action = "view", name = concat!("views", "_total"))]
fn view() {}

#[bizmetrics::business_metric(action = "pay", help = HELP)]
fn pay() {}

#[bizmetrics::business_metric(action = "step", funnel = "checkout", step = STEP)]
fn step() {}

#[bizmetrics::timed(buckets = [0.1, TOP])]
fn bound() {}

#[bizmetrics::timed(buckets = BUCKETS)]
fn bounds() {}

#[bizmetrics::timed(slow = THRESHOLD)]
fn slow() {}

#[bizmetrics::timed(slo(availability = OBJECTIVE))]
fn objective() -> Result<(), String> {
    Ok(())
}

fn main() {}
