#[bizmetrics::timed(in_flight = "connections_total")]
fn a() {}

#[bizmetrics::timed(in_flight = "database-connections")]
fn b() {}

#[bizmetrics::timed(errors = "failures")]
fn c() -> Result<(), ()> {
    Ok(())
}

fn main() {}
