// A function switches off what a set turns on: `errors = false` on a
// function that cannot fail, `alert = false` on one that should not alert.
// Without it, a set with `errors` could not go on an infallible function.
#![deny(warnings)]

bizmetrics::defaults! {
    query = timed(name = "query_duration_seconds", errors, in_flight, alert(p99 = "1s"));
}

#[bizmetrics::timed(defaults = query)]
fn load() -> Result<u32, String> {
    Ok(3)
}

#[bizmetrics::timed(defaults = query, errors = false, alert = false)]
fn count_rows() -> u32 {
    3
}

fn main() {
    assert_eq!(load(), Ok(3));
    assert_eq!(count_rows(), 3);
    let text = bizmetrics::render();
    assert!(text.contains(r#"application_errors_total{function="load","#));
    assert!(!text.contains(r#"application_errors_total{function="count_rows""#));
    assert!(text.contains(r#"function_calls_in_flight{function="count_rows","#));
}
