// Review: `?` on an `Option` in an `async fn`.
// The user wrote no async block, yet rustc speaks of one, and the "this
// function returns a `Result`" label lands on the attribute, not the
// signature. (Records the current output.)
#[bizmetrics::timed]
async fn first(v: Vec<u32>) -> Result<u32, String> {
    let first = v.first()?;
    Ok(*first)
}

fn main() {}
