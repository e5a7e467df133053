// Values that must be strings, written bare.
#[bizmetrics::business_metric(action = "a", alert(below = 10, per = 15m))]
fn a() {}

#[bizmetrics::timed(errors = true)]
fn b() -> Result<(), String> {
    Ok(())
}

#[bizmetrics::timed(slow = 500)]
fn c() {}

fn main() {}
