//! The errors `bizmetrics::init()` reports.

use std::fmt;

use crate::decl::Location;

/// Why [`crate::init`] could not export every declared metric.
///
/// Every problem found is listed at once. The families that are consistent
/// are still exported, so nothing that was declared correctly is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    problems: Vec<Problem>,
}

/// One reason a metric family could not be exported as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Two call sites declare the same metric name differently.
    Conflict {
        /// The metric name both sites use.
        metric: &'static str,
        /// What differs: `kind`, `help`, `label names` or `buckets`.
        what: &'static str,
        /// The site whose definition the family keeps, and its value.
        kept: (Location, String),
        /// The site that disagrees, and its value. It is not exported.
        conflicting: (Location, String),
    },
    /// A metric would have more series than [`crate::MAX_SERIES`].
    TooManySeries {
        /// The metric name.
        metric: &'static str,
        /// How many series its call sites would export together.
        series: usize,
        /// Each call site's share, like `device 3 × region 4 at src/a.rs:1:1`.
        sites: Vec<String>,
    },
    /// A funnel's steps do not run 1, 2, ... n with one action each.
    Funnel {
        /// The funnel's name.
        funnel: &'static str,
        /// What is wrong, with source locations.
        reason: String,
    },
    /// Call sites give one alert name different settings.
    Alert {
        /// The alert's name.
        alert: String,
        /// What differs, with source locations.
        reason: String,
    },
    /// The prometheus registry refused the family, usually because a
    /// metric of the same name was registered there by hand.
    Registry {
        /// The metric name.
        metric: &'static str,
        /// Where the family was first declared.
        at: Location,
        /// What the registry said.
        reason: String,
    },
}

impl Error {
    pub(crate) fn new(problems: Vec<Problem>) -> Option<Self> {
        (!problems.is_empty()).then_some(Error { problems })
    }

    /// Every problem found, in metric name order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Conflict {
                metric,
                what,
                kept,
                conflicting,
            } => write!(
                f,
                "metric `{metric}` has conflicting {what}: {} at {} but {} at {}",
                kept.1, kept.0, conflicting.1, conflicting.0
            ),
            Problem::TooManySeries {
                metric,
                series,
                sites,
            } => write!(
                f,
                "metric `{metric}` would have {series} series, over the limit of {}: {}",
                crate::decl::MAX_SERIES,
                sites.join("; ")
            ),
            Problem::Funnel { funnel, reason } => write!(f, "funnel `{funnel}`: {reason}"),
            Problem::Alert { alert, reason } => write!(f, "alert `{alert}`: {reason}"),
            Problem::Registry { metric, at, reason } => write!(
                f,
                "metric `{metric}` declared at {at} could not be registered: {reason}"
            ),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let plural = if count == 1 { "" } else { "s" };
        write!(
            f,
            "bizmetrics found {count} problem{plural} in metric definitions"
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
