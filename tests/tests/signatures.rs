//! Function signatures that `#[timed]` and `#[business_metric]` take as
//! written: generics and `where` clauses, `impl Trait` in arguments and
//! returns, `unsafe` and `extern "C"`, other attributes (`#[must_use]`,
//! `#[track_caller]`, `#[expect(dead_code)]`), patterns and `mut` in
//! arguments, lifetimes, const generics and smart-pointer receivers.
//! Many are ported from the test suites of tracing-attributes
//! (`#[instrument]`) and autometrics (`#[autometrics]`); the compile-only
//! counterparts are `tests/ui/pass/shape_*.rs`.

use std::fmt::{Debug, Display};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;
use bizmetrics_tests::executor::block_on;

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

/// `application_errors_total` for `function`.
fn errors(function: &str) -> f64 {
    bizmetrics_tests::errors(module_path!(), function)
}

// A generic bound in angle brackets.
#[timed]
fn show<T: Display>(x: T) -> String {
    format!("<{x}>")
}

// The return type is the closure's.
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

// A `where` clause on an associated type.
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

// `impl Trait` as argument and return.
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

// The body of an `unsafe fn` stays an unsafe context.
#[timed]
unsafe fn read_raw(pointer: *const u32) -> u32 {
    *pointer
}

// An `extern "C"` function, as passed to C as a callback.
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

// `#[must_use]` and `#[inline]` above the attribute.
#[must_use]
#[inline]
#[timed]
fn doubled(n: u32) -> u32 {
    n * 2
}

// `#[track_caller]` above the attribute.
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

// A body that returns no `Result` runs in place, so `#[track_caller]`
// reaches it (README's Limits: a body run in a closure does not).
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

// `Foo { x, .. }: Foo`.
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

// `mut` arguments, by value and in a pattern.
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

// `fn f<'a>(x: &'a str) -> &'a str`.
#[allow(clippy::needless_lifetimes)]
#[timed]
fn first_word<'a>(x: &'a str) -> &'a str {
    x.split(' ').next().unwrap_or(x)
}

// Const generics.
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
    // `self: Box<Self>`.
    #[allow(clippy::boxed_local)]
    #[timed]
    fn run_boxed(self: Box<Self>) -> u32 {
        self.id
    }

    // `self: Arc<Self>`.
    #[business_metric(action = "run_shared")]
    #[timed]
    fn run_shared(self: Arc<Self>) -> u32 {
        self.id + 1
    }

    // `self: Rc<Self>`.
    #[timed]
    fn run_counted(self: Rc<Self>) -> u32 {
        self.id + 2
    }

    // `self: Pin<&mut Self>`.
    #[timed]
    fn run_pinned(self: Pin<&mut Self>) -> u32 {
        self.id + 3
    }

    // A borrow out of `self: Pin<&mut Self>`.
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
