// An `async fn` whose parameters bind by `ref` and `ref mut` compiles as a
// plain `async fn` does: the returned future must own those parameters, not
// borrow them from the outer `fn`, where they would die at the call (E0716).
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
