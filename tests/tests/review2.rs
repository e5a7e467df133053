//! Review probes: label groups and declared-once defaults.

use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};
use bizmetrics_tests::{family_lines, sample};

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
    Desktop,
    SmartTv,
}

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Paid,
}

#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    device: Option<Device>,
    #[label(rename = "is_returning")]
    returning: bool,
}

#[derive(Clone, Copy, LabelGroup)]
struct Billing {
    tier: Tier,
}

fn series_of(name: &str) -> Vec<String> {
    family_lines(&bizmetrics::render(), name)
        .into_iter()
        .filter(|l| !l.starts_with('#'))
        .collect()
}

// 1. Group + single labels on both fused attributes, two groups at once.
#[business_metric(action = "r2_fused", name = "r2_fused_total", labels(profile, billing, region = region))]
#[timed(name = "r2_fused_seconds", labels(billing, profile), buckets = [1.0])]
fn fused(profile: Profile, billing: Billing, region: Tier) -> Result<(), String> {
    let _ = (profile, billing, region);
    Ok(())
}

#[test]
fn fused_group_and_single_labels_count_exactly_once() {
    let p = Profile {
        device: Some(Device::SmartTv),
        returning: true,
    };
    let b = Billing { tier: Tier::Paid };
    fused(p, b, Tier::Free).unwrap();
    fused(p, b, Tier::Free).unwrap();
    fused(
        Profile {
            device: None,
            returning: false,
        },
        Billing { tier: Tier::Free },
        Tier::Paid,
    )
    .unwrap();
    // Counter: 4 * 2 (profile) * 2 (billing) * 2 (region) = 32 series.
    let counter = series_of("r2_fused_total");
    assert_eq!(counter.len(), 32, "{counter:#?}");
    assert_eq!(
        sample(
            r#"r2_fused_total{action_type="r2_fused",device="smart_tv",endpoint="fused",is_returning="true",region="free",tier="paid"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"r2_fused_total{action_type="r2_fused",device="none",endpoint="fused",is_returning="false",region="paid",tier="free"}"#
        ),
        1.0
    );
    let total: f64 = counter
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 3.0);
    assert_eq!(
        sample(
            r#"r2_fused_seconds_count{device="smart_tv",function="fused",is_returning="true",module="review2",outcome="ok",tier="paid"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"r2_fused_seconds_count{device="none",function="fused",is_returning="false",module="review2",outcome="ok",tier="free"}"#
        ),
        1.0
    );
}

// 2. Group on an impl block, the group through `axum::Json` and `State`.
struct Shop;

#[business_metric(name = "r2_impl_total", labels(profile))]
impl Shop {
    fn browse(&self, axum::Json(profile): axum::Json<Profile>) {
        let _ = profile;
    }
    fn state(&self, axum::extract::State(profile): axum::extract::State<Profile>) {
        let _ = profile;
    }
}

#[test]
fn group_on_an_impl_block_through_extractors() {
    let p = Profile {
        device: Some(Device::Desktop),
        returning: false,
    };
    Shop.browse(axum::Json(p));
    Shop.state(axum::extract::State(p));
    Shop.state(axum::extract::State(p));
    assert_eq!(
        sample(
            r#"r2_impl_total{action_type="browse",device="desktop",endpoint="Shop::browse",is_returning="false"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"r2_impl_total{action_type="state",device="desktop",endpoint="Shop::state",is_returning="false"}"#
        ),
        2.0
    );
}

// 3. A group field named like the other attribute's own labels.
#[derive(Clone, Copy, LabelGroup)]
struct Odd {
    function: bool,
    #[label(rename = "endpoint_kind")]
    endpoint: bool,
}

#[business_metric(action = "r2_odd", name = "r2_odd_total", labels(odd))]
fn odd(odd: Odd) {
    let _ = odd;
}

#[test]
fn a_field_named_function_is_fine_on_a_counter() {
    odd(Odd {
        function: true,
        endpoint: false,
    });
    assert_eq!(
        sample(
            r#"r2_odd_total{action_type="r2_odd",endpoint="odd",endpoint_kind="false",function="true"}"#
        ),
        1.0
    );
}

// 4. Defaults through a path, from another module, with labels overriding by key.
mod metrics {
    bizmetrics::defaults! {
        /// Queries.
        pub(crate) query = timed(name = "r2_query_seconds", labels(kind2 = "read"), buckets = [1.0]);
        /// Actions.
        pub(crate) act = business_metric(name = "r2_act_total", labels(profile, source = "web"));
    }
}

#[timed(defaults = crate::metrics::query)]
fn by_path() {}

#[timed(defaults = metrics::query, labels(kind2 = "write"))]
fn by_path_overridden() {}

#[business_metric(defaults = metrics::act, action = "r2_act")]
#[timed(defaults = metrics::query)]
fn both(profile: Profile) {
    let _ = profile;
}

#[timed(defaults = metrics::query)]
#[business_metric(defaults = metrics::act, action = "r2_act2")]
fn both_reversed(profile: Profile) {
    let _ = profile;
}

#[test]
fn defaults_by_path_and_overridden_by_key() {
    by_path();
    by_path_overridden();
    let p = Profile {
        device: Some(Device::Mobile),
        returning: true,
    };
    both(p);
    both_reversed(p);
    both_reversed(p);
    assert_eq!(
        sample(
            r#"r2_query_seconds_count{function="by_path",kind2="read",module="review2",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"r2_query_seconds_count{function="by_path_overridden",kind2="write",module="review2",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"r2_act_total{action_type="r2_act",device="mobile",endpoint="both",is_returning="true",source="web"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"r2_act_total{action_type="r2_act2",device="mobile",endpoint="both_reversed",is_returning="true",source="web"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            r#"r2_query_seconds_count{function="both",kind2="read",module="review2",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            r#"r2_query_seconds_count{function="both_reversed",kind2="read",module="review2",outcome="ok"}"#
        ),
        2.0
    );
}

// 5. A set's label from a local name: the function's parameter.
bizmetrics::defaults! {
    by_tier = business_metric(name = "r2_tier_total", labels(tier = tier));
}

#[business_metric(defaults = by_tier, action = "r2_tier")]
fn tiered(tier: Tier) {
    let _ = tier;
}

#[test]
fn a_sets_label_expression_names_the_functions_parameter() {
    tiered(Tier::Paid);
    assert_eq!(
        sample(r#"r2_tier_total{action_type="r2_tier",endpoint="tiered",tier="paid"}"#),
        1.0
    );
}

// 6. Lint-clean expansion of sets and groups under clippy's pedantic group.
#[deny(warnings, clippy::pedantic, missing_docs)]
mod linted {
    use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};

    /// Plans.
    #[derive(Clone, Copy, LabelValue)]
    pub enum Plan {
        /// Free.
        Free,
        /// Pro.
        Pro,
    }

    /// A group.
    #[derive(Clone, Copy, LabelGroup)]
    pub struct Who {
        /// The plan.
        pub plan: Option<Plan>,
        /// Returning.
        #[label(rename = "returning_user")]
        pub returning: bool,
    }

    bizmetrics::defaults! {
        /// Actions.
        pub(crate) act = business_metric(name = "r2_lint_total", labels(who));
        /// Calls.
        pub(crate) call = timed(name = "r2_lint_seconds", errors, labels(who: Who));
    }

    /// Documented.
    ///
    /// # Errors
    /// Never.
    #[business_metric(defaults = act, action = "lint")]
    #[timed(defaults = call)]
    pub fn run(who: Who) -> Result<u32, String> {
        let _ = who;
        Ok(1)
    }

    /// Documented.
    ///
    /// # Errors
    /// Never.
    pub async fn run_async(who: Who) -> Result<u32, String> {
        inner(who).await
    }

    #[timed(defaults = call)]
    #[business_metric(defaults = act, action = "lint_async")]
    async fn inner(who: Who) -> Result<u32, String> {
        let _ = who;
        tokio::task::yield_now().await;
        Ok(2)
    }

    #[test]
    fn linted_runs() {
        let who = Who {
            plan: Some(Plan::Pro),
            returning: false,
        };
        assert_eq!(run(who), Ok(1));
        let _ = Plan::Free;
        let _ = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(run_async(who));
    }
}
