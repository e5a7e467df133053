// Methods taking every kind of receiver, associated fns, trait impls and a
// trait's default method.
use bizmetrics::{business_metric, timed};

struct Cart(Vec<u32>);

impl Cart {
    #[timed]
    fn new() -> Self {
        Cart(Vec::new())
    }

    #[business_metric(action = "add_to_cart")]
    fn add(&mut self, item: u32) -> &mut Self {
        self.0.push(item);
        self
    }

    #[timed]
    fn first(&self) -> Option<&u32> {
        self.0.first()
    }

    #[timed]
    pub(crate) fn into_inner(self) -> Vec<u32> {
        self.0
    }
}

trait Checkout {
    fn pay(&self) -> Result<u32, String>;

    #[timed]
    fn pay_twice(&self) -> Result<u32, String> {
        Ok(self.pay()? + self.pay()?)
    }
}

impl Checkout for Cart {
    #[business_metric(action = "purchase")]
    #[timed]
    fn pay(&self) -> Result<u32, String> {
        Ok(self.0.iter().sum())
    }
}

fn main() {
    let mut cart = Cart::new();
    cart.add(1).add(2);
    assert_eq!(cart.first(), Some(&1));
    assert_eq!(cart.pay_twice(), Ok(6));
    assert_eq!(cart.into_inner(), vec![1, 2]);
}
