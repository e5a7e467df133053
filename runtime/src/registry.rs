//! The process-wide registry and `init()`: where call sites become families.

use std::cell::Cell;
use std::sync::{LazyLock, OnceLock};

use prometheus::core::{Collector, Desc};
use prometheus::{proto, Registry};

use crate::catalog::catalog;
use crate::error::{Error, Problem};
use crate::exposition::{self, CallSiteFamilies, Gathered, Registered, Source};
use crate::family::Family;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let registry = Registry::new();
    #[cfg(all(feature = "process", target_os = "linux"))]
    {
        let process = prometheus::process_collector::ProcessCollector::for_self();
        // A fresh registry holds nothing yet, so this cannot conflict.
        let _ = registry.register(Box::new(process));
    }
    registry
});

static INIT: OnceLock<Result<(), Error>> = OnceLock::new();

/// The families [`init`] registered, sorted by name: the ones a scrape
/// writes from their cells.
static EXPORTED: OnceLock<CallSiteFamilies> = OnceLock::new();

thread_local! {
    /// Set while a scrape gathers the registry: the call sites' families
    /// are written from their cells, so their collectors stay silent then.
    /// Anyone else's `registry().gather()` still gets them.
    static SCRAPING: Cell<bool> = const { Cell::new(false) };
}

/// The registry that [`render`](crate::render) exports.
///
/// It holds the families of every `#[business_metric]` and `#[timed]` call
/// site (once [`init`] has run), the process collector on Linux, and any
/// metric you register by hand, so one `/metrics` serves them all.
///
/// ```
/// use prometheus::{IntGauge, Opts};
///
/// let queue_depth = IntGauge::with_opts(Opts::new("queue_depth", "Jobs waiting.")).unwrap();
/// bizmetrics::registry().register(Box::new(queue_depth.clone())).unwrap();
/// queue_depth.set(3);
/// assert!(bizmetrics::render().contains("queue_depth 3"));
/// ```
pub fn registry() -> &'static Registry {
    &REGISTRY
}

/// Collects every annotated call site and registers its metric family.
///
/// Call it at the start of `main`, so a conflict shows up at startup rather
/// than on the first scrape. It runs once; later calls return the first
/// result. [`render`](crate::render) calls it too, so forgetting it loses
/// nothing.
///
/// Every series exists from this moment, at zero, so `rate()` and alerts on
/// absent traffic work before the first call.
///
/// # Errors
///
/// When two call sites give one metric name different kinds, help texts,
/// label names or buckets, or when a metric registered by hand already has
/// the name. The error lists every problem with its source locations. All
/// consistent families are registered regardless.
///
/// ```
/// #[bizmetrics::business_metric(action = "search", endpoint = "/search")]
/// fn search() {}
///
/// fn main() -> Result<(), bizmetrics::Error> {
///     bizmetrics::init()?;
///     assert!(bizmetrics::render()
///         .contains(r#"user_actions_total{action_type="search",endpoint="/search"} 0"#));
///     search();
///     assert!(bizmetrics::render()
///         .contains(r#"user_actions_total{action_type="search",endpoint="/search"} 1"#));
///     Ok(())
/// }
/// ```
pub fn init() -> Result<(), Error> {
    INIT.get_or_init(|| {
        // Calibrate the clock now rather than in the first timed call.
        LazyLock::force(&crate::clock::CLOCK);
        let catalog = catalog();
        let mut problems = catalog.problems.clone();
        let mut exported = Vec::new();
        for family in &catalog.families {
            let (name, at) = (family.name, family.location);
            match FamilyCollector::new(family)
                .and_then(|collector| REGISTRY.register(Box::new(collector)))
            {
                Ok(()) => exported.push(family),
                Err(reason) => problems.push(Problem::Registry {
                    metric: name,
                    at,
                    reason: reason.to_string(),
                }),
            }
        }
        exposition::register(EXPORTED.get_or_init(|| CallSiteFamilies(exported)));
        exposition::register(&HandRegistered);
        Error::new(problems).map_or(Ok(()), Err)
    })
    .clone()
}

/// Exposes one family to the prometheus registry.
struct FamilyCollector {
    family: &'static Family,
    desc: Desc,
}

impl FamilyCollector {
    fn new(family: &'static Family) -> prometheus::Result<Self> {
        let desc = Desc::new(
            family.name.to_owned(),
            family.help.to_owned(),
            family.label_names.iter().map(|&n| n.to_owned()).collect(),
            std::collections::HashMap::new(),
        )?;
        Ok(FamilyCollector { family, desc })
    }
}

impl Collector for FamilyCollector {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<proto::MetricFamily> {
        if scraping() {
            return Vec::new();
        }
        vec![self.family.collect()]
    }
}

/// Whether this thread is gathering the registry for a scrape.
pub(crate) fn scraping() -> bool {
    SCRAPING.get()
}

/// The registry's families other than the ones written from their own
/// storage: what was registered by hand, and the process collector.
struct HandRegistered;

impl Source for HandRegistered {
    fn gather(&self) -> Box<dyn Gathered + '_> {
        /// Clears the flag however `gather` ends, a collector's panic included.
        struct Scraping;
        impl Drop for Scraping {
            fn drop(&mut self) {
                SCRAPING.set(false);
            }
        }
        SCRAPING.set(true);
        let _scraping = Scraping;
        Box::new(Registered::readable(REGISTRY.gather()))
    }
}
