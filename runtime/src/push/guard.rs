//! [`PushGuard`]: the push at the end of a batch job, on every way out.

use super::{PushError, Pushgateway};

/// Pushes when dropped, unless [`PushGuard::push`] pushed already: so a
/// job that returns early, returns an error through `?`, or panics still
/// leaves its metrics on the gateway, outcome included.
///
/// Create it before calling the job's annotated function, not inside it:
/// the function's `#[timed]` outcome is recorded as it returns, after its
/// own locals are dropped, and the push should carry it.
///
/// Drop cannot return an error, so a push from `drop` that fails is
/// written to standard error; call [`PushGuard::push`] at the end of the
/// job to get the [`PushError`] instead.
///
/// ```
/// use std::time::Duration;
/// use bizmetrics::push::Pushgateway;
///
/// #[bizmetrics::timed]
/// fn nightly(fail: bool) -> Result<(), String> {
///     if fail { Err("no stock feed".into()) } else { Ok(()) }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
/// let gateway = Pushgateway::new(&format!("http://127.0.0.1:{port}"), "nightly")
///     .retries(0)
///     .timeout(Duration::from_secs(1));
///
/// // The job fails: the guard still pushes, on its way out of this block,
/// // and with nothing listening says so on standard error.
/// let result = {
///     let _guard = gateway.clone().guard();
///     nightly(true)
/// };
/// assert!(result.is_err());
///
/// // At the end of a job that ran, push explicitly to see the error.
/// let guard = gateway.guard();
/// nightly(false)?;
/// assert!(guard.push().is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a guard dropped at once pushes at once, not at the end of the job"]
pub struct PushGuard {
    gateway: Pushgateway,
    pushed: bool,
}

impl PushGuard {
    pub(super) fn new(gateway: Pushgateway) -> PushGuard {
        PushGuard {
            gateway,
            pushed: false,
        }
    }

    /// Pushes now, and not again when dropped.
    ///
    /// # Errors
    /// As [`Pushgateway::push`].
    pub fn push(mut self) -> Result<(), PushError> {
        self.pushed = true;
        self.gateway.push()
    }
}

impl Drop for PushGuard {
    fn drop(&mut self) {
        if self.pushed {
            return;
        }
        if let Err(error) = self.gateway.push() {
            eprintln!("bizmetrics: {error}");
        }
    }
}
