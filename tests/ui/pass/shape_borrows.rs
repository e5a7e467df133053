// Sync functions that return borrows of their arguments, `&mut self`
// included.
#![deny(warnings)]

use std::num::TryFromIntError;

use bizmetrics::{business_metric, timed};

struct Slot<T> {
    value: T,
    name: String,
}

impl<T> Slot<T> {
    // `&mut T` out of `&mut self`.
    #[timed]
    fn get(&mut self) -> &mut T {
        &mut self.value
    }

    // `&str` out of `&mut self`.
    #[timed]
    fn name(&mut self) -> &str {
        self.name.push('!');
        &self.name
    }

    // A builder returning `&mut Self`, stacked.
    #[business_metric(action = "rename")]
    #[timed]
    fn rename(&mut self, name: &str) -> &mut Self {
        self.name = name.to_owned();
        self
    }

    // A `Result` whose `Ok` borrows from `&mut self`.
    #[timed]
    fn try_get(&mut self, allowed: bool) -> Result<&mut T, String> {
        if !allowed {
            return Err(format!("{} is locked", self.name));
        }
        Ok(&mut self.value)
    }
}

// `Option<&mut u32>` out of a `&mut [u32]` argument.
#[timed]
fn first_even(v: &mut [u32]) -> Option<&mut u32> {
    v.iter_mut().find(|n| **n % 2 == 0)
}

// An explicit lifetime on a `&mut` borrow.
#[timed]
fn push_and_get<'a>(items: &'a mut Vec<u32>, item: u32) -> &'a mut u32 {
    items.push(item);
    items.last_mut().expect("just pushed")
}

// From tracing-attributes tests/ret.rs: ret_mut
#[timed]
fn ret_mut(a: &mut i32) -> i32 {
    *a *= 2;
    *a
}

// From tracing-attributes tests/err.rs: err_mut
#[timed(errors)]
fn err_mut(out: &mut u8) -> Result<(), TryFromIntError> {
    *out = u8::try_from(1234)?;
    Ok(())
}

fn main() {
    let mut slot = Slot {
        value: 1u32,
        name: "slot".to_owned(),
    };
    *slot.get() += 1;
    assert_eq!(slot.name(), "slot!");
    slot.rename("a").rename("b");
    *slot.try_get(true).unwrap() += 1;
    assert!(slot.try_get(false).is_err());
    assert_eq!(slot.value, 3);

    let mut numbers = [1, 3, 4];
    *first_even(&mut numbers).unwrap() = 8;
    assert_eq!(numbers, [1, 3, 8]);

    let mut items = Vec::new();
    *push_and_get(&mut items, 1) += 1;
    assert_eq!(items, [2]);

    assert_eq!(ret_mut(&mut 1), 2);
    let mut out = 0;
    assert!(err_mut(&mut out).is_err());
}
