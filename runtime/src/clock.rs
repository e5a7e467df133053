//! The clock of `#[timed]`.

use std::sync::LazyLock;

/// `quanta` reads the CPU's invariant TSC, calibrated against the OS
/// monotonic clock, within a few parts per million of it. A call reads raw
/// ticks twice and scales their difference once, which costs about a third
/// of two `Instant::now()`.
pub(crate) static CLOCK: LazyLock<quanta::Clock> = LazyLock::new(quanta::Clock::new);
