// `unsafe fn`, `async unsafe fn` and `extern "C" fn`.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

// The body of an `unsafe fn` stays an unsafe context.
#[timed]
unsafe fn read_raw(pointer: *const u32) -> u32 {
    *pointer
}

// From tracing-attributes tests/async_fn.rs: test_async_unsafe_fn_empty
#[timed]
#[allow(dead_code)]
async unsafe fn test_async_unsafe_fn_empty() {}

// An `extern "C"` function, as handed to C as a callback.
#[business_metric(action = "add")]
#[timed]
extern "C" fn add(a: u32, b: u32) -> u32 {
    a + b
}

// An `unsafe extern "C"` function.
#[timed]
unsafe extern "C" fn read_raw_c(pointer: *const u32) -> u32 {
    *pointer
}

struct Buffer(Vec<u8>);

impl Buffer {
    // An unsafe method.
    #[timed]
    unsafe fn get_unchecked(&self, index: usize) -> u8 {
        *self.0.get_unchecked(index)
    }
}

fn main() {
    let value = 7u32;
    assert_eq!(unsafe { read_raw(&value) }, 7);
    assert_eq!(unsafe { read_raw_c(&value) }, 7);
    assert_eq!(add(1, 2), 3);
    let _ = add as extern "C" fn(u32, u32) -> u32;
    assert_eq!(unsafe { Buffer(vec![4]).get_unchecked(0) }, 4);
}
