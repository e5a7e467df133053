//! The bounds of a service level objective's window, `slo(window = "...")`.

const DAY_MS: u64 = 86_400_000;

/// `window` when not given, in milliseconds: 30 days, the window the SRE
/// workbook's burn-rate factors (14.4, 6, 3, 1) are stated for.
pub const DEFAULT_WINDOW_MS: u64 = 30 * DAY_MS;

/// The shortest `window`, in milliseconds: the ticket alert looks back 3
/// days, which must be a small part of the period the budget covers.
pub const SHORTEST_WINDOW_MS: u64 = 7 * DAY_MS;
