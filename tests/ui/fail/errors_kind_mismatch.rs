// `errors(kind = K)` on a function whose error type is not `K`: a type
// mismatch spanned on `errors` and on `K`, from the bound of the runtime's
// `error_kind`.
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
