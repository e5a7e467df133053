use bizmetrics::timed;

#[timed(alert(error_ratio = 5))]
fn percent_not_ratio() -> Result<(), String> {
    Ok(())
}

#[timed(alert(error_ratio = 0.0))]
fn zero_always_fires() -> Result<(), String> {
    Ok(())
}

fn main() {}
