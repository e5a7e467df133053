//! How a call ended: the values of the `outcome` label.

/// The way out of an annotated function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It returned, and the value was not an `Err`.
    Ok = 0,
    /// It returned an `Err`.
    Error = 1,
    /// It panicked. The panic carries on after recording.
    Panic = 2,
    /// Its future was dropped after starting and before completing.
    Cancelled = 3,
}

impl Outcome {
    /// The label values, indexed by `Outcome as usize`.
    pub const VALUES: &'static [&'static str] = &["ok", "error", "panic", "cancelled"];
}

/// Wraps a return value so that method resolution can pick its outcome.
///
/// `(&Probe(&value)).outcome()` resolves to [`ResultOutcome`] when the value
/// is a `Result` (through any type alias, such as `io::Result<T>`), and
/// otherwise falls back to [`PlainOutcome`] through one more auto-ref.
pub struct Probe<'a, T>(pub &'a T);

/// The outcome of a `Result`: `ok` or `error`.
pub trait ResultOutcome {
    /// `Ok` for `Ok(_)`, `Error` for `Err(_)`.
    fn outcome(&self) -> Outcome;
}

impl<T, E> ResultOutcome for Probe<'_, Result<T, E>> {
    #[inline]
    fn outcome(&self) -> Outcome {
        if self.0.is_ok() {
            Outcome::Ok
        } else {
            Outcome::Error
        }
    }
}

/// The outcome of any value that is not a `Result`: always `ok`.
pub trait PlainOutcome {
    /// Always `Ok`.
    fn outcome(&self) -> Outcome;
}

impl<T> PlainOutcome for &Probe<'_, T> {
    #[inline]
    fn outcome(&self) -> Outcome {
        Outcome::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type AppResult<T> = Result<T, String>;

    // The macro always writes the borrow: it is what selects the fallback.
    #[allow(clippy::needless_borrow)]
    #[test]
    fn results_through_aliases_are_classified_and_others_are_ok() {
        let err: AppResult<u8> = Err("boom".into());
        let io_ok: std::io::Result<()> = Ok(());
        assert_eq!((&Probe(&err)).outcome(), Outcome::Error);
        assert_eq!((&Probe(&io_ok)).outcome(), Outcome::Ok);
        assert_eq!((&Probe(&None::<u8>)).outcome(), Outcome::Ok);
        assert_eq!((&Probe(&"text")).outcome(), Outcome::Ok);
    }
}
