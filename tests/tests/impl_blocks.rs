//! `#[timed]` and `#[business_metric]` on `impl` blocks: each method is
//! recorded as `Type::method` (`<Type as Trait>::method` in a trait impl), a
//! method's own attribute replaces the block's, `skip` leaves a method out,
//! and a `const fn` is left alone. Compile-only counterparts:
//! `tests/ui/pass/shape_impl_block*.rs`.

use std::fmt::{self, Display};

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::executor::{block_on, yield_once};
use bizmetrics_tests::{actions, sample, sample_in};

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

// From autometrics tests/integration_test.rs: impl_block; with `Foo::get`
// and `Bar::get` in one module, and a skipped method.
struct Foo;

#[timed]
impl Foo {
    fn test_fn() -> &'static str {
        "Hello world!"
    }

    fn test_method(&self) -> &'static str {
        "Goodnight moon"
    }

    fn get(&self) -> u32 {
        1
    }

    #[timed(skip)]
    fn unmeasured(&self) -> u32 {
        2
    }
}

struct Bar;

#[timed]
impl Bar {
    fn get(&self) -> u32 {
        3
    }
}

// An impl block of a trait.
#[timed]
impl Display for Foo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("foo")
    }
}

#[test]
fn an_impl_block_times_each_method_as_type_and_method() {
    assert_eq!(Foo::test_fn(), "Hello world!");
    assert_eq!(Foo.test_method(), "Goodnight moon");
    assert_eq!(Foo.get() + Foo.get() + Bar.get(), 5);
    assert_eq!(Foo.to_string(), "foo");
    assert_eq!(outcomes("Foo::test_fn"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Foo::test_method"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Foo::get"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Bar::get"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("<Foo as Display>::fmt"), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn a_skipped_method_records_nothing() {
    assert_eq!(Foo.unmeasured(), 2);
    let text = bizmetrics::render();
    assert!(
        !text.contains("unmeasured"),
        "a #[timed(skip)] method has a series:\n{}",
        text.lines()
            .filter(|line| line.contains("unmeasured"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The methods around it are still there.
    sample_in(
        &text,
        r#"function_duration_seconds_count{function="Foo::get",module="impl_blocks",outcome="ok"}"#,
    );
}

// A generic impl block with an associated const and methods returning
// borrows.
struct Stack<T> {
    items: Vec<T>,
}

#[timed]
impl<T: Clone> Stack<T> {
    const LIMIT: usize = 2;

    fn push(&mut self, item: T) -> Result<(), T> {
        if self.items.len() >= Self::LIMIT {
            return Err(item);
        }
        self.items.push(item);
        Ok(())
    }

    fn peek(&self) -> Option<&T> {
        self.items.last()
    }

    fn top_mut(&mut self) -> Option<&mut T> {
        self.items.last_mut()
    }
}

#[test]
fn a_generic_impl_block_is_timed_without_its_parameters() {
    let mut stack = Stack { items: Vec::new() };
    stack.push('a').unwrap();
    stack.push('b').unwrap();
    assert_eq!(stack.push('c'), Err('c'));
    *stack.top_mut().unwrap() = 'z';
    assert_eq!(stack.peek(), Some(&'z'));
    let mut numbers = Stack { items: vec![1] };
    assert_eq!(numbers.push(2), Ok(()));
    assert_eq!(outcomes("Stack::push"), [3.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("Stack::top_mut"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Stack::peek"), [1.0, 0.0, 0.0, 0.0]);
}

// `#[business_metric]` on an impl block: each method's action is its name
// and its endpoint `Type::method`.
struct Shop {
    cart: Vec<u32>,
}

#[business_metric]
impl Shop {
    fn browse(&self) -> usize {
        self.cart.len()
    }

    fn add_to_cart(&mut self, item: u32) -> &mut Self {
        self.cart.push(item);
        self
    }

    async fn checkout(&mut self) -> Result<u32, String> {
        if self.cart.is_empty() {
            return Err("empty cart".to_owned());
        }
        Ok(self.cart.drain(..).sum())
    }
}

#[test]
fn business_metric_on_an_impl_block_counts_each_method_as_an_action() {
    let mut shop = Shop { cart: Vec::new() };
    assert_eq!(shop.browse(), 0);
    shop.add_to_cart(1).add_to_cart(2);
    assert_eq!(shop.browse(), 2);
    assert_eq!(block_on(shop.checkout()), Ok(3));
    // The endpoint defaults to the function's name, `Type::method` here as
    // in `#[timed]`'s `function` label.
    assert_eq!(actions("browse", "Shop::browse"), 2.0);
    assert_eq!(actions("add_to_cart", "Shop::add_to_cart"), 2.0);
    assert_eq!(actions("checkout", "Shop::checkout"), 1.0);
}

// Same-named methods of two trait impls of one type, `Display::fmt` and
// `Debug::fmt`: the `function` label names the trait, so each keeps its own
// series.

struct Money(u32);

#[timed]
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}", self.0)
    }
}

#[timed]
impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

#[test]
fn same_named_methods_of_two_trait_impls_keep_separate_series() {
    assert_eq!(Money(1).to_string(), "$1");
    assert_eq!(Money(2).to_string(), "$2");
    assert_eq!(format!("{:?}", Money(3)), "Money(3)");
    let text = bizmetrics::render();
    let mut counts: Vec<f64> = text
        .lines()
        .filter(|line| {
            line.starts_with("function_duration_seconds_count{")
                && line.contains("Money")
                && line.contains("fmt")
                && line.contains(r#"outcome="ok""#)
        })
        .map(|line| line.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    counts.sort_by(f64::total_cmp);
    assert_eq!(
        counts,
        [1.0, 2.0],
        "Display::fmt (2 calls) and Debug::fmt (1 call) are one series"
    );
}

// An `impl dyn Trait` block: its methods are labelled with a readable type,
// not the type's tokens glued together (`dynGreeter::greet`).

trait Greeter {
    fn name(&self) -> &'static str;
}

struct English;

impl Greeter for English {
    fn name(&self) -> &'static str {
        "en"
    }
}

#[timed]
impl dyn Greeter {
    fn greet(&self) -> String {
        format!("hello from {}", self.name())
    }
}

#[test]
fn an_impl_of_a_trait_object_is_labelled_readably() {
    let greeter: &dyn Greeter = &English;
    assert_eq!(greeter.greet(), "hello from en");
    let text = bizmetrics::render();
    assert!(
        !text.contains("dynGreeter"),
        "function label glues `dyn` to the trait name:\n{}",
        text.lines()
            .filter(|line| line.contains("Greeter") && line.contains("_count{"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// Both attributes stacked on one block, a method's own attribute replacing
// the block's, `skip` of one of them, `const fn` and `async fn` methods,
// generic methods, `cfg`'d methods.

struct Ledger<'a, T> {
    entries: Vec<T>,
    owner: &'a str,
}

#[timed]
#[business_metric(endpoint = "/ledger")]
impl<'a, T: Clone> Ledger<'a, T>
where
    T: Send,
{
    const MAX: usize = 2;

    fn owner(&self) -> &'a str {
        self.owner
    }

    fn push(&mut self, entry: T) -> Result<usize, T> {
        if self.entries.len() >= Self::MAX {
            return Err(entry);
        }
        self.entries.push(entry);
        Ok(self.entries.len())
    }

    fn convert<U: From<T>>(&self) -> Vec<U> {
        self.entries.iter().cloned().map(U::from).collect()
    }

    async fn settle(&mut self) -> usize {
        yield_once().await;
        self.entries.drain(..).count()
    }

    const fn limit() -> usize {
        Self::MAX
    }

    #[timed(name = "ledger_audit_duration_seconds")]
    fn audit(&self) -> usize {
        self.entries.len()
    }

    #[timed(skip)]
    fn peek(&self) -> Option<&T> {
        self.entries.last()
    }

    #[cfg(any())]
    fn compiled_out(&self) {}
}

#[test]
fn an_impl_block_with_both_attributes_and_method_overrides() {
    let mut ledger = Ledger {
        entries: Vec::new(),
        owner: "ana",
    };
    assert_eq!(ledger.owner(), "ana");
    assert_eq!(ledger.push(1u8), Ok(1));
    assert_eq!(ledger.push(2), Ok(2));
    assert_eq!(ledger.push(3), Err(3));
    assert_eq!(ledger.convert::<u32>(), [1, 2]);
    assert_eq!(ledger.audit(), 2);
    assert_eq!(ledger.peek(), Some(&2));
    assert_eq!(Ledger::<u8>::limit(), 2);
    assert_eq!(block_on(ledger.settle()), 2);

    assert_eq!(outcomes("Ledger::owner"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::push"), [2.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::convert"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::settle"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("push", "/ledger"), 3.0);
    assert_eq!(actions("settle", "/ledger"), 1.0);
    // `skip` of `#[timed]` leaves the block's `#[business_metric]`.
    assert_eq!(actions("peek", "/ledger"), 1.0);
    // The method's own `#[timed(...)]` replaces the block's, and is fused
    // with the block's `#[business_metric]`.
    assert_eq!(
        sample(
            r#"ledger_audit_duration_seconds_count{function="Ledger::audit",module="impl_blocks",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(actions("audit", "/ledger"), 1.0);
    let text = bizmetrics::render();
    assert!(!text.contains(r#"function_duration_seconds_count{function="Ledger::audit""#));
    assert!(!text.contains("Ledger::limit"), "a const fn is left alone");
    assert!(!text.contains(r#"function="Ledger::peek""#));
}
