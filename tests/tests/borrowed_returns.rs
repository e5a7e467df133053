//! Sync functions that return borrows of their receiver or arguments, and
//! functions that write through `&mut` arguments, keep their borrows and
//! writes under `#[timed]`, and count each call. Compile-only counterpart:
//! `tests/ui/pass/shape_borrows.rs`.

use std::num::TryFromIntError;

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;
use bizmetrics_tests::executor::block_on;

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

/// `application_errors_total` for `function`.
fn errors(function: &str) -> f64 {
    bizmetrics_tests::errors(module_path!(), function)
}

struct Slot<T> {
    value: T,
    name: String,
}

impl<T> Slot<T> {
    // A getter `fn get(&mut self) -> &mut T`.
    #[timed]
    fn value(&mut self) -> &mut T {
        &mut self.value
    }

    // `-> &str` from `&mut self`.
    #[timed]
    fn shout(&mut self) -> &str {
        self.name.push('!');
        &self.name
    }

    // A builder returning `&mut Self`, stacked.
    #[business_metric(action = "rename")]
    #[timed]
    fn rename(&mut self, name: &str) -> &mut Self {
        name.clone_into(&mut self.name);
        self
    }

    // `Result<&mut T, E>`.
    #[timed]
    fn try_value(&mut self, allowed: bool) -> Result<&mut T, String> {
        if !allowed {
            return Err(format!("{} is locked", self.name));
        }
        Ok(&mut self.value)
    }
}

// `fn f(v: &mut [u32]) -> Option<&mut u32>`.
#[timed]
fn first_even(v: &mut [u32]) -> Option<&mut u32> {
    v.iter_mut().find(|n| **n % 2 == 0)
}

// An explicit lifetime on a `&mut` borrow.
#[allow(clippy::needless_lifetimes)]
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

// From tracing-attributes tests/err.rs: err_mut_async
#[timed(errors)]
async fn err_mut_async(polls: usize, out: &mut u8) -> Result<(), TryFromIntError> {
    for _ in 0..polls {
        tokio::task::yield_now().await;
    }
    *out = u8::try_from(1234)?;
    Ok(())
}

#[test]
fn borrow_returning_functions_count_each_call() {
    let mut slot = Slot {
        value: 1u32,
        name: "slot".to_owned(),
    };
    *slot.value() += 1;
    *slot.value() += 1;
    assert_eq!(slot.shout(), "slot!");
    slot.rename("a").rename("b").rename("c");
    *slot.try_value(true).unwrap() += 10;
    assert_eq!(slot.try_value(false), Err("c is locked".to_owned()));
    assert_eq!(slot.value, 13);

    let mut numbers = [1, 3, 4, 6];
    *first_even(&mut numbers).unwrap() = 40;
    assert!(first_even(&mut [1, 3]).is_none());
    assert_eq!(numbers, [1, 3, 40, 6]);

    let mut items = Vec::new();
    *push_and_get(&mut items, 1) += 1;
    *push_and_get(&mut items, 5) += 1;
    assert_eq!(items, [2, 6]);

    assert_eq!(outcomes("value"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("shout"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("rename"), [3.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("rename", "rename"), 3.0);
    assert_eq!(outcomes("try_value"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("first_even"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("push_and_get"), [2.0, 0.0, 0.0, 0.0]);
}

#[test]
fn mutable_arguments_keep_their_writes() {
    let mut a = 1;
    assert_eq!(ret_mut(&mut a), 2);
    assert_eq!(a, 2);
    let mut out = 7;
    assert!(err_mut(&mut out).is_err());
    assert_eq!(out, 7);
    assert!(block_on(err_mut_async(2, &mut out)).is_err());
    assert_eq!(outcomes("ret_mut"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("err_mut"), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("err_mut"), 1.0);
    assert_eq!(outcomes("err_mut_async"), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("err_mut_async"), 1.0);
}
