// Generic functions, lifetimes, where clauses and `impl Trait` in argument
// and return position.
use std::fmt::Display;

use bizmetrics::{business_metric, timed};

#[timed]
fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() >= b.len() { a } else { b }
}

#[business_metric(action = "render")]
#[timed]
fn render<T>(items: &[T]) -> String
where
    T: Display,
{
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

#[timed]
fn squares(limit: u32) -> impl Iterator<Item = u32> {
    (0..limit).map(|n| n * n)
}

#[timed]
fn describe(value: impl Display) -> Box<dyn Display> {
    Box::new(format!("<{value}>"))
}

#[timed]
async fn fetch<T: Send + 'static>(value: T) -> Result<T, std::io::Error> {
    Ok(value)
}

fn main() {
    assert_eq!(longest("ab", "c"), "ab");
    assert_eq!(render(&[1, 2]), "1,2");
    assert_eq!(squares(3).sum::<u32>(), 5);
    assert_eq!(describe(4).to_string(), "<4>");
    let _future = fetch(1u8);
}
