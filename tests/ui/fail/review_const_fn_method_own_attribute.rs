// Review: a `const fn` method's own attribute inside an annotated `impl`
// block is taken off and dropped without a word, even with an invalid
// name. Expected: the error a free `#[timed] const fn` gets (`const_fn.rs`).
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
