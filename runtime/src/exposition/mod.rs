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
pub(crate) mod protobuf;
pub(crate) mod text;
mod value;

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::family::Family;
use crate::registry::{exported_families, gather_hand_registered};

/// The `Content-Type` of [`render`]'s output: the Prometheus text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

const PROTOBUF_CONTENT_TYPE: &str =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

/// The exposition formats [`render_as`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The Prometheus text format 0.0.4, which every scraper reads.
    #[default]
    Text,
    /// OpenMetrics 1.0.0: the text format with units, `# EOF`, counters
    /// declared without `_total`, and exemplars.
    OpenMetrics,
    /// The protobuf format, length-delimited `io.prometheus.client.MetricFamily`
    /// messages: the only one that carries native histograms. Prometheus
    /// asks for it first when run with `--enable-feature=native-histograms`.
    Protobuf,
}

impl Format {
    /// The `Content-Type` header of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => CONTENT_TYPE,
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Protobuf => PROTOBUF_CONTENT_TYPE,
        }
    }

    /// The format a request's `Accept` header prefers, as Prometheus
    /// negotiates it: the one asked for with the highest quality among
    /// those served, the text format when none is.
    ///
    /// ```
    /// use bizmetrics::Format;
    ///
    /// // What Prometheus 2.42 sends.
    /// let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    /// assert_eq!(Format::from_accept(prometheus), Format::OpenMetrics);
    /// assert_eq!(Format::from_accept("text/plain"), Format::Text);
    /// assert_eq!(Format::from_accept(""), Format::Text);
    ///
    /// // Prometheus 2.42 with `--enable-feature=native-histograms`.
    /// let native = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3";
    /// assert_eq!(Format::from_accept(native), Format::Protobuf);
    /// ```
    pub fn from_accept(accept: &str) -> Format {
        let mut best = (Format::Text, 0.0);
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let parameters: Vec<(&str, &str)> = parts
                .filter_map(|parameter| parameter.split_once('='))
                .map(|(name, value)| (name.trim(), value.trim()))
                .collect();
            let parameter = |wanted: &str| {
                parameters
                    .iter()
                    .find(|&&(name, _)| name == wanted)
                    .map(|&(_, value)| value)
            };
            let quality = parameter("q").map_or(1.0, |q| q.parse().unwrap_or(0.0));
            let version = parameter("version");
            let proto = parameters.iter().any(|&(name, value)| {
                name == "proto" && value == "io.prometheus.client.MetricFamily"
            });
            let delimited = parameters
                .iter()
                .any(|&(name, value)| name == "encoding" && value == "delimited");
            let format = match (media.as_str(), version) {
                ("application/vnd.google.protobuf", _) if proto && delimited => Format::Protobuf,
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
/// #[bizmetrics::business_metric(action = "search")]
/// fn search() {}
///
/// search();
/// let mut buffer = Vec::new();
/// for _ in 0..3 {
///     buffer.clear();
///     bizmetrics::render_into(&mut buffer, bizmetrics::Format::Text);
/// }
/// assert!(buffer.starts_with(b"# HELP"));
/// ```
pub fn render_into(out: &mut Vec<u8>, format: Format) {
    if format == Format::Protobuf {
        for family in families().iter() {
            protobuf::encode(&family.to_protobuf(), out);
        }
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

fn write_text(out: &mut String, format: Format) {
    if let (Err(error), Format::Text) = (crate::init(), format) {
        for line in error.to_string().lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    let families = families();
    let mut writer = text::Writer::new(out, format);
    for family in families.iter() {
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

/// Every family to expose, sorted by name.
struct Families {
    others: Vec<prometheus::proto::MetricFamily>,
    cells: &'static [&'static Family],
    http: Vec<&'static str>,
}

fn families() -> Families {
    Families {
        others: gather_hand_registered()
            .into_iter()
            .filter(proto::readable)
            .collect(),
        cells: exported_families(),
        http: http_families(),
    }
}

impl Families {
    fn iter(&self) -> impl Iterator<Item = Source<'_>> {
        let mut all: Vec<Source<'_>> = self
            .cells
            .iter()
            .map(|&family| Source::Cells(family))
            .chain(self.http.iter().map(|&name| Source::Http(name)))
            .chain(self.others.iter().map(Source::Registry))
            .collect();
        // The registry refuses a name twice, so the order is total.
        all.sort_unstable_by(|a, b| a.name().cmp(b.name()));
        all.into_iter()
    }
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

fn http_families() -> Vec<&'static str> {
    #[cfg(feature = "axum")]
    return crate::http::family_names().collect();
    #[cfg(not(feature = "axum"))]
    return Vec::new();
}

impl Source<'_> {
    fn to_protobuf(&self) -> protobuf::MetricFamily {
        match self {
            Source::Cells(family) => cells::to_protobuf(family),
            #[cfg(feature = "axum")]
            Source::Http(name) => crate::http::to_protobuf(name),
            #[cfg(not(feature = "axum"))]
            Source::Http(_) => unreachable!("no HTTP families without the axum feature"),
            Source::Registry(family) => protobuf::from_registry(family),
        }
    }
}
