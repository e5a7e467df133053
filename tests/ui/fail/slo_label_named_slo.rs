#[bizmetrics::timed(labels(slo = "gold"), slo(availability = "99.9%"))]
fn checkout() -> Result<(), String> {
    Ok(())
}

fn main() {}
