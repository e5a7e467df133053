// A group field named `outcome`, used on `#[timed]`, which sets `outcome` itself.
use bizmetrics::{timed, LabelGroup};

#[derive(Clone, Copy, LabelGroup)]
struct Result2 {
    outcome: bool,
}

#[timed(labels(r))]
fn call(r: Result2) {
    let _ = r;
}

fn main() {
    call(Result2 { outcome: true });
}
