//! The catalog's view of one metric of one call site: its contribution to
//! one metric family, with a view of its cells.

use crate::cell::{Counter, Gauge, Histogram};
#[cfg(feature = "monitoring")]
use crate::decl::{Alert, Objective, Role};
use crate::decl::{CallSite, Dimension, FunnelStep, Help, Location};

/// One annotated function's contribution to one metric family.
// The monitoring export is what reads its declarations.
#[derive(Debug)]
pub struct SiteMetric {
    /// The metric family name, for example `user_actions_total`.
    pub name: &'static str,
    /// The family's help text.
    pub help: Help,
    /// Labels whose values are fixed at compile time, as `(name, value)`.
    pub labels: &'static [(&'static str, &'static str)],
    /// Labels whose value is chosen per call from a fixed set.
    ///
    /// The site's series are laid out in row-major order over these
    /// dimensions: the last dimension varies fastest.
    pub dimensions: Vec<&'static Dimension>,
    /// The atomic cells the call site writes to.
    pub storage: Storage,
    /// The funnel step this call site's action is, if any.
    pub funnel: Option<FunnelStep>,
    /// What the metric is for.
    #[cfg(feature = "monitoring")]
    pub role: Role,
    /// The alerts declared with `alert(...)` on the attribute.
    #[cfg(feature = "monitoring")]
    pub alerts: &'static [Alert],
    /// The objectives declared with `slo(...)` on the attribute.
    #[cfg(feature = "monitoring")]
    pub objectives: &'static [Objective],
    /// The function's name, as its `function` label has it.
    #[cfg(feature = "monitoring")]
    pub function: &'static str,
    /// Where the attribute was written.
    pub location: Location,
    /// The call site that owns the cells, and keeps their exemplars.
    pub owner: &'static CallSite,
}

/// The storage behind a call site, which also fixes the metric kind.
#[derive(Debug, Clone, Copy)]
pub enum Storage {
    /// A monotonic counter.
    Counter(Counter),
    /// A histogram of durations.
    Histogram(Histogram),
    /// A gauge of calls in flight.
    Gauge(Gauge),
}

impl SiteMetric {
    #[cfg(feature = "monitoring")]
    /// The value of its fixed label `name`, if it has one.
    pub fn label(&self, name: &str) -> Option<&'static str> {
        self.labels
            .iter()
            .find(|(label, _)| *label == name)
            .map(|&(_, value)| value)
    }

    #[cfg(feature = "monitoring")]
    /// The names of its fixed labels, as declared.
    pub fn label_names(&self) -> Vec<&'static str> {
        self.labels.iter().map(|&(name, _)| name).collect()
    }

    #[cfg(feature = "monitoring")]
    /// Whether it keeps a native histogram (`#[timed(native)]`).
    pub fn is_native(&self) -> bool {
        matches!(self.storage, Storage::Histogram(histogram) if histogram.native.is_some())
    }

    /// How many series this call site feeds: the product of its dimensions.
    pub fn series_count(&self) -> usize {
        self.dimensions.iter().map(|d| d.cardinality).product()
    }

    /// The dimension values of series `index`, in dimension order.
    pub fn dimension_values(&self, mut index: usize) -> Vec<&'static str> {
        let mut values = vec![""; self.dimensions.len()];
        for (slot, dimension) in values.iter_mut().zip(&self.dimensions).rev() {
            *slot = (dimension.label)(index % dimension.cardinality);
            index /= dimension.cardinality;
        }
        values
    }
}
