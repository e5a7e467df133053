//! `async fn`s in traits, through `#[async_trait]` (the attribute on the
//! methods, or on the impl block above or below `#[async_trait]`) and
//! natively, are timed until their future completes. Compile-only
//! counterparts: `tests/ui/pass/shape_async_trait_*.rs` and
//! `shape_async_fn_in_trait.rs`.

use std::time::Duration;

use async_trait::async_trait;
use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;
use bizmetrics_tests::executor::block_on;

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

/// Asserts that `function`'s `ok` calls took the 50 ms they sleep.
fn assert_slept(function: &str) {
    bizmetrics_tests::assert_slept_50ms(module_path!(), function);
}

// From tracing-attributes tests/async_fn.rs: async_fn_with_async_trait
#[async_trait]
pub trait TestA {
    async fn foo(&mut self, v: usize);
}

#[async_trait]
pub trait TestB {
    async fn bar(&self);
}

#[async_trait]
pub trait TestC {
    async fn baz(&self);
}

#[derive(Debug)]
struct TestImpl(usize);

#[async_trait]
impl TestA for TestImpl {
    #[timed]
    async fn foo(&mut self, v: usize) {
        self.baz().await;
        self.0 = v;
        self.bar().await;
    }
}

#[async_trait]
impl TestB for TestImpl {
    #[business_metric(action = "bar")]
    #[timed]
    async fn bar(&self) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[async_trait]
impl TestC for TestImpl {
    #[timed]
    async fn baz(&self) {
        let _ = self.0;
    }
}

#[test]
fn async_trait_methods_are_timed_until_their_future_completes() {
    let mut test = TestImpl(2);
    block_on(test.foo(5));
    assert_eq!(test.0, 5);
    assert_eq!(outcomes("foo"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("bar"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("baz"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("bar", "bar"), 1.0);
    assert_slept("bar");
    assert_slept("foo");
}

// From tracing-attributes tests/async_fn.rs:
// async_fn_with_async_trait_and_fields_expressions_with_generic_parameter;
// tracing cannot instrument `call()`, which has no `self`.
#[async_trait]
pub trait TestGeneric {
    async fn generic_call();
    async fn call_with_self(&self);
    async fn call_with_mut_self(&mut self) -> Result<(), String>;
}

#[derive(Clone, Debug)]
struct GenericImpl;

#[async_trait]
impl TestGeneric for GenericImpl {
    #[timed]
    async fn generic_call() {}

    #[timed]
    async fn call_with_self(&self) {}

    #[timed]
    async fn call_with_mut_self(&mut self) -> Result<(), String> {
        Err("refused".to_owned())
    }
}

#[test]
fn async_trait_methods_with_and_without_self_record_outcomes() {
    block_on(async {
        GenericImpl::generic_call().await;
        GenericImpl.call_with_self().await;
        assert!(GenericImpl.call_with_mut_self().await.is_err());
    });
    assert_eq!(outcomes("generic_call"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("call_with_self"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("call_with_mut_self"), [0.0, 1.0, 0.0, 0.0]);
}

// From autometrics tests/compilation/result_labels/pass/async_trait_support.rs
// (autometrics issue #141), with a fallible method and a sleep added.
#[async_trait]
trait TestTrait {
    async fn method() -> bool;
    async fn self_method(&self) -> bool;
    async fn checked(&self, ok: bool) -> Result<(), String>;
}

#[derive(Default)]
struct TestStruct;

#[timed]
#[async_trait]
impl TestTrait for TestStruct {
    async fn method() -> bool {
        true
    }

    async fn self_method(&self) -> bool {
        std::thread::sleep(Duration::from_millis(50));
        true
    }

    async fn checked(&self, ok: bool) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err("not ok".to_owned())
        }
    }
}

#[derive(Default)]
struct TestStructBelow;

#[async_trait]
#[timed]
impl TestTrait for TestStructBelow {
    async fn method() -> bool {
        true
    }

    async fn self_method(&self) -> bool {
        std::thread::sleep(Duration::from_millis(50));
        true
    }

    async fn checked(&self, ok: bool) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err("not ok".to_owned())
        }
    }
}

#[test]
fn timed_above_async_trait_on_an_impl_block() {
    assert!(block_on(<TestStruct as TestTrait>::method()));
    assert!(block_on(TestStruct.self_method()));
    assert!(block_on(TestStruct.checked(true)).is_ok());
    assert!(block_on(TestStruct.checked(false)).is_err());
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::self_method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStruct as TestTrait>::checked"),
        [1.0, 1.0, 0.0, 0.0]
    );
    assert_slept("<TestStruct as TestTrait>::self_method");
}

#[test]
fn timed_below_async_trait_on_an_impl_block() {
    assert!(block_on(<TestStructBelow as TestTrait>::method()));
    assert!(block_on(TestStructBelow.self_method()));
    assert!(block_on(TestStructBelow.checked(true)).is_ok());
    assert!(block_on(TestStructBelow.checked(false)).is_err());
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::self_method"),
        [1.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        outcomes("<TestStructBelow as TestTrait>::checked"),
        [1.0, 1.0, 0.0, 0.0]
    );
    assert_slept("<TestStructBelow as TestTrait>::self_method");
}

// Native `async fn` in a trait, in the impl and as a default method.
trait Inventory {
    async fn stock(&self, item: u32) -> Result<u32, String>;

    #[timed]
    async fn restock(&self, item: u32) -> Result<u32, String> {
        Ok(self.stock(item).await? + 10)
    }
}

struct Warehouse;

impl Inventory for Warehouse {
    #[business_metric(action = "stock")]
    #[timed]
    async fn stock(&self, item: u32) -> Result<u32, String> {
        tokio::task::yield_now().await;
        if item == 0 {
            return Err("unknown item".to_owned());
        }
        Ok(item)
    }
}

#[test]
fn native_async_fn_in_traits() {
    assert_eq!(block_on(Warehouse.restock(1)), Ok(11));
    assert!(block_on(Warehouse.restock(0)).is_err());
    assert_eq!(outcomes("restock"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("stock"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(actions("stock", "stock"), 2.0);
}
