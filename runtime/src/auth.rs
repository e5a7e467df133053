//! Who may read `/metrics`: an optional bearer token or basic-auth check.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The credential a scraper must present to read `/metrics`.
///
/// A request without it, or with a wrong one, gets `401` and never the
/// metrics. The matching `prometheus.yml` scrape config:
///
/// ```yaml
/// scrape_configs:
///   - job_name: webapp
///     authorization:            # for Auth::Bearer
///       credentials_file: /etc/prometheus/metrics-token
///     # basic_auth:             # for Auth::Basic
///     #   username: prometheus
///     #   password_file: /etc/prometheus/metrics-password
///     static_configs:
///       - targets: ["127.0.0.1:9464"]
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic <base64 of username:password>`.
    Basic {
        /// The username.
        username: String,
        /// The password.
        password: String,
    },
}

impl std::fmt::Debug for Auth {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Bearer(_) => f.write_str("Auth::Bearer(..)"),
            Auth::Basic { username, .. } => {
                write!(f, "Auth::Basic {{ username: {username:?}, .. }}")
            }
        }
    }
}

/// An [`Auth`] turned, once, into what each request is checked against.
#[derive(Clone)]
pub(crate) struct Check {
    /// The scheme, lowercase.
    scheme: &'static str,
    /// The credentials part of the `Authorization` header we expect.
    credentials: std::sync::Arc<str>,
    /// The `WWW-Authenticate` answer to a refused request.
    challenge: &'static str,
}

impl From<Auth> for Check {
    fn from(auth: Auth) -> Self {
        let (scheme, credentials, challenge) = match auth {
            Auth::Bearer(token) => ("bearer", token, "Bearer realm=\"metrics\""),
            Auth::Basic { username, password } => (
                "basic",
                base64(format!("{username}:{password}").as_bytes()),
                "Basic realm=\"metrics\"",
            ),
        };
        Check {
            scheme,
            credentials: credentials.into(),
            challenge,
        }
    }
}

impl Check {
    /// Whether `header` carries the credential. The scheme is
    /// case-insensitive, as RFC 9110 says; the credential is compared in
    /// constant time.
    fn admits(&self, header: Option<&HeaderValue>) -> bool {
        let Some(value) = header.and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some((scheme, credentials)) = value.split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case(self.scheme)
            && constant_time_eq(credentials.trim().as_bytes(), self.credentials.as_bytes())
    }

    /// The middleware [`crate::axum::router_with_auth`] puts in front of
    /// `/metrics`.
    pub(crate) async fn require(self, request: Request, next: Next) -> Response {
        if self.admits(request.headers().get(header::AUTHORIZATION)) {
            next.run(request).await
        } else {
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, self.challenge)],
            )
                .into_response()
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Standard base64 with padding, for the expected basic-auth header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from_be_bytes([0, group[0], group[1], group[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, output) in cases {
            assert_eq!(base64(input.as_bytes()), output);
        }
    }

    #[test]
    fn only_the_exact_credential_is_admitted() {
        let bearer = Check::from(Auth::Bearer("s3cret".into()));
        let header = |v: &'static str| HeaderValue::from_static(v);
        assert!(bearer.admits(Some(&header("Bearer s3cret"))));
        assert!(bearer.admits(Some(&header("bearer s3cret"))));
        assert!(!bearer.admits(Some(&header("Bearer s3cre"))));
        assert!(!bearer.admits(Some(&header("Bearer s3cret2"))));
        assert!(!bearer.admits(Some(&header("Basic s3cret"))));
        assert!(!bearer.admits(Some(&header("s3cret"))));
        assert!(!bearer.admits(None));
        let basic = Check::from(Auth::Basic {
            username: "prometheus".into(),
            password: "pw".into(),
        });
        assert!(basic.admits(Some(&header("Basic cHJvbWV0aGV1czpwdw=="))));
        assert!(!basic.admits(Some(&header("Basic cHJvbWV0aGV1czpwdx=="))));
        assert_eq!(
            format!("{:?}", Auth::Bearer("s3cret".into())),
            "Auth::Bearer(..)"
        );
    }
}
