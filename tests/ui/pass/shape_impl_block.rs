// `#[timed]` on an impl block: every method is timed as `Type::method`,
// except those marked `#[timed(skip)]`.
#![deny(warnings)]

use std::fmt;

use bizmetrics::timed;

// From autometrics tests/integration_test.rs: impl_block
struct Foo;

#[timed]
impl Foo {
    fn test_fn() -> &'static str {
        "Hello world!"
    }

    fn test_method(&self) -> &'static str {
        "Goodnight moon"
    }
}

// A skipped method, and same-named methods on two types
// in one module.
struct Bar;

#[timed]
impl Foo {
    fn get(&self) -> u32 {
        1
    }

    #[timed(skip)]
    fn not_timed(&self) -> u32 {
        2
    }
}

#[timed]
impl Bar {
    fn get(&self) -> u32 {
        3
    }
}

// A trait impl.
#[timed]
impl fmt::Display for Foo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("foo")
    }
}

// A generic impl with an associated const, a borrowing
// method and an `async fn`.
struct Stack<T> {
    items: Vec<T>,
}

#[timed]
impl<T: Clone> Stack<T> {
    const LIMIT: usize = 2;

    fn new() -> Self {
        Stack { items: Vec::new() }
    }

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

    async fn pop_later(&mut self) -> Option<T> {
        self.items.pop()
    }
}

fn main() {
    assert_eq!(Foo::test_fn(), "Hello world!");
    assert_eq!(Foo.test_method(), "Goodnight moon");
    assert_eq!(Foo.get() + Foo.not_timed() + Bar.get(), 6);
    assert_eq!(Foo.to_string(), "foo");

    let mut stack = Stack::new();
    stack.push(1).unwrap();
    stack.push(2).unwrap();
    assert_eq!(stack.push(3), Err(3));
    *stack.top_mut().unwrap() += 1;
    assert_eq!(stack.peek(), Some(&3));
    let _future = stack.pop_later();
}
