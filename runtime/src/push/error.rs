//! Why a push to the Pushgateway failed: [`PushError`].

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Why [`Pushgateway::push`](super::Pushgateway::push) or
/// [`Pushgateway::delete`](super::Pushgateway::delete) did not reach its
/// end. Each variant names what to look at: the URL, the status and the
/// gateway's own words, or the file.
///
/// ```
/// use bizmetrics::push::{PushError, Pushgateway};
///
/// let error = Pushgateway::new("http://127.0.0.1:9091", "restock")
///     .grouping("job", "other")
///     .url()
///     .unwrap_err();
/// assert!(matches!(error, PushError::InvalidLabel { .. }));
/// assert_eq!(
///     error.to_string(),
///     "`job` cannot be a grouping label: the job is given to `Pushgateway::new`",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushError {
    /// The gateway answered, with a status other than 2xx. A 5xx is
    /// retried first; a 4xx is not, since the same push would be refused
    /// again.
    Refused {
        /// The group's URL.
        url: String,
        /// The HTTP status, such as 400 or 401.
        status: u16,
        /// The start of the answer's body, where the gateway says why.
        body: String,
    },
    /// No answer: the connection was refused or reset, or the host is
    /// unknown, on every attempt.
    Unreachable {
        /// The group's URL.
        url: String,
        /// How many times it was tried.
        attempts: u32,
        /// The last attempt's error.
        reason: String,
    },
    /// No complete answer within the timeout, retries included.
    TimedOut {
        /// The group's URL.
        url: String,
        /// The timeout that passed.
        timeout: Duration,
    },
    /// A password or token file could not be read.
    Credentials {
        /// The file.
        path: PathBuf,
        /// The I/O error, or why its content is unusable.
        reason: String,
    },
    /// The gateway's URL cannot be pushed to.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The job or a grouping label cannot go into the group's URL.
    InvalidLabel {
        /// The label's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The most of the gateway's answer an error quotes.
pub(super) const BODY_EXCERPT: usize = 300;

impl fmt::Display for PushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PushError::Refused { url, status, body } if body.is_empty() => {
                write!(f, "the Pushgateway at {url} answered {status}")
            }
            PushError::Refused { url, status, body } => {
                write!(f, "the Pushgateway at {url} answered {status}: {body}")
            }
            PushError::Unreachable {
                url,
                attempts,
                reason,
            } => {
                let tries = if *attempts == 1 { "try" } else { "tries" };
                write!(
                    f,
                    "cannot reach the Pushgateway at {url} ({attempts} {tries}): {reason}"
                )
            }
            PushError::TimedOut { url, timeout } => write!(
                f,
                "no answer from the Pushgateway at {url} within {} ms",
                timeout.as_millis()
            ),
            PushError::Credentials { path, reason } => {
                write!(
                    f,
                    "cannot read credentials from {}: {reason}",
                    path.display()
                )
            }
            PushError::InvalidUrl { url, reason } => {
                write!(f, "`{url}` is not a Pushgateway URL: {reason}")
            }
            PushError::InvalidLabel { name, reason } => {
                write!(f, "`{name}` cannot be a grouping label: {reason}")
            }
        }
    }
}

impl std::error::Error for PushError {}

/// The start of `body`, on one line, at most [`BODY_EXCERPT`] characters.
pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(BODY_EXCERPT) {
        Some((end, _)) => format!("{}...", &line[..end]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_line_and_bounded() {
        assert_eq!(excerpt(b"bad\n  push\n"), "bad push");
        let long = "x".repeat(BODY_EXCERPT + 10);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.len(), BODY_EXCERPT + 3);
        assert!(cut.ends_with("..."));
    }

    #[test]
    fn a_refusal_names_url_status_and_reason() {
        let error = PushError::Refused {
            url: "http://gw:9091/metrics/job/a".to_owned(),
            status: 400,
            body: "inconsistent".to_owned(),
        };
        assert_eq!(
            error.to_string(),
            "the Pushgateway at http://gw:9091/metrics/job/a answered 400: inconsistent"
        );
    }
}
