//! Registration across crates, and its one known limit.

use bizmetrics_tests::sample;

#[test]
fn call_sites_in_a_used_library_register_even_in_unnamed_modules() {
    bizmetrics_test_linked::checkout();
    assert_eq!(
        sample(r#"user_actions_total{action_type="checkout",endpoint="/linked"}"#),
        1.0
    );
    assert_eq!(
        sample(r#"user_actions_total{action_type="unnamed",endpoint="/linked"}"#),
        0.0
    );
}

/// linkme's known limit (its issues #31 and #61): a crate that nothing in
/// the binary names is not linked, so its call sites are missing. Naming
/// anything from the crate, as `checkout()` above does, links all of it.
#[test]
fn a_library_nothing_names_is_not_linked() {
    let text = bizmetrics::render();
    assert!(!text.contains(r#"action_type="unlinked""#), "{text}");
}
