//! The Prometheus text exposition of everything in the registry.

use prometheus::{Encoder, TextEncoder};

/// The `Content-Type` of [`render`]'s output.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Renders every metric in [`registry`](crate::registry) in the Prometheus
/// text format, running [`init`](crate::init) first if it has not run.
///
/// It never panics. If `init` found problems, they are listed as `#`
/// comment lines at the top and every consistent family is still rendered.
///
/// ```
/// #[bizmetrics::timed]
/// fn checkout() {}
///
/// checkout();
/// let text = bizmetrics::render();
/// assert!(text.contains("# TYPE function_duration_seconds histogram"));
/// assert!(text.contains(r#"function_duration_seconds_count{function="checkout",module="rust_out",outcome="ok"} 1"#));
/// ```
pub fn render() -> String {
    let mut out = String::new();
    if let Err(error) = crate::init() {
        for line in error.to_string().lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    let families = crate::registry().gather();
    let mut body = Vec::new();
    match TextEncoder::new().encode(&families, &mut body) {
        Ok(()) => out.push_str(&String::from_utf8_lossy(&body)),
        Err(error) => {
            out.push_str("# bizmetrics could not encode the registry: ");
            out.push_str(&error.to_string().replace('\n', " "));
            out.push('\n');
        }
    }
    out
}
