//! `#[timed]`: outcomes on every way out, and durations against known sleeps.

use std::future::Future;
use std::num::ParseIntError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bizmetrics::timed;
use bizmetrics_tests::executor::block_on;
use bizmetrics_tests::{sample, sample_in};

fn count(function: &str, outcome: &str) -> f64 {
    sample(&format!(
        r#"function_duration_seconds_count{{function="{function}",module="timed",outcome="{outcome}"}}"#
    ))
}

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    ["ok", "error", "panic", "cancelled"].map(|outcome| count(function, outcome))
}

#[timed]
fn parse(text: &str) -> Result<u8, ParseIntError> {
    let number: u8 = text.parse()?;
    Ok(number)
}

#[timed]
fn early_return(flag: bool) -> Result<&'static str, String> {
    if flag {
        return Err("early".into());
    }
    Ok("late")
}

#[timed]
fn read_config(path: &str) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

#[derive(Debug)]
struct AppError;
type AppResult<T> = Result<T, AppError>;

#[timed]
fn aliased(ok: bool) -> AppResult<u8> {
    if ok {
        Ok(1)
    } else {
        Err(AppError)
    }
}

#[timed]
fn plain() -> Option<u8> {
    None
}

#[timed]
fn explode() -> u8 {
    panic!("boom")
}

#[timed]
async fn explode_async() -> u8 {
    panic!("async boom")
}

#[timed]
async fn wait_forever() {
    std::future::pending::<()>().await;
}

#[timed]
async fn async_fallible(fail: bool) -> Result<(), String> {
    tokio::task::yield_now().await;
    if fail {
        Err("no".into())
    } else {
        Ok(())
    }
}

#[expect(dead_code)]
#[timed]
fn untouched() {}

#[timed(name = "nap_duration_seconds", buckets = [0.05, 0.2, 1.0])]
fn nap(millis: u64) {
    std::thread::sleep(Duration::from_millis(millis));
}

#[test]
fn every_outcome_exists_at_zero_before_the_first_call() {
    bizmetrics::init().unwrap();
    assert_eq!(outcomes("untouched"), [0.0; 4]);
}

#[test]
fn ok_and_question_mark_errors_are_told_apart() {
    assert_eq!(parse("42"), Ok(42));
    assert!(parse("forty-two").is_err());
    assert!(parse("").is_err());
    assert_eq!(outcomes("parse"), [1.0, 2.0, 0.0, 0.0]);
}

#[test]
fn early_returns_are_recorded() {
    assert!(early_return(true).is_err());
    assert_eq!(early_return(false), Ok("late"));
    assert_eq!(outcomes("early_return"), [1.0, 1.0, 0.0, 0.0]);
}

#[test]
fn io_results_and_aliases_of_result_count_errors() {
    assert!(read_config("/nonexistent/bizmetrics.toml").is_err());
    assert!(aliased(true).is_ok());
    assert!(aliased(false).is_err());
    assert_eq!(outcomes("read_config"), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("aliased"), [1.0, 1.0, 0.0, 0.0]);
}

#[test]
fn values_that_are_not_results_are_ok() {
    assert_eq!(plain(), None);
    assert_eq!(outcomes("plain"), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn a_panic_is_recorded_and_carries_on() {
    let caught = catch_unwind(explode);
    assert!(caught.is_err(), "the panic must reach the caller");
    assert_eq!(outcomes("explode"), [0.0, 0.0, 1.0, 0.0]);
}

#[test]
fn a_panic_in_an_async_body_is_recorded() {
    let mut future = pin!(explode_async());
    let mut cx = Context::from_waker(Waker::noop());
    let caught = catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx)));
    assert!(caught.is_err());
    assert_eq!(outcomes("explode_async"), [0.0, 0.0, 1.0, 0.0]);
}

#[test]
fn a_future_dropped_after_its_first_poll_is_cancelled() {
    let mut cx = Context::from_waker(Waker::noop());
    {
        let mut future = Box::pin(wait_forever());
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    // Never polled: it never started, so nothing is recorded.
    drop(wait_forever());
    assert_eq!(outcomes("wait_forever"), [0.0, 0.0, 0.0, 1.0]);
}

#[tokio::test]
async fn async_results_are_classified() {
    assert!(async_fallible(false).await.is_ok());
    assert!(async_fallible(true).await.is_err());
    assert!(
        tokio::time::timeout(Duration::from_millis(20), wait_until_cancelled())
            .await
            .is_err()
    );
    assert_eq!(outcomes("async_fallible"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("wait_until_cancelled"), [0.0, 0.0, 0.0, 1.0]);
}

#[timed]
async fn wait_until_cancelled() {
    tokio::time::sleep(Duration::from_secs(60)).await;
}

#[test]
fn durations_land_in_the_right_buckets_and_sum() {
    nap(10);
    nap(100);
    let text = bizmetrics::render();
    let series = |suffix: &str, le: Option<&str>| {
        let le = le.map(|le| format!(r#",le="{le}""#)).unwrap_or_default();
        sample_in(
            &text,
            &format!(
                r#"nap_duration_seconds{suffix}{{function="nap",module="timed",outcome="ok"{le}}}"#
            ),
        )
    };
    assert_eq!(series("_bucket", Some("0.05")), 1.0, "the 10 ms nap");
    assert_eq!(series("_bucket", Some("0.2")), 2.0, "both naps, cumulative");
    assert_eq!(series("_bucket", Some("1")), 2.0);
    assert_eq!(series("_bucket", Some("+Inf")), 2.0);
    assert_eq!(series("_count", None), 2.0);
    let sum = series("_sum", None);
    // Sleeps never return early; allow generous slack for a loaded machine.
    assert!(
        (0.110..0.6).contains(&sum),
        "sum of a 10 ms and a 100 ms nap was {sum}"
    );
}

struct Cart {
    items: Vec<u32>,
}

impl Cart {
    #[timed]
    fn add(&mut self, item: u32) -> usize {
        self.items.push(item);
        self.items.len()
    }

    #[timed]
    fn total(&self) -> u32 {
        self.items.iter().sum()
    }

    #[timed]
    fn into_items(self) -> Vec<u32> {
        self.items
    }
}

trait Priced {
    fn price(&self) -> u32;
}

impl Priced for Cart {
    #[timed]
    fn price(&self) -> u32 {
        self.total() * 2
    }
}

#[timed]
fn largest<T: PartialOrd + Copy>(items: &[T]) -> Option<T> {
    items.iter().copied().fold(None, |best, item| match best {
        Some(best) if best >= item => Some(best),
        _ => Some(item),
    })
}

#[timed]
fn evens(limit: u32) -> impl Iterator<Item = u32> {
    (0..limit).filter(|n| n % 2 == 0)
}

#[test]
fn methods_generics_and_impl_trait_are_timed() {
    let mut cart = Cart { items: Vec::new() };
    assert_eq!(cart.add(3), 1);
    assert_eq!(cart.add(4), 2);
    assert_eq!(cart.price(), 14);
    assert_eq!(cart.into_items(), vec![3, 4]);
    assert_eq!(largest(&[1, 9, 4]), Some(9));
    assert_eq!(largest(&[1.5, 0.5]), Some(1.5));
    assert_eq!(evens(7).collect::<Vec<_>>(), vec![0, 2, 4, 6]);

    assert_eq!(count("add", "ok"), 2.0);
    assert_eq!(count("total", "ok"), 1.0, "called from price()");
    assert_eq!(count("price", "ok"), 1.0);
    assert_eq!(count("into_items", "ok"), 1.0);
    assert_eq!(
        count("largest", "ok"),
        2.0,
        "both instantiations share the call site"
    );
    assert_eq!(count("evens", "ok"), 1.0);
}

#[timed]
async fn yields_once() -> Result<(), String> {
    tokio::task::yield_now().await;
    Ok(())
}

#[test]
fn a_pending_poll_is_not_an_outcome_and_completion_records_once() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = Box::pin(yields_once());
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert_eq!(outcomes("yields_once"), [0.0; 4]);
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    drop(future);
    assert_eq!(outcomes("yields_once"), [1.0, 0.0, 0.0, 0.0]);
}

// A `Result` behind a qualified associated type, `<T as Trait>::Out`, is
// judged as a `Result`.

trait Reply {
    type Out;
}

struct JsonReply;

impl Reply for JsonReply {
    type Out = Result<u32, String>;
}

#[timed]
fn qualified_reply(fail: bool) -> <JsonReply as Reply>::Out {
    if fail {
        Err("bad".to_owned())
    } else {
        Ok(1)
    }
}

#[test]
fn a_result_behind_a_qualified_path_records_its_errors() {
    assert!(qualified_reply(true).is_err());
    assert!(qualified_reply(false).is_ok());
    assert_eq!(outcomes("qualified_reply"), [1.0, 1.0, 0.0, 0.0]);
}

// Outcomes by return type, as the README documents them.

type Aliased<T> = Result<T, std::num::ParseIntError>;

#[timed]
fn parse_aliased(text: &str) -> Aliased<u8> {
    text.parse()
}

#[timed]
fn flush(fail: bool) -> std::io::Result<()> {
    if fail {
        return Err(std::io::Error::other("disk"));
    }
    Ok(())
}

#[timed]
fn maybe_one(give: bool) -> Option<u8> {
    give.then_some(1)
}

#[timed]
fn make_any<R>(make: impl FnOnce() -> R) -> R {
    make()
}

#[timed]
#[allow(clippy::manual_async_fn)]
fn ready_result(fail: bool) -> impl Future<Output = Result<u8, String>> {
    std::future::ready(if fail { Err("x".to_owned()) } else { Ok(1) })
}

#[test]
fn outcomes_follow_the_documented_rules() {
    assert!(parse_aliased("1").is_ok());
    assert!(parse_aliased("x").is_err());
    assert!(flush(true).is_err());
    assert!(flush(false).is_ok());
    assert_eq!(maybe_one(false), None);
    assert!(make_any(|| Err::<(), _>("x")).is_err());
    assert!(block_on(ready_result(true)).is_err());
    assert!(block_on(ready_result(false)).is_ok());
    assert_eq!(outcomes("parse_aliased"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("flush"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("maybe_one"), [1.0, 0.0, 0.0, 0.0]);
    // Documented: `fn f<R>() -> R` records `ok`, whatever `R` is.
    assert_eq!(outcomes("make_any"), [1.0, 0.0, 0.0, 0.0]);
    // A returned future that is not an `async` block: judged by its output.
    assert_eq!(outcomes("ready_result"), [1.0, 1.0, 0.0, 0.0]);
}
