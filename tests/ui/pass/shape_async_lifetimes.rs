// `async fn`s with elided, named and hidden lifetimes, `_` parameters,
// generics, `impl Trait` outputs and stacked attributes; their futures stay
// `Send`.
#![deny(warnings)]

use std::sync::atomic::{AtomicUsize, Ordering};

use bizmetrics::{business_metric, timed};

struct Store {
    name: String,
}

impl Store {
    // Several elided lifetimes.
    #[timed]
    async fn f(&self, a: &str, b: &[u8]) -> usize {
        self.name.len() + a.len() + b.len()
    }

    // A named lifetime, returning a borrow.
    #[timed]
    async fn g<'a>(&self, s: &'a str) -> &'a str {
        if self.name.is_empty() {
            ""
        } else {
            s
        }
    }
}

// A hidden lifetime in a path (`elided_lifetimes_in_paths`
// is allow-by-default).
struct View<'a>(&'a str);

#[timed]
async fn h(v: View) -> usize {
    v.0.len()
}

static GUARDS_DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        GUARDS_DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

// `_: Guard`. As in a plain `async fn`, the argument lives
// until the body is done, so the body sees it not yet dropped.
#[timed]
async fn unnamed_guard(_: Guard) -> usize {
    GUARDS_DROPPED.load(Ordering::SeqCst)
}

// `_guard: Guard`.
#[timed]
async fn named_guard(_guard: Guard) -> usize {
    GUARDS_DROPPED.load(Ordering::SeqCst)
}

// A generic `async fn`.
#[timed]
async fn k<T: Send + std::fmt::Display>(x: T) -> String {
    x.to_string()
}

// An `async fn` returning `impl Display`.
#[timed]
async fn display(n: u32) -> impl std::fmt::Display {
    n + 1
}

// Stacked with `#[business_metric(count = "ok")]` on a
// `Result`, in both orders.
#[timed]
#[business_metric(action = "x", count = "ok")]
async fn timed_above(ok: bool) -> Result<u32, String> {
    if ok {
        Ok(1)
    } else {
        Err("no".to_owned())
    }
}

#[business_metric(action = "x_below", count = "ok")]
#[timed]
async fn timed_below(ok: bool) -> Result<u32, String> {
    if ok {
        Ok(1)
    } else {
        Err("no".to_owned())
    }
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let store = Store { name: "store".to_owned() };
    let text = String::from("borrowed");

    // The futures of annotated `async fn`s are `Send`.
    assert_send(store.f("a", b"b"));
    assert_send(store.g(&text));
    assert_send(h(View(&text)));
    assert_send(unnamed_guard(Guard));
    assert_send(named_guard(Guard));
    assert_send(k(1_u32));
    assert_send(display(1));
    assert_send(timed_above(true));
    assert_send(timed_below(true));

    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        assert_eq!(store.f("ab", b"cde").await, 10);
        let borrowed = store.g(&text).await;
        assert_eq!(borrowed, "borrowed");
        assert_eq!(h(View(&text)).await, 8);

        let before = GUARDS_DROPPED.load(Ordering::SeqCst);
        assert_eq!(unnamed_guard(Guard).await, before);
        assert_eq!(GUARDS_DROPPED.load(Ordering::SeqCst), before + 1);
        assert_eq!(named_guard(Guard).await, before + 1);
        assert_eq!(GUARDS_DROPPED.load(Ordering::SeqCst), before + 2);

        assert_eq!(k(7_u8).await, "7");
        assert_eq!(k("seven").await, "seven");
        assert_eq!(display(1).await.to_string(), "2");
        assert_eq!(timed_above(true).await, Ok(1));
        assert!(timed_above(false).await.is_err());
        assert_eq!(timed_below(true).await, Ok(1));
        assert!(timed_below(false).await.is_err());
    });
    // `borrowed` outlives `store`'s borrow: it borrows only from `text`.
    let borrowed = runtime.block_on(store.g(&text));
    drop(store);
    assert_eq!(borrowed, "borrowed");
}
