//! One alert name declared with different settings: the generator refuses,
//! naming both places, rather than write a rule that drops one of them.

// The annotated functions here only declare call sites; nothing calls them.
#![allow(dead_code)]

use bizmetrics::monitoring::Stack;
use bizmetrics::{business_metric, Problem};

const FIRST: u32 = line!() + 1;
#[business_metric(action = "a", alert(name = "QuietShop", below = 10))]
fn a() {}

const SECOND: u32 = line!() + 1;
#[business_metric(action = "b", alert(name = "QuietShop", below = 20))]
fn b() {}

#[test]
fn one_alert_name_with_two_thresholds_is_an_error_naming_both_sites() {
    let error = Stack::new("shop").alert_rules().unwrap_err();
    let file = "tests/tests/monitoring_conflict.rs";
    assert_eq!(
        error.problems(),
        [Problem::Alert {
            alert: "QuietShop".to_owned(),
            reason: format!(
                "declared with a different `below` at {file}:{SECOND}:1 than at {file}:{FIRST}:1; give one of them another `name`"
            ),
        }]
    );
    assert!(Stack::new("shop").files().is_err(), "no file half-written");
}
