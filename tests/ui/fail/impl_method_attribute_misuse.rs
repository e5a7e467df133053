// On a method of an annotated `impl` block, `skip` of an attribute the
// block does not carry, and the same attribute written twice, are errors,
// as they are on a function (`skip_outside_impl.rs`,
// `duplicate_attribute.rs`), rather than accepted with the last one
// winning.
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
