// On an `impl` block each method is its own action.
struct Foo;

#[bizmetrics::business_metric(action = "x")]
impl Foo {
    fn a(&self) {}
}

fn main() {
    Foo.a();
}
