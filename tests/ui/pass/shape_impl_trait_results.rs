// `Result`s holding `impl Trait`, under `#[timed(errors)]`, which needs to
// see the `Result`.
#![deny(warnings)]

use std::io;

use bizmetrics::timed;

// From autometrics tests/compilation/result_labels/pass/generics.rs: issue_121_a
#[timed(errors)]
fn issue_121_a() -> Result<impl ToString, io::Error> {
    Ok("a")
}

// From autometrics tests/compilation/result_labels/pass/generics.rs: issue_121_b
#[timed(errors)]
fn issue_121_b() -> io::Result<impl ToString> {
    Ok("b")
}

// From autometrics tests/compilation/result_labels/pass/generics.rs: issue_121_c,
// with `::std::io::Result` for `::http::Result` (http is no direct dependency)
#[timed(errors)]
fn issue_121_c() -> ::std::io::Result<impl ToString> {
    // CODE STYLE: please keep return formatted this way (with the leading `::`)
    Ok("c")
}

// From autometrics tests/compilation/result_labels/pass/generics.rs: issue_121_d
#[timed(errors)]
fn issue_121_d() -> Result<impl ToString, impl std::error::Error> {
    if true {
        Ok("d")
    } else {
        Err(io::Error::new(io::ErrorKind::Other, "issue 121d"))
    }
}

// From tracing-attributes tests/err.rs: impl_trait_return_type
#[timed(errors)]
fn returns_impl_trait(x: usize) -> Result<impl Iterator<Item = usize>, String> {
    Ok(0..x)
}

// From tracing-attributes tests/async_fn.rs: test_ret_impl_trait
#[timed]
async fn test_ret_impl_trait(n: i32) -> Result<impl Iterator<Item = i32>, ()> {
    Ok((0..10).filter(move |x| *x < n))
}

// From tracing-attributes tests/async_fn.rs: test_ret_impl_trait_err
#[timed(errors)]
async fn test_ret_impl_trait_err(n: i32) -> Result<impl Iterator<Item = i32>, &'static str> {
    Ok((0..10).filter(move |x| *x < n))
}

fn main() {
    issue_121_a().unwrap();
    issue_121_b().unwrap();
    issue_121_c().unwrap();
    issue_121_d().unwrap();
    assert_eq!(returns_impl_trait(2).unwrap().count(), 2);
    let _ = test_ret_impl_trait(3);
    let _ = test_ret_impl_trait_err(3);
}
