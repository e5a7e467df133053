// Review: an `async fn` whose parameter binds by `ref`. Plain `async fn`s
// accept it; the desugared `fn -> impl Future` captures a reference to a
// parameter of the plain `fn`, which dies at the call (E0716).
#![deny(warnings)]

use bizmetrics::timed;

#[timed]
async fn length(ref text: String) -> usize {
    text.len()
}

#[timed]
async fn bump(ref mut counter: u32) -> u32 {
    *counter += 1;
    *counter
}

fn main() {
    let _ = length(String::from("abc"));
    let _ = bump(1);
}
