//! A scrape: every metric in [`registry`](crate::registry), rendered in the
//! format the scraper asks for, after [`init`] has registered the call
//! sites' families.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::exposition::{self, Format};
use crate::registry::init;

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
    let mut text = String::with_capacity(last_len() + 1024);
    write_text(&mut text, Format::Text);
    remember_len(text.len());
    text
}

/// Renders every metric in [`registry`](crate::registry) in `format`.
///
/// In [`Format::OpenMetrics`] and [`Format::Protobuf`], the problems
/// [`init`](crate::init) found are left out, since those formats have no
/// comments; [`render`] shows them.
///
/// ```
/// use bizmetrics::Format;
///
/// #[bizmetrics::business_metric(action = "search")]
/// fn search() {}
///
/// search();
/// let text = String::from_utf8(bizmetrics::render_as(Format::OpenMetrics)).unwrap();
/// assert!(text.contains("# TYPE user_actions counter"));
/// assert!(text.contains(r#"user_actions_total{action_type="search",endpoint="search"} 1"#));
/// assert!(text.ends_with("# EOF\n"));
/// ```
pub fn render_as(format: Format) -> Vec<u8> {
    let mut out = Vec::with_capacity(last_len() + 1024);
    render_into(&mut out, format);
    remember_len(out.len());
    out
}

/// Appends the exposition in `format` to `out`. With a buffer reused from
/// scrape to scrape, the call sites' families allocate nothing in the text
/// formats.
///
/// ```
/// let mut buffer = Vec::new();
/// for _ in 0..3 {
///     buffer.clear();
///     bizmetrics::render_into(&mut buffer, bizmetrics::Format::Text);
/// }
/// assert!(buffer.starts_with(b"# HELP"));
/// ```
pub fn render_into(out: &mut Vec<u8>, format: Format) {
    if format == Format::Protobuf {
        // Its problems are left out, but `init` registers the families.
        let _ = init();
        exposition::write_protobuf(out);
        return;
    }
    // Text goes into a String; `out` is one unless it holds other bytes.
    match String::from_utf8(std::mem::take(out)) {
        Ok(mut text) => {
            write_text(&mut text, format);
            *out = text.into_bytes();
        }
        Err(not_text) => {
            *out = not_text.into_bytes();
            let mut text = String::new();
            write_text(&mut text, format);
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// The last exposition's size: one allocation, usually, for the next.
static LAST_LEN: AtomicUsize = AtomicUsize::new(0);

fn last_len() -> usize {
    LAST_LEN.load(Relaxed)
}

fn remember_len(len: usize) {
    LAST_LEN.store(len, Relaxed);
}

/// The problems [`init`] found, as `#` comment lines in the text format,
/// then every family.
fn write_text(out: &mut String, format: Format) {
    if let (Err(error), Format::Text) = (init(), format) {
        for line in error.to_string().lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    exposition::write_text(out, format);
}
