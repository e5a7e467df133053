#![deny(unused_must_use)]

#[must_use]
#[bizmetrics::timed]
fn total() -> u32 {
    3
}

fn main() {
    total();
}
