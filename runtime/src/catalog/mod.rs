//! The one model of the program's metrics, built once from every call
//! site: its metrics per call site, families, funnels and problems. The
//! registry, [`funnels`] and the monitoring export all read it.

pub(crate) mod site_metric;

use std::sync::LazyLock;

use crate::cell::{Counter, Gauge, Histogram};
use crate::decl::{CallSite, MetricKind, SITES};
use crate::error::Problem;
use crate::family::{self, Family};
use crate::funnel::{self, Funnel};

pub(crate) use site_metric::{SiteMetric, Storage};

/// What the program declares, checked.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Every metric of every call site, sorted by name, then location.
    #[cfg(feature = "monitoring")]
    pub(crate) sites: Vec<SiteMetric>,
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
        let mut sites: Vec<SiteMetric> = call_sites.iter().flat_map(site_metrics).collect();
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
fn site_metrics(call_site: &'static CallSite) -> impl Iterator<Item = SiteMetric> {
    let cells = call_site.cells;
    call_site.metrics.iter().map(move |metric| {
        let offset = metric.offset;
        SiteMetric {
            name: metric.name,
            help: metric.help,
            labels: metric.labels,
            dimensions: metric.dimensions.iter().copied().flatten().collect(),
            storage: match metric.kind {
                MetricKind::Counter => Storage::Counter(Counter { cells, offset }),
                MetricKind::Gauge => Storage::Gauge(Gauge { cells, offset }),
                MetricKind::Histogram { buckets, native } => Storage::Histogram(Histogram {
                    cells,
                    offset,
                    buckets,
                    native,
                }),
            },
            funnel: metric.funnel,
            #[cfg(feature = "monitoring")]
            role: metric.role,
            #[cfg(feature = "monitoring")]
            alerts: metric.alerts,
            #[cfg(feature = "monitoring")]
            objectives: metric.objectives,
            #[cfg(feature = "monitoring")]
            function: call_site.function,
            location: call_site.location,
            owner: call_site,
        }
    })
}

/// Every funnel declared in the program, by name, each with its steps in
/// order. Funnels that [`init`](crate::init) reports as broken are left out.
///
/// The conversion from step *n* to step *n+1* is the ratio of their
/// counters' rates; broken down by a bounded label such as `device`:
///
/// ```text
/// sum by (device) (rate(user_actions_total{action_type="add_to_cart"}[1h]))
///   / sum by (device) (rate(user_actions_total{action_type="view_item"}[1h]))
/// ```
///
/// ```
/// #[bizmetrics::business_metric(action = "search", funnel = "purchase", step = 1)]
/// fn search() {}
///
/// #[bizmetrics::business_metric(action = "buy", funnel = "purchase", step = 2, count = "ok")]
/// fn buy() -> Result<(), String> { Ok(()) }
///
/// let funnels = bizmetrics::funnels();
/// let actions: Vec<_> = funnels[0].steps.iter().map(|step| step.action).collect();
/// assert_eq!((funnels[0].name, actions), ("purchase", vec!["search", "buy"]));
/// ```
pub fn funnels() -> Vec<Funnel> {
    catalog().funnels.clone()
}
