//! Funnels: business actions declared as ordered steps, such as
//! search → view item → add to cart → purchase.

use std::collections::BTreeMap;

use crate::catalog::site_metric::SiteMetric;
use crate::decl::Location;
use crate::error::Problem;

/// A funnel collected from `#[business_metric(funnel = "...", step = n)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    /// The funnel's name.
    pub name: &'static str,
    /// Its steps, in order from step 1.
    pub steps: Vec<Step>,
}

/// One step of a [`Funnel`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The step's number, from 1.
    pub number: u32,
    /// The `action_type` label value that counts this step.
    pub action: &'static str,
    /// The counter that counts it, usually `user_actions_total`.
    pub metric: &'static str,
    /// The labels chosen per call (bounded), by which conversion can be
    /// broken down, such as `device`.
    pub dimensions: Vec<&'static str>,
    /// Where the step was declared.
    pub location: Location,
}

/// Groups funnel steps by funnel and checks that each funnel's steps run
/// 1..n, once each; a step may be declared by several call sites of the
/// same action.
pub(crate) fn collect<'a>(
    sites: impl IntoIterator<Item = &'a SiteMetric>,
) -> (Vec<Funnel>, Vec<Problem>) {
    let mut by_name: BTreeMap<&str, BTreeMap<u32, Vec<Step>>> = BTreeMap::new();
    for site in sites {
        let Some(funnel) = site.funnel else { continue };
        by_name
            .entry(funnel.funnel)
            .or_default()
            .entry(funnel.step)
            .or_default()
            .push(Step {
                number: funnel.step,
                action: funnel.action,
                metric: site.name,
                dimensions: site.dimensions.iter().map(|d| d.name).collect(),
                location: site.location,
            });
    }

    let mut funnels = Vec::new();
    let mut problems = Vec::new();
    for (name, steps) in by_name {
        let mut broken = Vec::new();
        for (expected, (&number, declared)) in (1..).zip(&steps) {
            if number != expected {
                let at = declared[0].location;
                broken.push(format!(
                    "step {expected} is missing before step {number} at {at}"
                ));
                break;
            }
        }
        for declared in steps.values() {
            let mut sorted = declared.clone();
            sorted.sort_by_key(|step| step.location);
            if let Some(other) = sorted.iter().find(|s| s.action != sorted[0].action) {
                broken.push(format!(
                    "step {} is both `{}` at {} and `{}` at {}",
                    sorted[0].number,
                    sorted[0].action,
                    sorted[0].location,
                    other.action,
                    other.location
                ));
            }
        }
        if broken.is_empty() {
            let steps = steps
                .into_values()
                .map(|mut declared| {
                    declared.sort_by_key(|step| step.location);
                    declared.swap_remove(0)
                })
                .collect();
            funnels.push(Funnel { name, steps });
        } else {
            problems.extend(broken.into_iter().map(|reason| Problem::Funnel {
                funnel: name,
                reason,
            }));
        }
    }
    (funnels, problems)
}
