// Generic functions, `where` clauses, `impl Trait`, lifetimes and const
// generics.
#![deny(warnings)]

use std::fmt::{Debug, Display};

use bizmetrics::{business_metric, timed};

// A bound in angle brackets.
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
fn my_fn<S, T: Debug>(arg1: S, arg2: T) -> String
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

// `impl Trait` in argument and return position together.
#[timed]
fn evens(items: impl IntoIterator<Item = u32>) -> impl Iterator<Item = u32> {
    items.into_iter().filter(|n| n % 2 == 0)
}

// An explicit lifetime.
#[timed]
fn first_word<'a>(x: &'a str) -> &'a str {
    x.split(' ').next().unwrap_or(x)
}

// A lifetime bound on a generic and `impl Trait + 'a`.
#[timed]
fn words<'a, T: AsRef<str> + ?Sized>(text: &'a T) -> impl Iterator<Item = &'a str> + 'a {
    text.as_ref().split_whitespace()
}

// Const generics.
#[timed]
fn sum_array<const N: usize>(xs: [u32; N]) -> u32 {
    xs.iter().sum()
}

// A const generic with a default and a generic type.
#[timed]
fn chunk<T: Copy + Default, const N: usize>(items: &[T]) -> [T; N] {
    let mut out = [T::default(); N];
    for (slot, item) in out.iter_mut().zip(items) {
        *slot = *item;
    }
    out
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

fn main() {
    assert_eq!(show(1) + &show("a"), "<1><a>");
    assert_eq!(produce(|| 5), 5);
    assert_eq!(produce(String::new), "");
    assert_eq!(my_fn("a", false), "\"a\" false");
    assert_eq!(join_all([1, 2]), "1,2");
    assert_eq!(returns_impl_trait(3).count(), 3);
    let _copy = ret_impl_type();
    assert_eq!(evens(vec![1, 2, 4]).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(first_word("hello world"), "hello");
    assert_eq!(words("a b").count(), 2);
    assert_eq!(sum_array([1, 2]) + sum_array([3, 4, 5]), 15);
    assert_eq!(chunk::<u8, 2>(&[7, 8, 9]), [7, 8]);
    assert_eq!(with_follows_from_sync([Some(1), None]), 1);
    let _future = with_follows_from_async(vec![1u64]);
    assert_eq!(with_explicit_parent(None), None);
}
