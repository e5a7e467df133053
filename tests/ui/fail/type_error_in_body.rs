#[bizmetrics::timed]
fn count(items: &[u32]) -> Result<usize, String> {
    Ok(items.len().to_string())
}

#[bizmetrics::business_metric(action = "total")]
async fn total(items: &[u32]) -> u32 {
    items.len()
}

fn main() {}
