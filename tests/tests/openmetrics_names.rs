//! OpenMetrics declares a counter without its `_total`: a counter
//! `jobs_total` and a gauge `jobs` would both be the family `jobs`, which
//! the format forbids, so `init()` refuses the pair and keeps the counter.

use bizmetrics::{business_metric, timed, Format, Problem};

const COUNTER: u32 = line!() + 1;
#[business_metric(action = "run", name = "jobs_total")]
fn run() {}

const GAUGE: u32 = line!() + 1;
#[timed(in_flight = "jobs")]
fn work() {}

#[test]
fn a_family_named_like_a_counter_without_total_is_refused() {
    let _ = (run, work);
    let error = bizmetrics::init().expect_err("a clash");
    let clash = error.problems().iter().find_map(|problem| match problem {
        Problem::Conflict {
            metric: "jobs",
            what,
            kept,
            conflicting,
        } => Some((*what, kept.0.line, conflicting.0.line)),
        _ => None,
    });
    assert_eq!(
        clash,
        Some(("names in OpenMetrics", COUNTER, GAUGE)),
        "{error}"
    );

    let open = String::from_utf8(bizmetrics::render_as(Format::OpenMetrics)).unwrap();
    assert_eq!(open.matches("# TYPE jobs ").count(), 1, "{open}");
    assert!(open.contains("# TYPE jobs counter"));
}
