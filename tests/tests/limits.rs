//! `init()` refuses what cannot be exported well: a metric whose call sites
//! together exceed `MAX_SERIES`, and funnels whose steps do not add up.

use std::sync::LazyLock;

use bizmetrics::{business_metric, LabelValue};

/// 78 values, `v0` to `v77`: one call site with two of these labels has
/// 6084 series, under the limit, and two such call sites 12168, over it.
#[derive(Clone, Copy)]
struct Wide(u16);

impl LabelValue for Wide {
    const CARDINALITY: usize = 78;

    fn ordinal(&self) -> usize {
        usize::from(self.0)
    }

    fn label(ordinal: usize) -> &'static str {
        static LABELS: LazyLock<Vec<String>> =
            LazyLock::new(|| (0..Wide::CARDINALITY).map(|i| format!("v{i}")).collect());
        &LABELS[ordinal]
    }
}

const WIDE_A: u32 = line!() + 1;
#[business_metric(action = "a", name = "wide_total", labels(x = x, y = y))]
fn wide_a(x: Wide, y: Wide) {}

const WIDE_B: u32 = line!() + 1;
#[business_metric(action = "b", name = "wide_total", labels(x = x, y = y))]
fn wide_b(x: Wide, y: Wide) {}

#[business_metric(action = "search", funnel = "signup", step = 1)]
fn signup_search() {}

const GAP: u32 = line!() + 1;
#[business_metric(action = "confirm", funnel = "signup", step = 3)]
fn signup_confirm() {}

const FIRST: u32 = line!() + 1;
#[business_metric(action = "open", funnel = "onboarding", step = 1)]
fn onboarding_open() {}

const SECOND: u32 = line!() + 1;
#[business_metric(action = "start", funnel = "onboarding", step = 1)]
fn onboarding_start() {}

#[business_metric(action = "view", funnel = "shop", step = 1)]
fn shop_view() {}

#[business_metric(action = "view", funnel = "shop", step = 1)]
fn shop_view_again() {}

#[business_metric(action = "buy", funnel = "shop", step = 2)]
fn shop_buy() {}

#[test]
fn init_refuses_too_many_series_and_broken_funnels() {
    let error = bizmetrics::init().unwrap_err();
    let at = |line: u32| format!("{}:{line}:1", file!());
    assert_eq!(
        error.to_string(),
        [
            "bizmetrics found 3 problems in metric definitions".to_owned(),
            format!(
                "  - metric `wide_total` would have 12168 series, over the limit of 10000: x 78 × y 78 at {}; x 78 × y 78 at {}",
                at(WIDE_A),
                at(WIDE_B)
            ),
            format!(
                "  - funnel `onboarding`: step 1 is both `open` at {} and `start` at {}",
                at(FIRST),
                at(SECOND)
            ),
            format!("  - funnel `signup`: step 2 is missing before step 3 at {}", at(GAP)),
        ]
        .join("\n")
    );

    // The metric over the limit is not exported; nothing else is lost.
    let text = bizmetrics::render();
    assert!(!text.contains("wide_total{"), "{text}");
    assert!(
        text.contains(r#"user_actions_total{action_type="buy",endpoint="shop_buy"} 0"#),
        "{text}"
    );

    // A step declared twice by the same action is one step.
    let funnels = bizmetrics::funnels();
    let names: Vec<_> = funnels.iter().map(|f| f.name).collect();
    assert_eq!(names, ["shop"]);
    let actions: Vec<_> = funnels[0].steps.iter().map(|s| s.action).collect();
    assert_eq!(actions, ["view", "buy"]);

    wide_a(Wide(0), Wide(1));
    wide_b(Wide(2), Wide(3));
    signup_search();
    signup_confirm();
    onboarding_open();
    onboarding_start();
    shop_view();
    shop_view_again();
    shop_buy();
}
