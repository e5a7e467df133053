#[bizmetrics::timed(errors)]
fn lookup() -> Option<u32> {
    None
}

fn main() {}
