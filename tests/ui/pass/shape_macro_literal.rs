// `#[business_metric(action = $a)]` from a `macro_rules!` taking `$a:literal`.
#![deny(warnings)]

use bizmetrics::business_metric;

macro_rules! counted {
    ($name:ident, $a:literal) => {
        #[business_metric(action = $a)]
        #[bizmetrics::timed]
        fn $name() -> u32 {
            1
        }
    };
}

counted!(from_literal, "literal_action");
counted!(from_other_literal, "other_literal_action");

fn main() {
    assert_eq!(from_literal() + from_other_literal(), 2);
}
