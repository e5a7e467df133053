// The body keeps its own scope: a `use Enum::*;` in it must not change what
// the signature's types mean.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

// From tracing-attributes tests/ui/pass/type_shadowing.rs (tracing issue
// #3306): the glob import brings in the variant `Bar::Foo`, which shadows
// the type alias `Foo` of the return type inside the body.
type Foo = ();
enum Bar {
    Foo,
}

#[timed]
fn this_is_fine() -> Foo {
    // glob import imports Bar::Foo, shadowing Foo
    #[allow(unused_imports)]
    use Bar::*;
}

// The variants `Ok` and `Error` of a glob-imported enum
// shadow the prelude's `Ok` and the `Error` type of the signature.
#[derive(Debug)]
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

fn main() {
    this_is_fine();
    let _ = Bar::Foo;
    assert_eq!(classify(Reply::Ok).unwrap(), 1);
    assert!(classify(Reply::Error).is_err());
}
