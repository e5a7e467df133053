//! Labels chosen per call from bounded types, `count = "ok"`, and the
//! error, in-flight and slow-call metrics of `#[timed]`.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Waker};
use std::time::Duration;

use bizmetrics::{business_metric, timed, LabelValue};
use bizmetrics_tests::executor::{block_on, poll_once, yield_once};
use bizmetrics_tests::sample;

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
    Desktop,
    #[label(rename = "smart-tv")]
    SmartTv,
}

#[derive(Clone, Copy, LabelValue)]
enum AgeGroup {
    Under25,
    From25To54,
    #[allow(dead_code)] // never passed: its series must exist anyway
    Over55,
}

struct Profile {
    device: Device,
    age: AgeGroup,
    region: Option<Region>,
}

#[derive(Clone, Copy, LabelValue)]
enum Region {
    Eu,
    Us,
}

/// Stands in for an axum extractor such as `Query(q): Query<Search>`.
struct Extract<T>(T);

// One metric keeps one set of label names, so each label set below has a
// metric of its own; `init()` refuses a mix.
#[business_metric(action = "search", endpoint = "/search", labels(device = device))]
fn search(device: Device) {}

#[business_metric(
    action = "browse",
    name = "profile_actions_total",
    labels(device: Device = profile.device, age: AgeGroup = profile.age, region: Option<Region> = profile.region, premium = premium)
)]
fn browse(Extract(profile): Extract<Profile>, premium: bool) {}

#[business_metric(action = "threads", labels(device = device))]
fn from_threads(device: Device) {}

#[business_metric(action = "purchase", count = "ok", labels(device = device))]
fn purchase(device: Device, pay: bool) -> Result<u32, String> {
    if !pay {
        return Err("declined".into());
    }
    Ok(100)
}

#[allow(dead_code)] // never called: its series must exist anyway
#[business_metric(action = "idle", endpoint = "/idle", labels(device = device))]
fn idle(device: Device) {}

fn users_sample(action: &str, rest: &str) -> f64 {
    let metric = if action == "browse" {
        "profile_actions_total"
    } else {
        "user_actions_total"
    };
    sample(&format!(r#"{metric}{{action_type="{action}",{rest}}}"#))
}

#[test]
fn every_combination_exists_at_zero_from_startup() {
    bizmetrics::init().unwrap();
    for device in ["mobile", "desktop", "smart-tv"] {
        assert_eq!(
            users_sample("idle", &format!(r#"device="{device}",endpoint="/idle""#)),
            0.0
        );
    }
    assert_eq!(
        users_sample(
            "browse",
            r#"age="over55",device="smart-tv",endpoint="browse",premium="false",region="none""#
        ),
        0.0
    );
}

#[test]
fn a_label_from_a_parameter_picks_the_series() {
    search(Device::SmartTv);
    search(Device::SmartTv);
    search(Device::Mobile);
    assert_eq!(
        users_sample("search", r#"device="smart-tv",endpoint="/search""#),
        2.0
    );
    assert_eq!(
        users_sample("search", r#"device="mobile",endpoint="/search""#),
        1.0
    );
}

#[test]
fn labels_from_a_destructured_extractor_with_option_and_bool() {
    let profile = |region| Profile {
        device: Device::Desktop,
        age: AgeGroup::From25To54,
        region,
    };
    browse(Extract(profile(Some(Region::Eu))), true);
    browse(Extract(profile(None)), false);
    let young_in_us = Profile {
        device: Device::Mobile,
        age: AgeGroup::Under25,
        region: Some(Region::Us),
    };
    browse(Extract(young_in_us), false);
    assert_eq!(
        users_sample(
            "browse",
            r#"age="from25_to54",device="desktop",endpoint="browse",premium="true",region="eu""#
        ),
        1.0
    );
    assert_eq!(
        users_sample(
            "browse",
            r#"age="from25_to54",device="desktop",endpoint="browse",premium="false",region="none""#
        ),
        1.0
    );
    assert_eq!(
        users_sample(
            "browse",
            r#"age="under25",device="mobile",endpoint="browse",premium="false",region="us""#
        ),
        1.0
    );
    assert_eq!(
        users_sample(
            "browse",
            r#"age="under25",device="desktop",endpoint="browse",premium="true",region="eu""#
        ),
        0.0
    );
}

#[test]
fn counts_through_dynamic_labels_from_many_threads_are_exact() {
    const CALLS: usize = 50_000;
    std::thread::scope(|scope| {
        for device in [
            Device::Mobile,
            Device::Desktop,
            Device::SmartTv,
            Device::Mobile,
        ] {
            scope.spawn(move || (0..CALLS).for_each(|_| from_threads(device)));
        }
    });
    assert_eq!(
        users_sample("threads", r#"device="mobile",endpoint="from_threads""#),
        100_000.0
    );
    assert_eq!(
        users_sample("threads", r#"device="desktop",endpoint="from_threads""#),
        50_000.0
    );
    assert_eq!(
        users_sample("threads", r#"device="smart-tv",endpoint="from_threads""#),
        50_000.0
    );
}

#[test]
fn count_ok_counts_only_successful_calls() {
    assert!(purchase(Device::Mobile, true).is_ok());
    assert!(purchase(Device::Mobile, false).is_err());
    assert!(purchase(Device::Desktop, false).is_err());
    assert_eq!(
        users_sample("purchase", r#"device="mobile",endpoint="purchase""#),
        1.0
    );
    assert_eq!(
        users_sample("purchase", r#"device="desktop",endpoint="purchase""#),
        0.0
    );
}

#[derive(Debug, LabelValue)]
enum PaymentError {
    Declined,
    #[label(rename = "gateway_timeout")]
    Timeout,
}

#[timed(name = "payment_duration_seconds", errors(kind = PaymentError), labels(device = device))]
fn pay(device: Device, outcome: Option<PaymentError>) -> Result<(), PaymentError> {
    outcome.map_or(Ok(()), Err)
}

#[timed(errors = "lookup_errors_total")]
fn lookup(found: bool) -> std::io::Result<u8> {
    if found {
        Ok(1)
    } else {
        Err(std::io::ErrorKind::NotFound.into())
    }
}

#[test]
fn errors_are_counted_by_kind_and_by_the_call_labels() {
    pay(Device::Mobile, None).unwrap();
    pay(Device::Mobile, Some(PaymentError::Declined)).unwrap_err();
    pay(Device::Mobile, Some(PaymentError::Timeout)).unwrap_err();
    pay(Device::Mobile, Some(PaymentError::Timeout)).unwrap_err();
    let errors = |kind: &str| {
        sample(&format!(
            r#"application_errors_total{{device="mobile",function="pay",kind="{kind}",module="dimensions"}}"#
        ))
    };
    assert_eq!(errors("declined"), 1.0);
    assert_eq!(errors("gateway_timeout"), 2.0);
    assert_eq!(
        sample(
            r#"payment_duration_seconds_count{device="mobile",function="pay",module="dimensions",outcome="error"}"#
        ),
        3.0
    );
    assert_eq!(
        sample(
            r#"application_errors_total{device="desktop",function="pay",kind="declined",module="dimensions"}"#
        ),
        0.0
    );
}

#[test]
fn the_error_counter_can_be_renamed() {
    lookup(true).unwrap();
    lookup(false).unwrap_err();
    assert_eq!(
        sample(r#"lookup_errors_total{function="lookup",module="dimensions"}"#),
        1.0
    );
}

#[timed(in_flight = "database_connections_active")]
async fn query(fail: bool, explode: bool) -> Result<u8, String> {
    tokio::task::yield_now().await;
    assert!(!explode, "query exploded");
    let value: u8 = if fail {
        "x".parse().map_err(|_| "bad".to_owned())?
    } else {
        1
    };
    Ok(value)
}

fn in_flight() -> f64 {
    sample(r#"database_connections_active{function="query",module="dimensions"}"#)
}

#[test]
fn the_in_flight_gauge_returns_to_zero_on_every_way_out() {
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(in_flight(), 0.0);

    // Return and `?`: counted while suspended, back to 0 after.
    for fail in [false, true] {
        let mut call = Box::pin(query(fail, false));
        assert!(call.as_mut().poll(&mut cx).is_pending());
        assert_eq!(in_flight(), 1.0);
        assert!(call.as_mut().poll(&mut cx).is_ready());
        assert_eq!(in_flight(), 0.0);
    }

    // Cancelled: the future is dropped while suspended.
    let mut call = Box::pin(query(false, false));
    assert!(call.as_mut().poll(&mut cx).is_pending());
    let mut second = Box::pin(query(false, false));
    assert!(second.as_mut().poll(&mut cx).is_pending());
    assert_eq!(in_flight(), 2.0);
    drop(call);
    drop(second);
    assert_eq!(in_flight(), 0.0);

    // Panic.
    let mut call = Box::pin(query(false, true));
    assert!(call.as_mut().poll(&mut cx).is_pending());
    let caught = catch_unwind(AssertUnwindSafe(|| call.as_mut().poll(&mut cx)));
    assert!(caught.is_err());
    assert_eq!(in_flight(), 0.0);
    assert_eq!(
        sample(
            r#"function_duration_seconds_count{function="query",module="dimensions",outcome="panic"}"#
        ),
        1.0
    );
}

#[timed(slow(after = "30ms", name = "slow_queries_total"))]
fn maybe_slow(millis: u64) {
    std::thread::sleep(Duration::from_millis(millis));
}

#[timed(slow = "1s")]
fn never_slow() {}

#[test]
fn calls_over_the_slow_threshold_are_counted() {
    maybe_slow(1);
    maybe_slow(60);
    maybe_slow(80);
    never_slow();
    assert_eq!(
        sample(r#"slow_queries_total{function="maybe_slow",module="dimensions"}"#),
        2.0
    );
    assert_eq!(
        sample(r#"slow_calls_total{function="never_slow",module="dimensions"}"#),
        0.0
    );
}

#[business_metric(action = "view_item", funnel = "purchase", step = 2, labels(device = device))]
fn view_item(device: Device) {}

#[business_metric(action = "search", funnel = "purchase", step = 1, labels(device = device))]
fn search_step(device: Device) {}

#[business_metric(action = "checkout", funnel = "purchase", step = 3, count = "ok", labels(device = device))]
fn checkout(device: Device) -> Result<(), String> {
    Ok(())
}

#[test]
fn funnels_are_collected_in_step_order() {
    let funnels = bizmetrics::funnels();
    assert_eq!(funnels.len(), 1);
    let funnel = &funnels[0];
    assert_eq!(funnel.name, "purchase");
    let steps: Vec<_> = funnel
        .steps
        .iter()
        .map(|step| {
            (
                step.number,
                step.action,
                step.metric,
                step.dimensions.clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (1, "search", "user_actions_total", vec!["device"]),
            (2, "view_item", "user_actions_total", vec!["device"]),
            (3, "checkout", "user_actions_total", vec!["device"]),
        ]
    );
    search_step(Device::Mobile);
    view_item(Device::Mobile);
    checkout(Device::Mobile).unwrap();
}

// The in-flight gauge in every body kind: sync, sync `Result`, `async fn`
// and returned future; completed, panicked, cancelled after the first poll
// and dropped before it.

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

#[timed(in_flight = "jobs_in_flight")]
fn job_sync(explode: bool) {
    assert!(!explode, "boom");
}

#[timed(in_flight = "jobs_in_flight")]
fn job_sync_result(explode: bool) -> Result<(), String> {
    assert!(!explode, "boom");
    Err("no".to_owned())
}

#[timed(in_flight = "jobs_in_flight")]
async fn job_async(explode: bool) -> Result<(), String> {
    yield_once().await;
    assert!(!explode, "boom");
    Ok(())
}

#[timed(in_flight = "jobs_in_flight")]
fn job_returned_future(explode: bool) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
    Box::pin(async move {
        yield_once().await;
        assert!(!explode, "boom");
        Err("no".to_owned())
    })
}

fn jobs_in_flight(function: &str) -> f64 {
    sample(&format!(
        r#"jobs_in_flight{{function="{function}",module="dimensions"}}"#
    ))
}

#[test]
fn the_in_flight_gauge_returns_to_zero_in_every_body_kind() {
    job_sync(false);
    assert!(catch_unwind(|| job_sync(true)).is_err());
    assert!(job_sync_result(false).is_err());
    assert!(catch_unwind(|| job_sync_result(true)).is_err());
    assert_eq!(outcomes("job_sync"), [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("job_sync_result"), [0.0, 1.0, 1.0, 0.0]);

    // Async and returned futures: complete, panic, cancelled after the first
    // poll, dropped before it.
    assert!(block_on(job_async(false)).is_ok());
    assert!(block_on(job_returned_future(false)).is_err());
    assert!(catch_unwind(|| block_on(job_async(true))).is_err());
    assert!(catch_unwind(|| block_on(job_returned_future(true))).is_err());
    let mut started = Box::pin(job_async(false));
    assert!(poll_once(started.as_mut()).is_pending());
    assert_eq!(jobs_in_flight("job_async"), 1.0);
    drop(started);
    let mut started = job_returned_future(false);
    assert!(poll_once(started.as_mut()).is_pending());
    assert_eq!(jobs_in_flight("job_returned_future"), 1.0);
    drop(started);
    drop(job_async(false));
    drop(job_returned_future(false));
    assert_eq!(outcomes("job_async"), [1.0, 0.0, 1.0, 1.0]);
    assert_eq!(outcomes("job_returned_future"), [0.0, 1.0, 1.0, 1.0]);

    for function in [
        "job_sync",
        "job_sync_result",
        "job_async",
        "job_returned_future",
    ] {
        assert_eq!(jobs_in_flight(function), 0.0, "{function}");
    }
}
