// `#[business_metric]` on an impl block, without arguments: each method's
// action is its name.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

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

// Stacked with `#[timed]` on the same impl block.
struct Account;

#[timed]
#[business_metric]
impl Account {
    fn sign_up(&self) {}

    fn log_in(&self, ok: bool) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err("wrong password".to_owned())
        }
    }
}

fn main() {
    let mut shop = Shop { cart: Vec::new() };
    shop.add_to_cart(1).add_to_cart(2);
    assert_eq!(shop.browse(), 2);
    let _future = shop.checkout();
    Account.sign_up();
    assert!(Account.log_in(false).is_err());
}
