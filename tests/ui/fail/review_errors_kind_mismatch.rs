// Review: `errors(kind = K)` on a function whose error type is not `K`.
// The message names the private `Fallible` trait and spans the whole
// attribute. (Records the current output.)
#[derive(Debug, bizmetrics::LabelValue)]
enum DbError {
    Timeout,
}

#[derive(Debug)]
struct OtherError;

#[bizmetrics::timed(errors(kind = DbError))]
fn query() -> Result<(), OtherError> {
    Err(OtherError)
}

fn main() {
    let _ = DbError::Timeout;
}
