// `?` on an `Option` in an `async fn`. The error lands on the `?`; rustc
// speaks of an async block, which the attribute wraps the body in, and
// puts its "this function returns a `Result`" label on the attribute
// itself.
#[bizmetrics::timed]
async fn first(v: Vec<u32>) -> Result<u32, String> {
    let first = v.first()?;
    Ok(*first)
}

fn main() {}
