// `impl` block headers and items that an annotated block keeps compiling as
// written.
#![deny(warnings)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bizmetrics::{business_metric, timed};

// `unsafe impl` of an unsafe trait. (A block with no method to time, such
// as `unsafe impl Send`, is an error: `ui/fail/impl_block_without_methods.rs`.)
struct RawHandle(*const u8);

unsafe impl Send for RawHandle {}

/// # Safety
/// Nothing to uphold; the trait is unsafe to exercise `unsafe impl`.
unsafe trait Raw {
    fn address(&self) -> usize;
}

#[timed]
unsafe impl Raw for RawHandle {
    fn address(&self) -> usize {
        self.0 as usize
    }
}

// Generic parameters with bounds and a `where` clause, an associated const,
// a generic method, a `const fn` (left alone, still usable in const
// context), an `async fn`, `cfg`'d methods, and a method whose own
// attribute replaces the block's.
struct Pool<T>(Vec<T>);

#[timed]
impl<T: Clone> Pool<T>
where
    T: Send,
{
    const CAPACITY: usize = 4;

    fn take(&mut self) -> Option<T> {
        self.0.pop()
    }

    fn map_all<U, F: Fn(T) -> U>(&self, f: F) -> Vec<U> {
        self.0.iter().cloned().map(f).collect()
    }

    const fn capacity() -> usize {
        Self::CAPACITY
    }

    async fn drain(&mut self) -> Result<usize, String> {
        Ok(self.0.drain(..).count())
    }

    #[cfg(any())]
    fn compiled_out(&self) -> NoSuchType {}

    #[cfg(test)]
    fn only_in_tests(&self) {}

    #[timed(name = "pool_resize_seconds", buckets = [0.001, 0.01])]
    fn resize(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

const CAPACITY: usize = Pool::<u8>::capacity();

// A trait impl, and an impl of a trait object.
trait Named {
    fn name(&self) -> &'static str;
}

#[timed]
impl Named for RawHandle {
    fn name(&self) -> &'static str {
        "raw"
    }
}

#[timed]
impl dyn Named {
    fn shout(&self) -> String {
        self.name().to_uppercase()
    }
}

// A lifetime parameter, with both attributes stacked on the block, a
// macro invocation and an associated const among the items.
struct View<'a>(&'a str);

macro_rules! len_method {
    () => {
        fn len(&self) -> usize {
            self.0.len()
        }
    };
}

#[timed]
#[business_metric(endpoint = "/view")]
impl<'a> View<'a> {
    const EMPTY: &'static str = "";

    len_method!();

    fn text(&self) -> &'a str {
        self.0
    }

    fn is_empty(&self) -> bool {
        self.0 == Self::EMPTY
    }

    #[business_metric(skip)]
    fn display(&self) -> impl fmt::Display + 'a {
        self.0
    }
}

// Receivers of every kind on `async fn`s in an annotated block.
struct Machine(u32);

#[business_metric]
#[timed]
impl Machine {
    async fn pinned(self: Pin<&mut Self>) -> u32 {
        self.0
    }

    async fn boxed(self: Box<Self>) -> u32 {
        self.0
    }

    async fn consume(mut self, by: u32) -> u32 {
        self.0 += by;
        self.0
    }

    fn later(&self) -> impl Future<Output = u32> + '_ {
        async move { self.0 }
    }
}

fn main() {
    let mut pool = Pool(vec![1u8, 2, 3]);
    let _ = pool.take();
    let _ = pool.map_all(u32::from);
    pool.resize(1);
    let _ = pool.drain();
    let _ = CAPACITY;
    let handle = RawHandle(std::ptr::null());
    assert_eq!(handle.address(), 0);
    let _ = handle.name();
    let named: &dyn Named = &handle;
    let _ = named.shout();
    let view = View("text");
    let _ = (
        view.len(),
        view.text(),
        view.is_empty(),
        view.display().to_string(),
    );
    let mut machine = Machine(1);
    let _ = Pin::new(&mut machine).pinned();
    let _ = machine.later();
    let _ = Box::new(Machine(2)).boxed();
    let _ = Machine(3).consume(1);
}
