// `#[must_use]`, `#[inline]`, `#[track_caller]`, `#[rustfmt::skip]` and inner
// attributes next to the attributes.
#![deny(warnings, unused_must_use, unused_variables)]

use bizmetrics::{business_metric, timed};

// `#[must_use]` and `#[inline]` above the attribute.
#[must_use]
#[inline]
#[timed]
fn doubled(n: u32) -> u32 {
    n * 2
}

// `#[inline(always)]` between the two, `#[must_use = "..."]`
// below.
#[business_metric(action = "tripled")]
#[inline(always)]
#[timed]
#[must_use = "the product matters"]
fn tripled(n: u32) -> u32 {
    n * 3
}

// The caller's location reaches the body.
#[track_caller]
#[timed]
fn caller_line() -> u32 {
    std::panic::Location::caller().line()
}

// `#[track_caller]` on a fallible function that panics.
#[timed(errors)]
#[track_caller]
fn checked(n: u32) -> Result<u32, String> {
    assert!(n < 100, "too large");
    if n == 0 {
        return Err("zero".to_owned());
    }
    Ok(n)
}

// From tracing-attributes tests/async_fn.rs: repro_async_2294
#[deny(unused_variables)]
#[allow(dead_code, clippy::mixed_attributes_style)]
#[timed]
async fn repro_async_2294() {
    #![allow(unused_variables)]
    let i = 42;
}

// From tracing-attributes tests/instrument.rs: repro_2294
#[timed]
fn repro_2294() {
    #![allow(unused_variables)]
    let i = 42;
}

// From tracing-attributes tests/async_fn.rs: repro_1613
#[timed]
// LOAD-BEARING `#[rustfmt::skip]`! This is necessary to reproduce the bug;
// with the rustfmt-generated formatting, the lint will not be triggered!
#[rustfmt::skip]
#[deny(clippy::suspicious_else_formatting)]
#[allow(dead_code)]
async fn repro_1613(var: bool) {
    println!(
        "{}",
        if var { "true" } else { "false" }
    );
}

// From tracing-attributes tests/async_fn.rs: repro_1613_2
#[timed]
#[deny(clippy::suspicious_else_formatting)]
#[allow(dead_code)]
async fn repro_1613_2() {
    // hello world
    // else
}

// From tracing-attributes tests/err.rs: err_suspicious_else
#[timed(errors)]
#[allow(dead_code)]
fn err_suspicious_else() -> Result<u8, std::num::TryFromIntError> {
    {}
    u8::try_from(1234)
}

fn main() {
    assert_eq!(doubled(2), 4);
    assert_eq!(tripled(2), 6);
    let (line, reported) = (line!(), caller_line());
    assert!(reported > 0, "{line} {reported}");
    assert_eq!(checked(1), Ok(1));
    repro_2294();
}
