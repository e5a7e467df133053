//! The names the attributes give their metrics unless told otherwise.

/// `#[business_metric]`'s counter.
pub const ACTIONS: &str = "user_actions_total";

/// `#[timed]`'s histogram.
pub const DURATION: &str = "function_duration_seconds";

/// `#[timed(errors)]`'s counter.
pub const ERRORS: &str = "application_errors_total";

/// `#[timed(in_flight)]`'s gauge.
pub const IN_FLIGHT: &str = "function_calls_in_flight";

/// `#[timed(slow = "...")]`'s counter.
pub const SLOW: &str = "slow_calls_total";
