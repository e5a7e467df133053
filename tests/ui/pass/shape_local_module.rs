// A local module named `bizmetrics` next to the annotated function.
#![deny(warnings)]
mod user_module {
    // From tracing-attributes tests/instrument.rs: user_tracing_module
    // (tracing issue #3119), with `bizmetrics` for `tracing`.
    #[::bizmetrics::timed]
    #[::bizmetrics::business_metric(action = "local_module")]
    pub fn my_fn() -> &'static str {
        bizmetrics::my_other_fn()
    }

    mod bizmetrics {
        pub fn my_other_fn() -> &'static str {
            "test"
        }
    }
}

fn main() {
    assert_eq!(user_module::my_fn(), "test");
}
