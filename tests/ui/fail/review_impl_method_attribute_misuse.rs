// Review: on a method of an annotated `impl` block, `skip` of an attribute
// the block does not carry, and the same attribute written twice, are
// accepted without a word (the last one wins). On a function, the second
// is an error (`duplicate_attribute.rs`) and `skip` is one
// (`skip_outside_impl.rs`).
struct Cart;

#[bizmetrics::business_metric]
impl Cart {
    #[bizmetrics::timed(skip)]
    fn add(&self) {}

    #[bizmetrics::business_metric(action = "first")]
    #[bizmetrics::business_metric(action = "second")]
    fn remove(&self) {}
}

fn main() {
    Cart.add();
    Cart.remove();
}
