//! The one model of the program's metrics, built once from every call
//! site: its metric sites, families, funnels and problems. The registry,
//! [`funnels`](crate::funnels) and the monitoring export all read it.

use std::sync::LazyLock;

use crate::call::{CallSite, Kind, SITES};
use crate::cell::{Counter, Gauge, Histogram};
use crate::error::Problem;
use crate::family::{self, Family};
use crate::funnel::{self, Funnel};
use crate::site::{Site, Storage};

/// What the program declares, checked.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Every metric of every call site, sorted by name, then location.
    #[cfg(feature = "monitoring")]
    pub(crate) sites: Vec<Site>,
    /// The consistent families.
    pub(crate) families: Vec<Family>,
    /// The consistent funnels.
    pub(crate) funnels: Vec<Funnel>,
    /// Everything that conflicts, as [`crate::init`] reports it.
    pub(crate) problems: Vec<Problem>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::build(&SITES));

/// The catalog of this program's call sites, built on first use.
pub(crate) fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    pub(crate) fn build(call_sites: &'static [CallSite]) -> Catalog {
        let mut sites: Vec<Site> = call_sites.iter().flat_map(metric_sites).collect();
        sites.sort_by_key(|site| (site.name, site.location));
        let (families, mut problems) = family::build(&sites);
        let (funnels, funnel_problems) = funnel::collect(&sites);
        problems.extend(funnel_problems);
        Catalog {
            #[cfg(feature = "monitoring")]
            sites,
            families,
            funnels,
            problems,
        }
    }
}

/// The metrics of one call site, each with a view of its cells.
fn metric_sites(call_site: &'static CallSite) -> impl Iterator<Item = Site> {
    let cells = call_site.cells;
    call_site.metrics.iter().map(move |metric| {
        let offset = metric.offset;
        Site {
            name: metric.name,
            help: metric.help,
            labels: metric.labels,
            dimensions: metric.dimensions.iter().copied().flatten().collect(),
            storage: match metric.kind {
                Kind::Counter => Storage::Counter(Counter { cells, offset }),
                Kind::Gauge => Storage::Gauge(Gauge { cells, offset }),
                Kind::Histogram(buckets) => Storage::Histogram(Histogram {
                    cells,
                    offset,
                    buckets,
                    native: None,
                }),
                Kind::NativeHistogram(buckets, native) => Storage::Histogram(Histogram {
                    cells,
                    offset,
                    buckets,
                    native: Some(native),
                }),
            },
            funnel: metric.funnel,
            #[cfg(feature = "monitoring")]
            alerts: metric.alerts,
            location: call_site.location,
            owner: call_site,
        }
    })
}
