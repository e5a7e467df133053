//! `#[business_metric]`: exact counts, defaults, static labels, merging.

use bizmetrics::business_metric;
use bizmetrics_tests::sample;

#[business_metric(action = "search", endpoint = "/search")]
fn search() {}

#[business_metric(action = "view")]
fn view_item() {}

// Registered at zero from startup though nothing calls it, which rustc sees.
#[expect(dead_code)]
#[business_metric(action = "never", endpoint = "/never")]
fn never_called() {}

#[business_metric(action = "buy", endpoint = "/buy")]
fn buy_on_web() {}

#[business_metric(action = "buy", endpoint = "/buy")]
fn buy_in_app() {}

#[business_metric(
    action = "signup",
    name = "signups_total",
    help = "Accounts opened.",
    labels(plan = "pro", region = "eu")
)]
fn signup() -> u32 {
    7
}

#[business_metric(action = "hammer", endpoint = "/hammer")]
fn hammered() {}

#[business_metric(action = "async", endpoint = "/async")]
async fn asynchronous() -> u8 {
    1
}

#[test]
fn every_series_exists_at_zero_before_its_first_call() {
    bizmetrics::init().unwrap();
    assert_eq!(
        sample(r#"user_actions_total{action_type="never",endpoint="/never"}"#),
        0.0
    );
}

#[test]
fn counts_each_call_exactly() {
    for _ in 0..5 {
        search();
    }
    assert_eq!(
        sample(r#"user_actions_total{action_type="search",endpoint="/search"}"#),
        5.0
    );
}

#[test]
fn endpoint_defaults_to_the_function_name() {
    view_item();
    assert_eq!(
        sample(r#"user_actions_total{action_type="view",endpoint="view_item"}"#),
        1.0
    );
}

#[test]
fn call_sites_with_the_same_labels_count_together() {
    buy_on_web();
    buy_in_app();
    buy_in_app();
    assert_eq!(
        sample(r#"user_actions_total{action_type="buy",endpoint="/buy"}"#),
        3.0
    );
}

#[test]
fn name_help_and_static_labels_are_used() {
    assert_eq!(signup(), 7, "the body still runs and returns");
    let text = bizmetrics::render();
    assert!(
        text.contains("# HELP signups_total Accounts opened.\n"),
        "{text}"
    );
    assert!(text.contains("# TYPE signups_total counter\n"), "{text}");
    assert_eq!(
        bizmetrics_tests::sample_in(
            &text,
            r#"signups_total{action_type="signup",endpoint="signup",plan="pro",region="eu"}"#
        ),
        1.0
    );
}

#[test]
fn counts_from_many_threads_are_exact() {
    const THREADS: usize = 8;
    const CALLS: usize = 100_000;
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| (0..CALLS).for_each(|_| hammered()));
        }
    });
    #[allow(clippy::cast_precision_loss)]
    let expected = (THREADS * CALLS) as f64;
    assert_eq!(
        sample(r#"user_actions_total{action_type="hammer",endpoint="/hammer"}"#),
        expected
    );
}

#[tokio::test]
async fn async_functions_count_when_awaited() {
    let future = asynchronous();
    assert_eq!(
        sample(r#"user_actions_total{action_type="async",endpoint="/async"}"#),
        0.0
    );
    assert_eq!(future.await, 1);
    assert_eq!(
        sample(r#"user_actions_total{action_type="async",endpoint="/async"}"#),
        1.0
    );
}
