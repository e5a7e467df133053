// `?` on an `Option` in a function returning `Result`. The body runs in a
// closure (see "Where it goes" in timed.md), so rustc may speak of a closure.
#[bizmetrics::timed]
fn f(v: Vec<u32>) -> Result<u32, String> {
    let first = v.first()?;
    Ok(*first)
}

fn main() {}
