//! One series with two different objectives: same-named methods in one
//! module share a series, so their objectives must agree. The generator
//! refuses, naming both places, rather than write two sets of rules that
//! record the same ratio.

// The annotated functions here only declare call sites; nothing calls them.
#![allow(dead_code)]

use bizmetrics::monitoring::Stack;
use bizmetrics::{timed, Problem};

struct Cart;
struct Wishlist;

impl Cart {
    #[timed(slo(availability = "99.9%"))]
    fn add(&self) {}
}

const FIRST: u32 = line!() + 2;
impl Wishlist {
    #[timed(slo(availability = "99%"))]
    fn add(&self) {}
}

// The same objective twice is one objective.
impl Cart {
    #[timed(slo(latency(p99 = "250ms")))]
    fn remove(&self) {}
}
impl Wishlist {
    #[timed(slo(latency(p99 = "250ms")))]
    fn remove(&self) {}
}

#[test]
fn one_series_with_two_objectives_is_an_error_naming_both_sites() {
    let error = Stack::new("shop").alert_rules().unwrap_err();
    let problems = error.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let Problem::Alert { alert, reason } = &problems[0] else {
        panic!("{problems:?}");
    };
    assert_eq!(alert, "ShopErrorBudgetBurn");
    let file = "tests/tests/slo_conflict.rs";
    assert!(
        reason.starts_with("the availability objective of add is declared differently at ")
            && reason.contains(&format!("{file}:{FIRST}:"))
            && reason.ends_with("; declare it once"),
        "{reason}"
    );
    assert!(Stack::new("shop").files().is_err(), "no file half-written");
}
