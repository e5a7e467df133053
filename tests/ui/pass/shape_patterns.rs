// Destructuring patterns and `mut` in arguments.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

// From tracing-attributes tests/destructuring.rs: destructure_tuples
#[timed]
fn destructure_tuples((arg1, arg2): (usize, usize)) -> usize {
    arg1 + arg2
}

// From tracing-attributes tests/destructuring.rs: destructure_nested_tuples
#[timed]
fn destructure_nested_tuples(
    ((arg1, arg2), (arg3, arg4)): ((usize, usize), (usize, usize)),
) -> usize {
    arg1 + arg2 + arg3 + arg4
}

// From tracing-attributes tests/destructuring.rs: destructure_refs
#[timed]
fn destructure_refs(&arg1: &usize) -> usize {
    arg1
}

// From tracing-attributes tests/destructuring.rs: destructure_tuple_structs
struct Pair(usize, usize);

#[timed]
fn destructure_tuple_structs(Pair(arg1, arg2): Pair) -> usize {
    arg1 + arg2
}

// From tracing-attributes tests/destructuring.rs: destructure_structs
struct Foo {
    bar: usize,
    baz: usize,
}

#[timed]
fn destructure_structs(
    Foo {
        bar: arg1,
        baz: arg2,
    }: Foo,
) -> usize {
    arg1 + arg2
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

// `mut` arguments, by value and by pattern.
#[timed]
fn bump(mut n: u32, (mut low, high): (u32, u32)) -> (u32, u32) {
    n += 1;
    low += n;
    (low, high)
}

// `_` and `mut` bindings in an async fn.
#[timed]
async fn drain(_: u32, mut items: Vec<u32>) -> Option<u32> {
    items.pop()
}

fn main() {
    assert_eq!(destructure_tuples((1, 2)), 3);
    assert_eq!(destructure_nested_tuples(((1, 2), (3, 4))), 10);
    assert_eq!(destructure_refs(&5), 5);
    assert_eq!(destructure_tuple_structs(Pair(1, 2)), 3);
    assert_eq!(destructure_structs(Foo { bar: 1, baz: 2 }), 3);
    assert_eq!(project(Point { x: 3, y: 4 }), 3);
    let outer = Outer {
        bar: Inner((1, 2)),
        baz: (3, 4),
        qux: NoDebug,
    };
    assert_eq!(destructure_everything(&outer), 10);
    assert_eq!(bump(1, (2, 3)), (4, 3));
    let _future = drain(0, vec![1]);
}
