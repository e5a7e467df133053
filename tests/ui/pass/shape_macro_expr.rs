// `#[business_metric(action = $a)]` from a `macro_rules!` taking `$a:expr`:
// the literal arrives wrapped in an invisible group.
#![deny(warnings)]

use bizmetrics::business_metric;

macro_rules! counted {
    ($a:expr) => {
        #[business_metric(action = $a)]
        #[bizmetrics::timed]
        fn from_expr() -> u32 {
            1
        }
    };
}

counted!("expr_action");

// `endpoint` from an `expr` fragment too.
macro_rules! handler {
    ($name:ident, $action:expr, $endpoint:expr) => {
        #[business_metric(action = $action, endpoint = $endpoint)]
        #[bizmetrics::timed]
        async fn $name() -> Result<(), String> {
            Ok(())
        }
    };
}

handler!(list, "list", "/list");

fn main() {
    assert_eq!(from_expr(), 1);
    let _future = list();
}
