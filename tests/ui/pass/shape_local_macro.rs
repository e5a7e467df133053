// A `macro_rules!` defined in the body, after a `let` that it uses: the
// body's statements keep their order.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

#[business_metric(action = "shift")]
#[timed]
fn shifted(base: u32) -> u32 {
    let offset = 10;
    macro_rules! shift {
        ($x:expr) => {
            $x + offset + base
        };
    }
    shift!(1)
}

// The same in an `async fn`, with `#[timed]` alone.
#[timed]
async fn shifted_later(base: u32) -> u32 {
    let offset = 20;
    macro_rules! shift {
        ($x:expr) => {
            $x + offset + base
        };
    }
    shift!(2)
}

// `#[business_metric]` alone, the macro used twice.
#[business_metric(action = "scale")]
fn scaled(factor: u32) -> u32 {
    let unit = 3;
    macro_rules! scale {
        ($x:expr) => {
            $x * unit * factor
        };
    }
    scale!(1) + scale!(2)
}

fn main() {
    assert_eq!(shifted(5), 16);
    let _future = shifted_later(5);
    assert_eq!(scaled(2), 18);
}
