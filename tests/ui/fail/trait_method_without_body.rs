trait Checkout {
    #[bizmetrics::timed]
    fn pay(&self) -> u32;
}

fn main() {}
