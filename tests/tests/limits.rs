//! `init()` refuses what cannot be exported well: a metric whose call sites
//! together exceed `MAX_SERIES`, and funnels whose steps do not add up.

use bizmetrics::{business_metric, LabelValue};

/// 78 values: one call site with two of these labels has 6084 series.
#[allow(dead_code)]
#[derive(Clone, Copy, LabelValue)]
enum Wide {
    V0,
    V1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
    V10,
    V11,
    V12,
    V13,
    V14,
    V15,
    V16,
    V17,
    V18,
    V19,
    V20,
    V21,
    V22,
    V23,
    V24,
    V25,
    V26,
    V27,
    V28,
    V29,
    V30,
    V31,
    V32,
    V33,
    V34,
    V35,
    V36,
    V37,
    V38,
    V39,
    V40,
    V41,
    V42,
    V43,
    V44,
    V45,
    V46,
    V47,
    V48,
    V49,
    V50,
    V51,
    V52,
    V53,
    V54,
    V55,
    V56,
    V57,
    V58,
    V59,
    V60,
    V61,
    V62,
    V63,
    V64,
    V65,
    V66,
    V67,
    V68,
    V69,
    V70,
    V71,
    V72,
    V73,
    V74,
    V75,
    V76,
    V77,
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

    wide_a(Wide::V0, Wide::V1);
    wide_b(Wide::V2, Wide::V3);
    signup_search();
    signup_confirm();
    onboarding_open();
    onboarding_start();
    shop_view();
    shop_view_again();
    shop_buy();
}
