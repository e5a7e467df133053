// Bodies that never return normally: `panic!`, `todo!()`, `unimplemented!()`,
// `loop {}`, and `-> !` functions. None is called; each is referenced.
#![deny(warnings)]

use std::convert::Infallible;

use bizmetrics::{business_metric, timed};

// A body that is only `panic!`.
#[timed]
fn panics() -> u32 {
    panic!("not today")
}

// `todo!()` as the whole body of a fallible function.
#[timed]
fn not_written_yet(_id: u32) -> Result<String, std::io::Error> {
    todo!()
}

// `unimplemented!()`, stacked with `#[business_metric]`.
#[business_metric(action = "unimplemented")]
#[timed]
fn unimplemented_action() -> Vec<u8> {
    unimplemented!()
}

// `todo!()` in an `async fn`.
#[timed]
async fn async_todo() -> Result<u32, String> {
    todo!()
}

// A `loop {}` body in a function returning a value.
#[timed]
#[allow(clippy::empty_loop)]
fn spins() -> u32 {
    loop {}
}

// `-> !` with a `loop {}` body.
#[timed]
fn serve_forever() -> ! {
    loop {
        std::thread::park();
    }
}

// `-> !` with a `panic!` body, stacked.
#[timed]
#[business_metric(action = "abort")]
fn abort(reason: &str) -> ! {
    panic!("aborting: {reason}")
}

// `-> !` ending in a diverging call.
#[timed]
fn exit_now(code: i32) -> ! {
    std::process::exit(code)
}

// `Result<Infallible, E>`, whose `Ok` can never happen.
#[timed]
fn run_until_error() -> Result<Infallible, String> {
    loop {
        return Err("stopped".to_owned());
    }
}

trait Store {
    fn load(&self, key: &str) -> Result<String, String>;
}

struct Db;

// `todo!()` in a trait impl method, a common stub.
impl Store for Db {
    #[timed]
    fn load(&self, _key: &str) -> Result<String, String> {
        todo!("read the row")
    }
}

fn main() {
    let _ = panics as fn() -> u32;
    let _ = not_written_yet as fn(u32) -> Result<String, std::io::Error>;
    let _ = unimplemented_action as fn() -> Vec<u8>;
    let _ = async_todo as fn() -> _;
    let _ = spins as fn() -> u32;
    let _ = serve_forever as fn() -> !;
    let _ = abort as fn(&str) -> !;
    let _ = exit_now as fn(i32) -> !;
    let _ = <Db as Store>::load as fn(&Db, &str) -> Result<String, String>;
    assert_eq!(run_until_error(), Err("stopped".to_owned()));
}
