// A group whose combinations exceed MAX_SERIES, and one that fits alone
// but not with the histogram's outcome and a single label.
use bizmetrics::{timed, LabelGroup, LabelValue};

struct Big(usize);

impl LabelValue for Big {
    const CARDINALITY: usize = 5_000;
    fn ordinal(&self) -> usize {
        self.0
    }
    fn label(_: usize) -> &'static str {
        "x"
    }
}

#[derive(LabelGroup)]
struct TooBig {
    a: Big,
    b: bool,
    c: bool,
}

#[derive(LabelGroup)]
struct Fits {
    a: Big,
}

#[timed(labels(fits, flag = flag))]
fn call(fits: Fits, flag: bool) {
    let _ = (fits, flag);
}

fn main() {
    let _ = TooBig { a: Big(0), b: true, c: false };
    call(Fits { a: Big(0) }, true);
}
