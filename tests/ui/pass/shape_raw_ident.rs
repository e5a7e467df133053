// A raw identifier as the function's name.
#![deny(warnings)]

use bizmetrics::{business_metric, timed};

// Labelled `type`, not `r#type`.
#[business_metric(action = "type")]
#[timed]
fn r#type() -> &'static str {
    "type"
}

// A raw identifier method and argument.
struct Matcher;

impl Matcher {
    #[timed]
    fn r#match(&self, r#in: &str) -> bool {
        r#in.is_empty()
    }
}

fn main() {
    assert_eq!(r#type(), "type");
    assert!(Matcher.r#match(""));
}
