// A function in an `extern` block has no body to record around.
extern "C" {
    #[bizmetrics::timed]
    fn abs(x: i32) -> i32;
}

fn main() {}
