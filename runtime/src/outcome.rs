//! How a call ended: the values of the `outcome` label.

use crate::decl::Dimension;
use crate::label::LabelValue;

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
    /// The `outcome` label's value: `ok`, `error`, `panic`, `cancelled`.
    pub fn label(self) -> &'static str {
        <Outcome as LabelValue>::label(self.ordinal())
    }
}

/// The `outcome` label of every `#[timed]` histogram.
pub const OUTCOME: &[Dimension] = &[Dimension {
    name: "outcome",
    cardinality: <Outcome as LabelValue>::CARDINALITY,
    label: <Outcome as LabelValue>::label,
}];

impl LabelValue for Outcome {
    const CARDINALITY: usize = 4;

    #[inline]
    fn ordinal(&self) -> usize {
        *self as usize
    }

    fn label(ordinal: usize) -> &'static str {
        ["ok", "error", "panic", "cancelled"][ordinal]
    }
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

/// A return type that can fail: what `count = "ok"` and `errors` need.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `Result`, so this function cannot fail",
    label = "this option needs a function that returns a `Result`",
    note = "`count = \"ok\"` and `errors` tell successes from failures by `Ok` and `Err`"
)]
pub trait Fallible {
    /// The error type.
    type Error;

    /// The error, if the call failed.
    fn error(&self) -> Option<&Self::Error>;
}

impl<T, E> Fallible for Result<T, E> {
    type Error = E;

    #[inline]
    fn error(&self) -> Option<&E> {
        self.as_ref().err()
    }
}

/// Whether a fallible call succeeded.
#[inline]
pub fn succeeded<R: Fallible>(result: &R) -> bool {
    result.error().is_none()
}

/// The outcome of a fallible call.
#[inline]
pub fn fallible_outcome<R: Fallible>(result: &R) -> Outcome {
    if succeeded(result) {
        Outcome::Ok
    } else {
        Outcome::Error
    }
}

/// The ordinal of a failed call's error kind; 0 when it succeeded.
#[inline]
pub fn error_kind<K: LabelValue, R: Fallible<Error = K>>(result: &R) -> usize {
    result.error().map_or(0, LabelValue::ordinal)
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
