#[bizmetrics::business_metric(action = "purchase", count = "ok")]
fn purchase() -> u32 {
    1
}

#[bizmetrics::business_metric(action = "refund", count = "sometimes")]
fn refund() -> Result<(), String> {
    Ok(())
}

fn main() {}
