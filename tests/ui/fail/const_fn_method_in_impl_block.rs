// A `const fn` method's own attribute inside an annotated `impl` block,
// even one with an invalid name, gets the error a free `#[timed] const fn`
// gets (`const_fn.rs`) rather than being dropped without a word.
struct Cart;

#[bizmetrics::business_metric]
impl Cart {
    #[bizmetrics::timed(name = "not_seconds")]
    const fn limit(&self) -> u32 {
        10
    }
}

fn main() {
    let _ = Cart.limit();
}
