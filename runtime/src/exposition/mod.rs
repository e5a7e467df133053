//! The exposition of everything there is to scrape, in the format the
//! scraper asks for.
//!
//! The call sites' families are written straight from their cells, with
//! label sets escaped once at startup, so a scrape only formats numbers.
//! Metrics registered by hand in [`registry`](crate::registry), and the
//! process collector, go through the prometheus crate's model and are
//! merged in by name.

mod cells;
mod proto;
pub(crate) mod text;

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::family::Family;
use crate::registry::{exported_families, gather_hand_registered};

/// The `Content-Type` of [`render`]'s output: the Prometheus text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The exposition formats [`render_as`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The Prometheus text format 0.0.4, which every scraper reads.
    #[default]
    Text,
    /// OpenMetrics 1.0.0: the text format with units, `# EOF`, counters
    /// declared without `_total`, and exemplars.
    OpenMetrics,
}

impl Format {
    /// The `Content-Type` header of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => CONTENT_TYPE,
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }

    /// The format a request's `Accept` header prefers, as Prometheus
    /// negotiates it: OpenMetrics when it is asked for with a higher
    /// quality than the text format, the text format otherwise.
    ///
    /// ```
    /// use bizmetrics::Format;
    ///
    /// // What Prometheus 2.42 sends.
    /// let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    /// assert_eq!(Format::from_accept(prometheus), Format::OpenMetrics);
    /// assert_eq!(Format::from_accept("text/plain"), Format::Text);
    /// assert_eq!(Format::from_accept(""), Format::Text);
    /// ```
    pub fn from_accept(accept: &str) -> Format {
        let mut best = (Format::Text, 0.0);
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let mut quality = 1.0;
            let mut version = None;
            for parameter in parts {
                match parameter.split_once('=') {
                    Some(("q", q)) => quality = q.trim().parse().unwrap_or(0.0),
                    Some(("version", v)) => version = Some(v.trim()),
                    _ => {}
                }
            }
            let format = match (media.as_str(), version) {
                ("application/openmetrics-text", None | Some("1.0.0" | "0.0.1")) => {
                    Format::OpenMetrics
                }
                ("text/plain" | "text/*" | "*/*", None | Some("0.0.4")) => Format::Text,
                _ => continue,
            };
            if quality > best.1 {
                best = (format, quality);
            }
        }
        best.0
    }
}

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
    render_as(Format::Text)
}

/// Renders every metric in [`registry`](crate::registry) in `format`.
///
/// In [`Format::OpenMetrics`], the problems [`init`](crate::init) found are
/// left out, since the format has no comments; [`render`] shows them.
///
/// ```
/// use bizmetrics::Format;
///
/// #[bizmetrics::business_metric(action = "search")]
/// fn search() {}
///
/// search();
/// let text = bizmetrics::render_as(Format::OpenMetrics);
/// assert!(text.contains("# TYPE user_actions counter"));
/// assert!(text.contains(r#"user_actions_total{action_type="search",endpoint="search"} 1"#));
/// assert!(text.ends_with("# EOF\n"));
/// ```
pub fn render_as(format: Format) -> String {
    // The last scrape's size: one allocation, usually, for the whole text.
    static LAST_LEN: AtomicUsize = AtomicUsize::new(0);
    let mut out = String::with_capacity(LAST_LEN.load(Relaxed) + 1024);
    render_into(&mut out, format);
    LAST_LEN.store(out.len(), Relaxed);
    out
}

/// Appends the exposition in `format` to `out`; with a buffer reused from
/// scrape to scrape, the call sites' families allocate nothing.
///
/// ```
/// let mut buffer = String::new();
/// for _ in 0..3 {
///     buffer.clear();
///     bizmetrics::render_into(&mut buffer, bizmetrics::Format::Text);
/// }
/// ```
pub fn render_into(out: &mut String, format: Format) {
    if let (Err(error), Format::Text) = (crate::init(), format) {
        for line in error.to_string().lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    let others = gather_hand_registered();
    let mut families: Vec<Source<'_>> = exported_families()
        .iter()
        .map(|&family| Source::Cells(family))
        .chain(http_families().map(Source::Http))
        .chain(others.iter().map(Source::Registry))
        .collect();
    // The registry refuses a name twice, so the order is total.
    families.sort_unstable_by(|a, b| a.name().cmp(b.name()));
    let mut writer = text::Writer::new(out, format);
    for family in families {
        match family {
            Source::Cells(family) => cells::write(&mut writer, family),
            #[cfg(feature = "axum")]
            Source::Http(name) => crate::http::write(&mut writer, name),
            #[cfg(not(feature = "axum"))]
            Source::Http(_) => {}
            Source::Registry(family) => proto::write(&mut writer, family),
        }
    }
    writer.finish();
}

/// Where a family's samples come from.
enum Source<'a> {
    /// A family of call sites, written from their cells.
    Cells(&'a Family),
    /// One of `HttpMetricsLayer`'s two families.
    Http(&'static str),
    /// Anything else in the registry, in the prometheus crate's model.
    Registry(&'a prometheus::proto::MetricFamily),
}

impl Source<'_> {
    fn name(&self) -> &str {
        match self {
            Source::Cells(family) => family.name,
            Source::Http(name) => name,
            Source::Registry(family) => family.name(),
        }
    }
}

fn http_families() -> impl Iterator<Item = &'static str> {
    #[cfg(feature = "axum")]
    return crate::http::family_names().iter().copied();
    #[cfg(not(feature = "axum"))]
    return std::iter::empty();
}
