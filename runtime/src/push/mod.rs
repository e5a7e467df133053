//! Pushing the exposition to a Prometheus Pushgateway, for batch jobs that
//! exit before any scrape could read them (feature `push`).
//!
//! A service is scraped: it must not push. A batch job, such as a nightly
//! cron job or a migration, may end before Prometheus ever looks, so it
//! pushes what [`render_as`] would serve on `/metrics`
//! to the gateway when it ends, and Prometheus scrapes the gateway.
//!
//! [`Pushgateway`] says where and how; [`Pushgateway::push`] sends once;
//! [`Pushgateway::guard`] sends when the guard is dropped, so that a job
//! that returns early, fails or panics still reports how it ended.
//!
//! ```
//! use std::time::Duration;
//! use bizmetrics::push::{PushError, Pushgateway};
//!
//! #[bizmetrics::business_metric(action = "restock")]
//! #[bizmetrics::timed]
//! fn restock() -> Result<u32, String> { Ok(3) }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A port nothing listens on, standing in for a gateway that is down.
//! let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
//! let gateway = Pushgateway::new(&format!("http://127.0.0.1:{port}"), "restock")
//!     .grouping("shard", "eu/1")
//!     .timeout(Duration::from_secs(2));
//! let group = format!("http://127.0.0.1:{port}/metrics/job/restock/shard@base64/ZXUvMQ==");
//! assert_eq!(gateway.url()?, group);
//!
//! // Outside the job's function, so that its outcome is recorded first.
//! let guard = gateway.guard();
//! restock()?;
//! let error = guard.push().unwrap_err();
//! assert!(matches!(error, PushError::Unreachable { attempts: 3, .. }));
//! assert!(error.to_string().starts_with(&format!("cannot reach the Pushgateway at {group} (3 tries): ")));
//! # Ok(())
//! # }
//! ```
//!
//! The HTTP client is blocking (ureq), so a push works with or without an
//! async runtime, and from `Drop` while a panic unwinds.

mod error;
mod group;
mod guard;

use std::io::Read as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::exposition::Format;
use crate::render::render_as;

pub use error::PushError;
pub use guard::PushGuard;

/// Where a batch job pushes its metrics, and how: a builder, checked when
/// it pushes (or by [`Pushgateway::url`]).
///
/// | setting | default |
/// |---|---|
/// | grouping labels besides `job` | none |
/// | [`basic_auth`](Pushgateway::basic_auth) or [`bearer_token`](Pushgateway::bearer_token) | none |
/// | [`timeout`](Pushgateway::timeout), for the whole push, retries included | 10 s |
/// | [`retries`](Pushgateway::retries) after a failed connection or a 5xx | 2 |
/// | [`method`](Pushgateway::method) | [`PushMethod::Put`], replacing the group |
///
/// ```
/// use std::time::Duration;
/// use bizmetrics::push::{PushMethod, Pushgateway};
///
/// let gateway = Pushgateway::new("http://pushgateway:9091", "nightly_restock")
///     .grouping("instance", "db-1")
///     .bearer_token("/run/secrets/pushgateway_token")
///     .timeout(Duration::from_secs(5))
///     .retries(1)
///     .method(PushMethod::Post);
/// assert_eq!(
///     gateway.url().unwrap(),
///     "http://pushgateway:9091/metrics/job/nightly_restock/instance/db-1",
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Pushgateway {
    gateway: String,
    job: String,
    grouping: Vec<(String, String)>,
    auth: Option<Auth>,
    timeout: Duration,
    retries: u32,
    method: PushMethod,
}

/// How a push treats what the group already holds on the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PushMethod {
    /// HTTP `PUT`: the push replaces every metric of the group, so a
    /// series that this run did not write is gone. What a job that pushes
    /// once, at its end, wants.
    #[default]
    Put,
    /// HTTP `POST`: the push replaces only the metric families it holds,
    /// and leaves the group's other families as they were.
    Post,
}

/// A sign-in whose secret stays in a file, read at every push so that a
/// rotated secret needs no restart.
#[derive(Debug, Clone)]
enum Auth {
    Basic {
        username: String,
        password_file: PathBuf,
    },
    Bearer {
        token_file: PathBuf,
    },
}

/// The wait before the first retry; each next one waits twice as long.
const BACKOFF: Duration = Duration::from_millis(500);

impl Pushgateway {
    /// Pushes to the gateway at `url`, such as `http://pushgateway:9091`,
    /// into the group of job `job`.
    pub fn new(url: &str, job: &str) -> Pushgateway {
        Pushgateway {
            gateway: url.to_owned(),
            job: job.to_owned(),
            grouping: Vec::new(),
            auth: None,
            timeout: Duration::from_secs(10),
            retries: 2,
            method: PushMethod::Put,
        }
    }

    /// Adds a grouping label: the group is the job and every such label,
    /// and every pushed series carries them. A value with a `/`, or an
    /// empty one, goes into the URL in the gateway's `@base64` form.
    #[must_use]
    pub fn grouping(mut self, name: &str, value: &str) -> Pushgateway {
        self.grouping.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Signs in with HTTP basic auth, the password read from
    /// `password_file` at every push (surrounding whitespace trimmed,
    /// as Prometheus does). Replaces a [`Pushgateway::bearer_token`].
    #[must_use]
    pub fn basic_auth(mut self, username: &str, password_file: impl Into<PathBuf>) -> Pushgateway {
        self.auth = Some(Auth::Basic {
            username: username.to_owned(),
            password_file: password_file.into(),
        });
        self
    }

    /// Signs in with a bearer token read from `token_file` at every push.
    /// Replaces a [`Pushgateway::basic_auth`].
    #[must_use]
    pub fn bearer_token(mut self, token_file: impl Into<PathBuf>) -> Pushgateway {
        self.auth = Some(Auth::Bearer {
            token_file: token_file.into(),
        });
        self
    }

    /// The longest a push may take, every retry included. Default 10 s.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Pushgateway {
        self.timeout = timeout;
        self
    }

    /// How many times to try again after a connection failure or a 5xx
    /// answer, waiting 0.5 s, then 1 s, and so on, while the timeout
    /// allows. Default 2, so at most 3 tries. A 4xx is never retried.
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Pushgateway {
        self.retries = retries;
        self
    }

    /// `PUT` or `POST`. Default [`PushMethod::Put`].
    #[must_use]
    pub fn method(mut self, method: PushMethod) -> Pushgateway {
        self.method = method;
        self
    }

    /// The group's URL, `<url>/metrics/job/<job>{/<label>/<value>}`.
    ///
    /// # Errors
    /// When the URL is not an absolute `http` URL (or `https`, with the
    /// `push-tls` feature), or the job or a grouping label cannot form a
    /// group: see [`PushError::InvalidUrl`] and [`PushError::InvalidLabel`].
    pub fn url(&self) -> Result<String, PushError> {
        group::url(&self.gateway, &self.job, &self.grouping).map(String::from)
    }

    /// Sends every metric [`render_as`] writes, in the
    /// Prometheus text format, to the group.
    ///
    /// It returns within [`Pushgateway::timeout`], and never panics.
    ///
    /// # Errors
    /// A [`PushError`] naming the URL and what went wrong: the gateway is
    /// unreachable or timed out after the retries, answered other than
    /// 2xx, or a credentials file is unreadable.
    pub fn push(&self) -> Result<(), PushError> {
        let body = render_as(Format::Text);
        let method = match self.method {
            PushMethod::Put => Request::Put(&body),
            PushMethod::Post => Request::Post(&body),
        };
        self.send(method)
    }

    /// Deletes the group from the gateway, which otherwise keeps it
    /// forever: for a job that is retired, or a grouping label value that
    /// will not come back.
    ///
    /// # Errors
    /// As [`Pushgateway::push`].
    pub fn delete(&self) -> Result<(), PushError> {
        self.send(Request::Delete)
    }

    /// A guard that pushes when dropped, unless [`PushGuard::push`] was
    /// called: on an early return, a `?`, or a panic.
    pub fn guard(self) -> PushGuard {
        PushGuard::new(self)
    }

    fn send(&self, request: Request<'_>) -> Result<(), PushError> {
        let url = self.url()?;
        let authorization = self.authorization()?;
        let deadline = Instant::now() + self.timeout;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // A redirect is answered as the error it is here, not followed
            // with the body.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build()
            .into();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let left = deadline.saturating_duration_since(Instant::now());
            let error = match attempt(&agent, &url, request, authorization.as_deref(), left) {
                Ok(()) => return Ok(()),
                Err(Failure::Status(status, body)) => PushError::Refused {
                    url: url.clone(),
                    status,
                    body,
                },
                Err(Failure::Transport(reason)) => PushError::Unreachable {
                    url: url.clone(),
                    attempts,
                    reason,
                },
                Err(Failure::Timeout) => {
                    return Err(PushError::TimedOut {
                        url,
                        timeout: self.timeout,
                    })
                }
            };
            let retryable = match &error {
                PushError::Refused { status, .. } => *status >= 500,
                _ => true,
            };
            let wait = BACKOFF.saturating_mul(1 << (attempts - 1).min(16));
            if !retryable || attempts > self.retries || Instant::now() + wait >= deadline {
                return Err(error);
            }
            std::thread::sleep(wait);
        }
    }

    /// The `Authorization` header, read from its file now.
    fn authorization(&self) -> Result<Option<String>, PushError> {
        let read = |path: &PathBuf| {
            let text = std::fs::read_to_string(path).map_err(|e| PushError::Credentials {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let secret = text.trim();
            if secret.is_empty() {
                return Err(PushError::Credentials {
                    path: path.clone(),
                    reason: "the file is empty".to_owned(),
                });
            }
            Ok(secret.to_owned())
        };
        Ok(match &self.auth {
            None => None,
            Some(Auth::Basic {
                username,
                password_file,
            }) => {
                let password = read(password_file)?;
                Some(format!(
                    "Basic {}",
                    STANDARD.encode(format!("{username}:{password}"))
                ))
            }
            Some(Auth::Bearer { token_file }) => Some(format!("Bearer {}", read(token_file)?)),
        })
    }
}

/// The three requests the gateway takes on a group.
#[derive(Clone, Copy)]
enum Request<'a> {
    Put(&'a [u8]),
    Post(&'a [u8]),
    Delete,
}

/// Why one try failed.
enum Failure {
    Status(u16, String),
    Transport(String),
    Timeout,
}

/// One HTTP request, bounded by `left`.
fn attempt(
    agent: &ureq::Agent,
    url: &str,
    request: Request<'_>,
    authorization: Option<&str>,
    left: Duration,
) -> Result<(), Failure> {
    if left.is_zero() {
        return Err(Failure::Timeout);
    }
    let with_body = |builder: ureq::RequestBuilder<ureq::typestate::WithBody>, body: &[u8]| {
        let builder = match authorization {
            Some(value) => builder.header("Authorization", value),
            None => builder,
        };
        builder
            .header("Content-Type", crate::CONTENT_TYPE)
            .config()
            .timeout_global(Some(left))
            .build()
            .send(body)
    };
    let result = match request {
        Request::Put(body) => with_body(agent.put(url), body),
        Request::Post(body) => with_body(agent.post(url), body),
        Request::Delete => {
            let mut builder = agent.delete(url);
            if let Some(value) = authorization {
                builder = builder.header("Authorization", value);
            }
            builder.config().timeout_global(Some(left)).build().call()
        }
    };
    let response = result.map_err(|error| match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::Io(io) => Failure::Transport(io.to_string()),
        other => Failure::Transport(other.to_string()),
    })?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        return Ok(());
    }
    let mut body = Vec::new();
    // The reason is in the first few hundred bytes; a read error leaves
    // the status alone to tell.
    let _ = response
        .into_body()
        .into_reader()
        .take(4 * error::BODY_EXCERPT as u64)
        .read_to_end(&mut body);
    Err(Failure::Status(status, error::excerpt(&body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the temporary folder, unique to this test run.
    fn secret(name: &str, content: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("bizmetrics-push-{name}-{}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        path
    }

    #[test]
    fn credentials_are_read_from_their_files_and_trimmed() {
        let token = secret("token", "  s3cr3t-token\n");
        let password = secret("password", "secret\n");
        let gateway = Pushgateway::new("http://gw:9091", "j");
        assert_eq!(gateway.authorization().unwrap(), None);
        let bearer = gateway.clone().bearer_token(&token).authorization();
        assert_eq!(bearer.unwrap().as_deref(), Some("Bearer s3cr3t-token"));
        // RFC 7617: base64 of `pusher:secret`.
        let basic = gateway
            .clone()
            .basic_auth("pusher", &password)
            .authorization();
        assert_eq!(
            basic.unwrap().as_deref(),
            Some("Basic cHVzaGVyOnNlY3JldA==")
        );

        std::fs::write(&token, "\n").unwrap();
        let empty = gateway.bearer_token(&token).authorization().unwrap_err();
        assert!(empty.to_string().ends_with("the file is empty"), "{empty}");
        std::fs::remove_file(&token).unwrap();
        std::fs::remove_file(&password).unwrap();
    }
}
