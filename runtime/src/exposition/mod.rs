//! The exposition formats, and the sources of series they write: one
//! writer per format, and a trait that each source implements.
//!
//! The call sites' families are written straight from their cells, with
//! label sets escaped once at startup, so a scrape only formats numbers.
//! Metrics registered by hand in [`registry`](crate::registry), and the
//! process collector, go through the prometheus crate's model. Every
//! source registers itself, and a scrape merges their families by name.

mod cells;
pub(crate) mod protobuf;
mod registered;
pub(crate) mod text;
mod value;

use std::sync::{PoisonError, RwLock};

use text::Writer;

pub(crate) use cells::CallSiteFamilies;

/// The `Content-Type` of [`render`](crate::render)'s output: the Prometheus text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

const PROTOBUF_CONTENT_TYPE: &str =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

/// The exposition formats [`render_as`](crate::render_as) writes.
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

/// A source of metric families for a scrape: the call sites' families,
/// the HTTP layer's, those registered by hand. Each source registers itself
/// with [`register`], so that no writer names it.
pub(crate) trait Source: Sync {
    /// Its families as of this scrape.
    fn gather(&self) -> Box<dyn Gathered + '_>;
}

/// One scrape's families of one [`Source`], by index.
pub(crate) trait Gathered {
    /// How many families there are.
    fn count(&self) -> usize;

    /// The name of family `index`.
    fn name(&self, index: usize) -> &str;

    /// Writes family `index` in a text format.
    fn write(&self, index: usize, writer: &mut Writer<'_>);

    /// Family `index` in the protobuf model.
    fn to_protobuf(&self, index: usize) -> protobuf::MetricFamily;
}

/// Every source registered so far.
static SOURCES: RwLock<Vec<&'static dyn Source>> = RwLock::new(Vec::new());

/// Adds `source` to every exposition from now on.
pub(crate) fn register(source: &'static dyn Source) {
    SOURCES
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .push(source);
}

/// Calls `visit` on every family of every source, sorted by name.
fn each_family(mut visit: impl FnMut(&dyn Gathered, usize)) {
    let sources = SOURCES
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let gathered: Vec<Box<dyn Gathered>> = sources.iter().map(|source| source.gather()).collect();
    let mut order: Vec<(&str, usize, usize)> = gathered
        .iter()
        .enumerate()
        .flat_map(|(source, families)| {
            (0..families.count()).map(move |index| (families.name(index), source, index))
        })
        .collect();
    // The registry refuses a name twice, so the order is total.
    order.sort_unstable_by_key(|&(name, ..)| name);
    for (_, source, index) in order {
        visit(&*gathered[source], index);
    }
}

/// Writes every family in a text format.
pub(crate) fn write_text(out: &mut String, format: Format) {
    let mut writer = Writer::new(out, format);
    each_family(|families, index| families.write(index, &mut writer));
    writer.finish();
}

/// Writes every family in the protobuf format, length delimited.
pub(crate) fn write_protobuf(out: &mut Vec<u8>) {
    each_family(|families, index| protobuf::encode(&families.to_protobuf(index), out));
}

/// The families of the prometheus crate's model, as a registry gathers
/// them: metrics registered by hand and the process collector.
pub(crate) struct Registered(pub(crate) Vec<prometheus::proto::MetricFamily>);

impl Registered {
    /// The families either prometheus model can read. Untyped families are
    /// left out: only the plain model can read their value, and the
    /// prometheus crate itself never makes one.
    pub(crate) fn readable(families: Vec<prometheus::proto::MetricFamily>) -> Registered {
        Registered(families.into_iter().filter(registered::readable).collect())
    }
}

impl Gathered for Registered {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn name(&self, index: usize) -> &str {
        self.0[index].name()
    }

    fn write(&self, index: usize, writer: &mut Writer<'_>) {
        registered::write(writer, &self.0[index]);
    }

    fn to_protobuf(&self, index: usize) -> protobuf::MetricFamily {
        protobuf::from_registry(&self.0[index])
    }
}
