//! Function shapes that `#[timed]` and `#[business_metric]` take as written,
//! ported from the test suites of tracing-attributes (`#[instrument]`) and
//! autometrics (`#[autometrics]`), and what each records.
//!
//! The compile-only counterparts are `tests/ui/pass/shape_*.rs`.

use std::convert::Infallible;
use std::fmt::{self, Debug, Display};
use std::future::Future;
use std::num::TryFromIntError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use async_trait::async_trait;
use bizmetrics::{business_metric, timed};
use bizmetrics_tests::{sample, sample_in};

/// `metric{function="..",module="shapes",outcome=".."}`.
fn series(metric: &str, function: &str, outcome: &str) -> String {
    format!(r#"{metric}{{function="{function}",module="shapes",outcome="{outcome}"}}"#)
}

fn count(function: &str, outcome: &str) -> f64 {
    sample(&series(
        "function_duration_seconds_count",
        function,
        outcome,
    ))
}

fn seconds(function: &str, outcome: &str) -> f64 {
    sample(&series("function_duration_seconds_sum", function, outcome))
}

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    ["ok", "error", "panic", "cancelled"].map(|outcome| count(function, outcome))
}

fn actions(action: &str, endpoint: &str) -> f64 {
    sample(&format!(
        r#"user_actions_total{{action_type="{action}",endpoint="{endpoint}"}}"#
    ))
}

fn errors(function: &str) -> f64 {
    sample(&format!(
        r#"application_errors_total{{function="{function}",module="shapes"}}"#
    ))
}

/// Polls `future` to completion on this thread, as a minimal executor.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}

/// Asserts that `seconds` covers a 50 ms sleep, with slack for a loaded machine.
fn assert_slept(function: &str, seconds: f64) {
    assert!(
        (0.05..5.0).contains(&seconds),
        "`{function}` slept 50 ms inside its future, but recorded {seconds} s"
    );
}

// ---------------------------------------------------------------------------
// Bodies that never return normally.

// From the brief (no peer test has it): `todo!()` as the whole body.
#[timed]
fn not_written_yet(_id: u32) -> Result<String, String> {
    todo!()
}

// From the brief: `unimplemented!()`, stacked with `#[business_metric]`.
#[timed]
#[business_metric(action = "unimplemented")]
fn unimplemented_action() -> Vec<u8> {
    unimplemented!()
}

// From the brief: `todo!()` in an `async fn`.
#[timed]
async fn async_todo() -> Result<u32, String> {
    todo!()
}

// From the brief: `-> !` with a `panic!` body.
#[timed]
#[business_metric(action = "give_up")]
fn give_up(reason: &str) -> ! {
    panic!("giving up: {reason}")
}

// From the brief: `-> !` with a `loop {}` body; never called.
#[allow(dead_code)]
#[timed]
fn serve_forever() -> ! {
    loop {
        std::thread::park();
    }
}

// From the brief: a `loop` body that leaves only by `return` or a panic.
#[timed]
fn position(haystack: &[u32], needle: u32) -> usize {
    let mut i = 0;
    loop {
        if haystack[i] == needle {
            return i;
        }
        i += 1;
    }
}

// From the brief: `Result<Infallible, E>`, from a loop.
#[timed]
fn run_until_error(limit: u32) -> Result<Infallible, String> {
    let mut step = 0;
    loop {
        step += 1;
        if step == limit {
            return Err(format!("stopped at {step}"));
        }
    }
}

#[test]
fn todo_and_unimplemented_bodies_are_recorded_as_panics() {
    assert!(catch_unwind(|| not_written_yet(1)).is_err());
    assert!(catch_unwind(unimplemented_action).is_err());
    let mut future = pin!(async_todo());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))).is_err());

    assert_eq!(outcomes("not_written_yet"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("unimplemented_action"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("async_todo"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(
        actions("unimplemented", "unimplemented_action"),
        1.0,
        "counted when the body starts"
    );
}

#[test]
fn never_returning_functions_record_their_panic() {
    assert!(catch_unwind(|| {
        give_up("tired");
    })
    .is_err());
    assert_eq!(outcomes("give_up"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(actions("give_up", "give_up"), 1.0);
    assert_eq!(outcomes("serve_forever"), [0.0; 4], "exists, never called");
}

#[test]
fn loop_bodies_record_their_way_out() {
    assert_eq!(position(&[3, 5, 7], 7), 2);
    assert!(catch_unwind(|| position(&[1], 9)).is_err(), "out of bounds");
    assert_eq!(run_until_error(3), Err("stopped at 3".to_owned()));
    assert_eq!(outcomes("position"), [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("run_until_error"), [0.0, 1.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Sync functions returning borrows.

struct Slot<T> {
    value: T,
    name: String,
}

impl<T> Slot<T> {
    // From the brief: `fn get(&mut self) -> &mut T`.
    #[timed]
    fn value(&mut self) -> &mut T {
        &mut self.value
    }

    // From the brief: `-> &str` from `&mut self`.
    #[timed]
    fn shout(&mut self) -> &str {
        self.name.push('!');
        &self.name
    }

    // From the brief: `-> &mut Self`, stacked.
    #[business_metric(action = "rename")]
    #[timed]
    fn rename(&mut self, name: &str) -> &mut Self {
        name.clone_into(&mut self.name);
        self
    }

    // From the brief: `Result<&mut T, E>`.
    #[timed]
    fn try_value(&mut self, allowed: bool) -> Result<&mut T, String> {
        if !allowed {
            return Err(format!("{} is locked", self.name));
        }
        Ok(&mut self.value)
    }
}

// From the brief: `fn f(v: &mut [u32]) -> Option<&mut u32>`.
#[timed]
fn first_even(v: &mut [u32]) -> Option<&mut u32> {
    v.iter_mut().find(|n| **n % 2 == 0)
}

// From the brief: an explicit lifetime on a `&mut` borrow.
#[allow(clippy::needless_lifetimes)]
#[timed]
fn push_and_get<'a>(items: &'a mut Vec<u32>, item: u32) -> &'a mut u32 {
    items.push(item);
    items.last_mut().expect("just pushed")
}

// From tracing-attributes tests/ret.rs: ret_mut
#[timed]
fn ret_mut(a: &mut i32) -> i32 {
    *a *= 2;
    *a
}

// From tracing-attributes tests/err.rs: err_mut
#[timed(errors)]
fn err_mut(out: &mut u8) -> Result<(), TryFromIntError> {
    *out = u8::try_from(1234)?;
    Ok(())
}

// From tracing-attributes tests/err.rs: err_mut_async
#[timed(errors)]
async fn err_mut_async(polls: usize, out: &mut u8) -> Result<(), TryFromIntError> {
    for _ in 0..polls {
        tokio::task::yield_now().await;
    }
    *out = u8::try_from(1234)?;
    Ok(())
}

#[test]
fn borrow_returning_functions_count_each_call() {
    let mut slot = Slot {
        value: 1u32,
        name: "slot".to_owned(),
    };
    *slot.value() += 1;
    *slot.value() += 1;
    assert_eq!(slot.shout(), "slot!");
    slot.rename("a").rename("b").rename("c");
    *slot.try_value(true).unwrap() += 10;
    assert_eq!(slot.try_value(false), Err("c is locked".to_owned()));
    assert_eq!(slot.value, 13);

    let mut numbers = [1, 3, 4, 6];
    *first_even(&mut numbers).unwrap() = 40;
    assert!(first_even(&mut [1, 3]).is_none());
    assert_eq!(numbers, [1, 3, 40, 6]);

    let mut items = Vec::new();
    *push_and_get(&mut items, 1) += 1;
    *push_and_get(&mut items, 5) += 1;
    assert_eq!(items, [2, 6]);

    assert_eq!(outcomes("value"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("shout"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("rename"), [3.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("rename", "rename"), 3.0);
    assert_eq!(outcomes("try_value"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("first_even"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("push_and_get"), [2.0, 0.0, 0.0, 0.0]);
}

#[test]
fn mutable_arguments_keep_their_writes() {
    let mut a = 1;
    assert_eq!(ret_mut(&mut a), 2);
    assert_eq!(a, 2);
    let mut out = 7;
    assert!(err_mut(&mut out).is_err());
    assert_eq!(out, 7);
    assert!(block_on(err_mut_async(2, &mut out)).is_err());
    assert_eq!(outcomes("ret_mut"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("err_mut"), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("err_mut"), 1.0);
    assert_eq!(outcomes("err_mut_async"), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("err_mut_async"), 1.0);
}

// ---------------------------------------------------------------------------
// Futures returned, not awaited: timed until they complete, by their output.

// From tracing-attributes tests/async_fn.rs: manual_box_pin, with a `Result`
// output and a 50 ms sleep inside.
#[timed]
fn boxed_nap(millis: u64, fail: bool) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async move {
        std::thread::sleep(Duration::from_millis(millis));
        if fail {
            return Err("failed".to_owned());
        }
        Ok(7)
    })
}

#[test]
fn a_returned_boxed_future_is_timed_until_it_completes() {
    let future = boxed_nap(50, false);
    assert_eq!(block_on(future), Ok(7));
    assert_eq!(block_on(boxed_nap(0, true)), Err("failed".to_owned()));
    assert_eq!(outcomes("boxed_nap"), [1.0, 1.0, 0.0, 0.0]);
    assert_slept("boxed_nap", seconds("boxed_nap", "ok"));
}

/// `futures::FutureExt::boxed()`, written out here: bizmetrics-tests has no
/// `futures` dev-dependency.
trait Boxed: Future + Send + Sized + 'static {
    fn boxed(self) -> Pin<Box<dyn Future<Output = Self::Output> + Send>> {
        Box::pin(self)
    }
}

impl<F: Future + Send + 'static> Boxed for F {}

// From the brief: futures' `.boxed()` (through `Boxed`), with `count = "ok"`.
#[business_metric(action = "pay", endpoint = "/pay", count = "ok")]
fn pay(amount: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    async move {
        if amount == 0 {
            Err("nothing to pay".to_owned())
        } else {
            Ok(amount)
        }
    }
    .boxed()
}

#[test]
fn count_ok_on_a_returned_future_counts_only_ok_outputs() {
    let pending = pay(5);
    drop(pay(6));
    assert_eq!(
        actions("pay", "/pay"),
        0.0,
        "nothing counted before a future completes"
    );
    assert_eq!(block_on(pending), Ok(5));
    assert!(block_on(pay(0)).is_err());
    assert_eq!(block_on(pay(3)), Ok(3));
    assert_eq!(actions("pay", "/pay"), 2.0);
}

// From tracing-attributes tests/async_fn.rs: manual_box_pin, under
// `#[timed(errors)]`.
#[timed(errors)]
fn refund(amount: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async move {
        tokio::task::yield_now().await;
        if amount > 100 {
            return Err("too much".to_owned());
        }
        Ok(amount)
    })
}

#[test]
fn errors_on_a_returned_future_counts_err_outputs() {
    assert_eq!(block_on(refund(5)), Ok(5));
    assert!(block_on(refund(500)).is_err());
    assert!(block_on(refund(501)).is_err());
    assert_eq!(errors("refund"), 2.0);
    assert_eq!(outcomes("refund"), [1.0, 2.0, 0.0, 0.0]);
}

// From tracing-attributes tests/async_fn.rs: manual_impl_future, with a
// `Result` output.
#[allow(clippy::manual_async_fn)]
#[timed]
fn lookup(id: u32) -> impl Future<Output = Result<u32, String>> {
    async move {
        tokio::task::yield_now().await;
        std::thread::sleep(Duration::from_millis(u64::from(id)));
        if id == 0 {
            return Err("no such id".to_owned());
        }
        Ok(id * 2)
    }
}

#[test]
fn a_returned_impl_future_is_timed_by_its_output() {
    assert_eq!(block_on(lookup(50)), Ok(100));
    assert!(block_on(lookup(0)).is_err());
    let mut cx = Context::from_waker(Waker::noop());
    {
        let mut future = pin!(lookup(1));
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    assert_eq!(outcomes("lookup"), [1.0, 1.0, 0.0, 1.0]);
    assert_slept("lookup", seconds("lookup", "ok"));
}

// Beyond the brief: the return type `futures::future::BoxFuture` as futures'
// users write it, an alias that hides the `Future` from the macro.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[timed]
fn aliased_nap(millis: u64) -> BoxFuture<'static, Result<(), String>> {
    Box::pin(async move {
        std::thread::sleep(Duration::from_millis(millis));
        Ok(())
    })
}

#[test]
fn a_future_behind_a_type_alias_is_timed_until_it_completes() {
    assert_eq!(block_on(aliased_nap(50)), Ok(()));
    assert_eq!(outcomes("aliased_nap"), [1.0, 0.0, 0.0, 0.0]);
    assert_slept("aliased_nap", seconds("aliased_nap", "ok"));
}

// From tracing-attributes tests/async_fn.rs: out_of_scope_fields
struct Thing {
    metrics: Arc<()>,
}

impl Thing {
    #[timed]
    fn call(&mut self, _req: ()) -> Pin<Box<dyn Future<Output = Arc<()>> + Send + Sync>> {
        let metrics = self.metrics.clone();
        Box::pin(async move { metrics })
    }
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter
// (sync_fun), a future borrowing `self`.
#[derive(Clone, Debug)]
struct Borrower(u64);

impl Borrower {
    #[timed]
    fn sync_fun(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            std::thread::sleep(Duration::from_millis(self.0));
        })
    }
}

#[test]
fn returned_futures_that_capture_or_borrow_are_timed() {
    let mut thing = Thing {
        metrics: Arc::new(()),
    };
    let metrics = block_on(thing.call(()));
    assert!(Arc::ptr_eq(&metrics, &thing.metrics));
    block_on(Borrower(50).sync_fun());
    assert_eq!(outcomes("call"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("sync_fun"), [1.0, 0.0, 0.0, 0.0]);
    assert_slept("sync_fun", seconds("sync_fun", "ok"));
}

// ---------------------------------------------------------------------------
// async-trait: `#[timed]` on methods, and on impl blocks above and below
// `#[async_trait]`.

// From tracing-attributes tests/async_fn.rs: async_fn_with_async_trait
#[async_trait]
pub trait TestA {
    async fn foo(&mut self, v: usize);
}

#[async_trait]
pub trait TestB {
    async fn bar(&self);
}

#[async_trait]
pub trait TestC {
    async fn baz(&self);
}

#[derive(Debug)]
struct TestImpl(usize);

#[async_trait]
impl TestA for TestImpl {
    #[timed]
    async fn foo(&mut self, v: usize) {
        self.baz().await;
        self.0 = v;
        self.bar().await;
    }
}

#[async_trait]
impl TestB for TestImpl {
    #[business_metric(action = "bar")]
    #[timed]
    async fn bar(&self) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[async_trait]
impl TestC for TestImpl {
    #[timed]
    async fn baz(&self) {
        let _ = self.0;
    }
}

#[test]
fn async_trait_methods_are_timed_until_their_future_completes() {
    let mut test = TestImpl(2);
    block_on(test.foo(5));
    assert_eq!(test.0, 5);
    assert_eq!(outcomes("foo"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("bar"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("baz"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("bar", "bar"), 1.0);
    assert_slept("bar", seconds("bar", "ok"));
    assert_slept("foo", seconds("foo", "ok"));
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter;
// tracing cannot instrument `call()`, which has no `self`.
#[async_trait]
pub trait TestGeneric {
    async fn generic_call();
    async fn call_with_self(&self);
    async fn call_with_mut_self(&mut self) -> Result<(), String>;
}

#[derive(Clone, Debug)]
struct GenericImpl;

#[async_trait]
impl TestGeneric for GenericImpl {
    #[timed]
    async fn generic_call() {}

    #[timed]
    async fn call_with_self(&self) {}

    #[timed]
    async fn call_with_mut_self(&mut self) -> Result<(), String> {
        Err("refused".to_owned())
    }
}

#[test]
fn async_trait_methods_with_and_without_self_record_outcomes() {
    block_on(async {
        GenericImpl::generic_call().await;
        GenericImpl.call_with_self().await;
        assert!(GenericImpl.call_with_mut_self().await.is_err());
    });
    assert_eq!(outcomes("generic_call"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("call_with_self"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("call_with_mut_self"), [0.0, 1.0, 0.0, 0.0]);
}

// From autometrics tests/compilation/result_labels/pass/async_trait_support.rs
// (autometrics issue #141), with a fallible method and a sleep added.
#[async_trait]
trait TestTrait {
    async fn method() -> bool;
    async fn self_method(&self) -> bool;
    async fn checked(&self, ok: bool) -> Result<(), String>;
}

#[derive(Default)]
struct TestStruct;

#[timed]
#[async_trait]
impl TestTrait for TestStruct {
    async fn method() -> bool {
        true
    }

    async fn self_method(&self) -> bool {
        std::thread::sleep(Duration::from_millis(50));
        true
    }

    async fn checked(&self, ok: bool) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err("not ok".to_owned())
        }
    }
}

#[derive(Default)]
struct TestStructBelow;

#[async_trait]
#[timed]
impl TestTrait for TestStructBelow {
    async fn method() -> bool {
        true
    }

    async fn self_method(&self) -> bool {
        std::thread::sleep(Duration::from_millis(50));
        true
    }

    async fn checked(&self, ok: bool) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err("not ok".to_owned())
        }
    }
}

#[test]
fn timed_above_async_trait_on_an_impl_block() {
    assert!(block_on(<TestStruct as TestTrait>::method()));
    assert!(block_on(TestStruct.self_method()));
    assert!(block_on(TestStruct.checked(true)).is_ok());
    assert!(block_on(TestStruct.checked(false)).is_err());
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::self_method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::checked"),
        [1.0, 1.0, 0.0, 0.0]
    );
    assert_slept(
        "<TestStruct as TestTrait>::self_method",
        seconds("<TestStruct as TestTrait>::self_method", "ok"),
    );
}

#[test]
fn timed_below_async_trait_on_an_impl_block() {
    assert!(block_on(<TestStructBelow as TestTrait>::method()));
    assert!(block_on(TestStructBelow.self_method()));
    assert!(block_on(TestStructBelow.checked(true)).is_ok());
    assert!(block_on(TestStructBelow.checked(false)).is_err());
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::self_method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::checked"),
        [1.0, 1.0, 0.0, 0.0]
    );
    assert_slept(
        "<TestStructBelow as TestTrait>::self_method",
        seconds("<TestStructBelow as TestTrait>::self_method", "ok"),
    );
}

// ---------------------------------------------------------------------------
// The body's own scope.

// From tracing-attributes tests/ui/pass/type_shadowing.rs (tracing issue
// #3306), renamed: the glob import brings in the variant `Shadows::Unit`,
// which shadows the type alias `Unit` of the return type inside the body.
type Unit = ();
#[allow(dead_code)]
enum Shadows {
    Unit,
}

#[timed]
fn this_is_fine() -> Unit {
    // glob import imports Shadows::Unit, shadowing Unit
    #[allow(unused_imports)]
    use Shadows::*;
}

// From the brief: the variants `Ok` and `Error` of a glob-imported enum
// shadow the prelude's `Ok` and the `Error` type of the signature.
#[derive(Debug, PartialEq)]
struct Error;

#[derive(Clone, Copy)]
enum Reply {
    Ok,
    Error,
}

#[business_metric(action = "classify", count = "ok")]
#[timed(errors)]
fn classify(reply: Reply) -> Result<u32, Error> {
    use Reply::*;
    match reply {
        Ok => Result::Ok(1),
        Error => Result::Err(self::Error),
    }
}

#[test]
fn a_glob_import_in_the_body_does_not_reach_the_signature() {
    this_is_fine();
    assert_eq!(classify(Reply::Ok), Ok(1));
    assert_eq!(classify(Reply::Error), Err(Error));
    assert_eq!(outcomes("this_is_fine"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("classify"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("classify"), 1.0);
    assert_eq!(actions("classify", "classify"), 1.0);
}

// From the brief: a `macro_rules!` in the body, after a `let` that it uses.
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

#[test]
fn a_macro_defined_in_the_body_sees_the_lets_before_it() {
    assert_eq!(shifted(5), 16);
    assert_eq!(shifted(0), 11);
    assert_eq!(outcomes("shifted"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("shift", "shifted"), 2.0);
}

mod user_module {
    // From tracing-attributes tests/instrument.rs: user_tracing_module
    // (tracing issue #3119), with `bizmetrics` for `tracing`.
    #[::bizmetrics::timed]
    pub fn my_fn() -> &'static str {
        bizmetrics::my_other_fn()
    }

    mod bizmetrics {
        pub fn my_other_fn() -> &'static str {
            "test"
        }
    }
}

#[test]
fn a_local_module_named_bizmetrics_is_left_alone() {
    assert_eq!(user_module::my_fn(), "test");
    assert_eq!(
        sample(
            r#"function_duration_seconds_count{function="my_fn",module="shapes::user_module",outcome="ok"}"#
        ),
        1.0
    );
}

// ---------------------------------------------------------------------------
// Arguments from `macro_rules!`.

// From the brief: `$a:literal`.
macro_rules! counted_literal {
    ($name:ident, $a:literal) => {
        #[business_metric(action = $a)]
        #[timed]
        fn $name() -> u32 {
            1
        }
    };
}

counted_literal!(from_literal, "literal_action");

// From the brief: `$a:expr`, which arrives in an invisible group.
macro_rules! counted_expr {
    ($a:expr) => {
        #[business_metric(action = $a)]
        #[timed]
        fn from_expr() -> u32 {
            2
        }
    };
}

counted_expr!("expr_action");

#[test]
fn actions_from_macro_rules_fragments() {
    assert_eq!(from_literal() + from_literal() + from_expr(), 4);
    assert_eq!(actions("literal_action", "from_literal"), 2.0);
    assert_eq!(outcomes("from_literal"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("expr_action", "from_expr"), 1.0);
    assert_eq!(outcomes("from_expr"), [1.0, 0.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// `#[expect(dead_code)]`.

// From tracing-attributes tests/dead_code.rs: unused
#[expect(dead_code)]
#[timed]
fn unused() {}

// From tracing-attributes tests/dead_code.rs: unused_async
#[expect(dead_code)]
#[timed]
async fn unused_async() {}

#[test]
fn functions_never_called_still_have_their_series() {
    bizmetrics::init().unwrap();
    assert_eq!(outcomes("unused"), [0.0; 4]);
    assert_eq!(outcomes("unused_async"), [0.0; 4]);
}

// ---------------------------------------------------------------------------
// `#[timed]` and `#[business_metric]` on impl blocks.

// From autometrics tests/integration_test.rs: impl_block; and from the brief,
// `Foo::get` and `Bar::get` in one module, and a skipped method.
struct Foo;

#[timed]
impl Foo {
    fn test_fn() -> &'static str {
        "Hello world!"
    }

    fn test_method(&self) -> &'static str {
        "Goodnight moon"
    }

    fn get(&self) -> u32 {
        1
    }

    #[timed(skip)]
    fn unmeasured(&self) -> u32 {
        2
    }
}

struct Bar;

#[timed]
impl Bar {
    fn get(&self) -> u32 {
        3
    }
}

// From the brief: an impl block of a trait.
#[timed]
impl Display for Foo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("foo")
    }
}

#[test]
fn an_impl_block_times_each_method_as_type_and_method() {
    assert_eq!(Foo::test_fn(), "Hello world!");
    assert_eq!(Foo.test_method(), "Goodnight moon");
    assert_eq!(Foo.get() + Foo.get() + Bar.get(), 5);
    assert_eq!(Foo.to_string(), "foo");
    assert_eq!(outcomes("Foo::test_fn"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Foo::test_method"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Foo::get"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Bar::get"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("<Foo as Display>::fmt"), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn a_skipped_method_records_nothing() {
    assert_eq!(Foo.unmeasured(), 2);
    let text = bizmetrics::render();
    assert!(
        !text.contains("unmeasured"),
        "a #[timed(skip)] method has a series:\n{}",
        text.lines()
            .filter(|line| line.contains("unmeasured"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The methods around it are still there.
    sample_in(
        &text,
        &series("function_duration_seconds_count", "Foo::get", "ok"),
    );
}

// From the brief: a generic impl block with an associated const and methods
// returning borrows.
struct Stack<T> {
    items: Vec<T>,
}

#[timed]
impl<T: Clone> Stack<T> {
    const LIMIT: usize = 2;

    fn push(&mut self, item: T) -> Result<(), T> {
        if self.items.len() >= Self::LIMIT {
            return Err(item);
        }
        self.items.push(item);
        Ok(())
    }

    fn peek(&self) -> Option<&T> {
        self.items.last()
    }

    fn top_mut(&mut self) -> Option<&mut T> {
        self.items.last_mut()
    }
}

#[test]
fn a_generic_impl_block_is_timed_without_its_parameters() {
    let mut stack = Stack { items: Vec::new() };
    stack.push('a').unwrap();
    stack.push('b').unwrap();
    assert_eq!(stack.push('c'), Err('c'));
    *stack.top_mut().unwrap() = 'z';
    assert_eq!(stack.peek(), Some(&'z'));
    let mut numbers = Stack { items: vec![1] };
    assert_eq!(numbers.push(2), Ok(()));
    assert_eq!(outcomes("Stack::push"), [3.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("Stack::top_mut"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Stack::peek"), [1.0, 0.0, 0.0, 0.0]);
}

// From the brief: `#[business_metric]` on an impl block, each method's action
// its name and its endpoint `Type::method`.
struct Shop {
    cart: Vec<u32>,
}

#[business_metric]
impl Shop {
    fn browse(&self) -> usize {
        self.cart.len()
    }

    fn add_to_cart(&mut self, item: u32) -> &mut Self {
        self.cart.push(item);
        self
    }

    async fn checkout(&mut self) -> Result<u32, String> {
        if self.cart.is_empty() {
            return Err("empty cart".to_owned());
        }
        Ok(self.cart.drain(..).sum())
    }
}

#[test]
fn business_metric_on_an_impl_block_counts_each_method_as_an_action() {
    let mut shop = Shop { cart: Vec::new() };
    assert_eq!(shop.browse(), 0);
    shop.add_to_cart(1).add_to_cart(2);
    assert_eq!(shop.browse(), 2);
    assert_eq!(block_on(shop.checkout()), Ok(3));
    // The endpoint defaults to the function's name, `Type::method` here as
    // in `#[timed]`'s `function` label.
    assert_eq!(actions("browse", "Shop::browse"), 2.0);
    assert_eq!(actions("add_to_cart", "Shop::add_to_cart"), 2.0);
    assert_eq!(actions("checkout", "Shop::checkout"), 1.0);
}

// ---------------------------------------------------------------------------
// Signatures.

// From the brief.
#[timed]
fn show<T: Display>(x: T) -> String {
    format!("<{x}>")
}

// From the brief.
#[business_metric(action = "produce")]
#[timed]
fn produce<R>(make: impl FnOnce() -> R) -> R {
    make()
}

// From tracing-attributes tests/instrument.rs: generics
#[timed]
fn debug_pair<S, T: Debug>(arg1: S, arg2: T) -> String
where
    S: Debug,
{
    format!("{arg1:?} {arg2:?}")
}

// From the brief: a `where` clause on an associated type.
#[timed]
fn join_all<I>(items: I) -> String
where
    I: IntoIterator,
    I::Item: Display,
{
    items
        .into_iter()
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn generic_functions_share_one_series() {
    assert_eq!(show(1) + &show("a"), "<1><a>");
    assert_eq!(produce(|| 5), 5);
    assert_eq!(produce(String::new), "");
    assert_eq!(debug_pair("a", false), "\"a\" false");
    assert_eq!(join_all([1, 2]), "1,2");
    assert_eq!(join_all(vec!["x"]), "x");
    assert_eq!(outcomes("show"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("produce"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("produce", "produce"), 2.0);
    assert_eq!(outcomes("debug_pair"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("join_all"), [2.0, 0.0, 0.0, 0.0]);
}

// From tracing-attributes tests/follows_from.rs: with_follows_from_sync
#[timed]
fn with_follows_from_sync(causes: impl IntoIterator<Item = impl Into<Option<u64>>>) -> usize {
    causes.into_iter().filter_map(Into::into).count()
}

// From tracing-attributes tests/follows_from.rs: with_follows_from_async
#[timed]
async fn with_follows_from_async(
    causes: impl IntoIterator<Item = impl Into<Option<u64>>>,
) -> usize {
    causes.into_iter().filter_map(Into::into).count()
}

// From tracing-attributes tests/parents.rs: with_explicit_parent
#[timed]
fn with_explicit_parent<P>(parent_span: P) -> Option<u64>
where
    P: Into<Option<u64>>,
{
    parent_span.into()
}

#[test]
fn nested_impl_trait_arguments() {
    assert_eq!(with_follows_from_sync([Some(1), None, Some(3)]), 2);
    assert_eq!(with_follows_from_sync(vec![4u64]), 1);
    assert_eq!(block_on(with_follows_from_async([None::<u64>])), 0);
    assert_eq!(with_explicit_parent(7), Some(7));
    assert_eq!(with_explicit_parent(None), None);
    assert_eq!(outcomes("with_follows_from_sync"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("with_follows_from_async"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("with_explicit_parent"), [2.0, 0.0, 0.0, 0.0]);
}

// From tracing-attributes tests/instrument.rs: impl_trait_return_type
#[timed]
fn returns_impl_trait(x: usize) -> impl Iterator<Item = usize> {
    0..x
}

// From tracing-attributes tests/ret.rs: ret_impl_type
#[timed]
fn ret_impl_type() -> impl Copy {
    42
}

// From the brief: `impl Trait` as argument and return.
#[timed]
fn evens(items: impl IntoIterator<Item = u32>) -> impl Iterator<Item = u32> {
    items.into_iter().filter(|n| n % 2 == 0)
}

// From tracing-attributes tests/err.rs: impl_trait_return_type
#[timed(errors)]
fn fallible_impl_trait(x: usize) -> Result<impl Iterator<Item = usize>, String> {
    if x == 0 {
        return Err("empty".to_owned());
    }
    Ok(0..x)
}

// From autometrics tests/compilation/result_labels/pass/generics.rs: issue_121_d
#[timed(errors)]
fn issue_121_d(fail: bool) -> Result<impl ToString, impl std::error::Error> {
    if fail {
        Err(std::io::Error::other("issue 121d"))
    } else {
        Ok("d")
    }
}

#[test]
fn impl_trait_arguments_and_returns() {
    assert_eq!(returns_impl_trait(3).count(), 3);
    let _copy = ret_impl_type();
    assert_eq!(evens(vec![1, 2, 4]).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(fallible_impl_trait(2).unwrap().count(), 2);
    assert!(fallible_impl_trait(0).is_err());
    assert_eq!(issue_121_d(false).unwrap().to_string(), "d");
    assert!(issue_121_d(true).is_err());
    assert_eq!(outcomes("returns_impl_trait"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("ret_impl_type"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("evens"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("fallible_impl_trait"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("fallible_impl_trait"), 1.0);
    assert_eq!(outcomes("issue_121_d"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("issue_121_d"), 1.0);
}

// From the brief: native `async fn` in a trait, in the impl and as a
// default method.
trait Inventory {
    async fn stock(&self, item: u32) -> Result<u32, String>;

    #[timed]
    async fn restock(&self, item: u32) -> Result<u32, String> {
        Ok(self.stock(item).await? + 10)
    }
}

struct Warehouse;

impl Inventory for Warehouse {
    #[business_metric(action = "stock")]
    #[timed]
    async fn stock(&self, item: u32) -> Result<u32, String> {
        tokio::task::yield_now().await;
        if item == 0 {
            return Err("unknown item".to_owned());
        }
        Ok(item)
    }
}

#[test]
fn native_async_fn_in_traits() {
    assert_eq!(block_on(Warehouse.restock(1)), Ok(11));
    assert!(block_on(Warehouse.restock(0)).is_err());
    assert_eq!(outcomes("restock"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("stock"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(actions("stock", "stock"), 2.0);
}

// From the brief: the body of an `unsafe fn` stays an unsafe context.
#[timed]
unsafe fn read_raw(pointer: *const u32) -> u32 {
    *pointer
}

// From the brief.
#[business_metric(action = "add_c")]
#[timed]
extern "C" fn add_c(a: u32, b: u32) -> u32 {
    a + b
}

// From tracing-attributes tests/async_fn.rs: test_async_unsafe_fn_empty
#[timed]
async unsafe fn async_unsafe_empty() {}

#[test]
fn unsafe_and_extern_functions() {
    let value = 7u32;
    assert_eq!(unsafe { read_raw(&value) }, 7);
    let add: extern "C" fn(u32, u32) -> u32 = add_c;
    assert_eq!(add(1, 2), 3);
    block_on(unsafe { async_unsafe_empty() });
    assert_eq!(outcomes("read_raw"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("add_c"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("add_c", "add_c"), 1.0);
    assert_eq!(outcomes("async_unsafe_empty"), [1.0, 0.0, 0.0, 0.0]);
}

// From the brief.
#[must_use]
#[inline]
#[timed]
fn doubled(n: u32) -> u32 {
    n * 2
}

// From the brief.
#[track_caller]
#[timed]
fn caller_line() -> u32 {
    std::panic::Location::caller().line()
}

#[test]
fn must_use_inline_and_track_caller_functions_are_timed() {
    assert_eq!(doubled(2), 4);
    assert!(caller_line() > 0);
    assert_eq!(outcomes("doubled"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("caller_line"), [1.0, 0.0, 0.0, 0.0]);
}

// From the brief. README's Limits says `#[timed]` stops `#[track_caller]`
// at its closure; this asserts that the caller's location reaches the body.
#[track_caller]
#[timed]
fn reported_line() -> u32 {
    std::panic::Location::caller().line()
}

#[test]
fn track_caller_reaches_the_body() {
    let (line, reported) = (line!(), reported_line());
    assert_eq!(reported, line);
}

// From tracing-attributes tests/destructuring.rs: destructure_tuples
#[timed]
fn destructure_tuples((arg1, arg2): (usize, usize)) -> usize {
    arg1 + arg2
}

// From tracing-attributes tests/destructuring.rs: destructure_refs
#[timed]
fn destructure_refs(&arg1: &usize) -> usize {
    arg1
}

// From the brief: `Foo { x, .. }: Foo`.
struct Point {
    x: u32,
    #[allow(dead_code)]
    y: u32,
}

#[business_metric(action = "project")]
#[timed]
fn project(Point { x, .. }: Point) -> u32 {
    x
}

// From tracing-attributes tests/destructuring.rs: destructure_everything
struct Outer {
    bar: Inner,
    baz: (usize, usize),
    #[allow(dead_code)]
    qux: NoDebug,
}
struct Inner((usize, usize));
struct NoDebug;

#[timed]
fn destructure_everything(
    &Outer {
        bar: Inner((arg1, arg2)),
        baz: (arg3, arg4),
        ..
    }: &Outer,
) -> usize {
    arg1 + arg2 + arg3 + arg4
}

// From the brief: `mut` arguments.
#[timed]
fn bump(mut n: u32, (mut low, high): (u32, u32)) -> (u32, u32) {
    n += 1;
    low += n;
    (low, high)
}

#[test]
fn destructuring_and_mut_arguments() {
    assert_eq!(destructure_tuples((1, 2)), 3);
    assert_eq!(destructure_refs(&5), 5);
    assert_eq!(project(Point { x: 3, y: 4 }), 3);
    let outer = Outer {
        bar: Inner((1, 2)),
        baz: (3, 4),
        qux: NoDebug,
    };
    assert_eq!(destructure_everything(&outer), 10);
    assert_eq!(bump(1, (2, 3)), (4, 3));
    assert_eq!(outcomes("destructure_tuples"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("destructure_refs"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("project"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("project", "project"), 1.0);
    assert_eq!(outcomes("destructure_everything"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("bump"), [1.0, 0.0, 0.0, 0.0]);
}

// From the brief: `fn f<'a>(x: &'a str) -> &'a str`.
#[allow(clippy::needless_lifetimes)]
#[timed]
fn first_word<'a>(x: &'a str) -> &'a str {
    x.split(' ').next().unwrap_or(x)
}

// From the brief: const generics.
#[timed]
fn sum_array<const N: usize>(xs: [u32; N]) -> u32 {
    xs.iter().sum()
}

#[test]
fn lifetimes_and_const_generics() {
    assert_eq!(first_word("hello world"), "hello");
    assert_eq!(sum_array([1, 2]) + sum_array([3, 4, 5]), 15);
    assert_eq!(outcomes("first_word"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("sum_array"), [2.0, 0.0, 0.0, 0.0]);
}

struct Job {
    id: u32,
}

impl Job {
    // From the brief: `self: Box<Self>`.
    #[allow(clippy::boxed_local)]
    #[timed]
    fn run_boxed(self: Box<Self>) -> u32 {
        self.id
    }

    // From the brief: `self: Arc<Self>`.
    #[business_metric(action = "run_shared")]
    #[timed]
    fn run_shared(self: Arc<Self>) -> u32 {
        self.id + 1
    }

    // From the brief: `self: Rc<Self>`.
    #[timed]
    fn run_counted(self: Rc<Self>) -> u32 {
        self.id + 2
    }

    // From the brief: `self: Pin<&mut Self>`.
    #[timed]
    fn run_pinned(self: Pin<&mut Self>) -> u32 {
        self.id + 3
    }

    // From the brief: a borrow out of `self: Pin<&mut Self>`.
    #[timed]
    fn id_mut(self: Pin<&mut Self>) -> &mut u32 {
        &mut self.get_mut().id
    }
}

#[test]
fn smart_pointer_receivers() {
    assert_eq!(Box::new(Job { id: 1 }).run_boxed(), 1);
    assert_eq!(Arc::new(Job { id: 1 }).run_shared(), 2);
    assert_eq!(Rc::new(Job { id: 1 }).run_counted(), 3);
    let mut job = Job { id: 1 };
    assert_eq!(Pin::new(&mut job).run_pinned(), 4);
    *Pin::new(&mut job).id_mut() = 5;
    assert_eq!(job.id, 5);
    assert_eq!(outcomes("run_boxed"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("run_shared"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("run_shared", "run_shared"), 1.0);
    assert_eq!(outcomes("run_counted"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("run_pinned"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("id_mut"), [1.0, 0.0, 0.0, 0.0]);
}

// From the brief: a raw identifier, labelled without its `r#`.
#[business_metric(action = "type")]
#[timed]
fn r#type() -> &'static str {
    "type"
}

#[test]
fn a_raw_identifier_is_labelled_without_r_hash() {
    assert_eq!(r#type(), "type");
    assert_eq!(outcomes("type"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("type", "type"), 1.0);
    assert!(!bizmetrics::render().contains("r#type"));
}
