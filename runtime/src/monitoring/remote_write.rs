//! Where Prometheus forwards its samples with `remote_write`, and how it
//! signs in there: the settings of [`super::Stack::remote_write`] and
//! [`super::Stack::agent`].

use std::fmt;

/// One `remote_write` destination: Thanos Receive, Mimir, Cortex, or a
/// Prometheus run with `--web.enable-remote-write-receiver`.
///
/// ```
/// use bizmetrics::monitoring::{RemoteWrite, RemoteWriteAuth};
///
/// let mimir = RemoteWrite::new("https://mimir.example.com/api/v1/push")
///     .unwrap()
///     .auth(RemoteWriteAuth::Basic {
///         username: "tenant-1".to_owned(),
///         password_file: "/run/secrets/mimir_password".to_owned(),
///     });
/// assert_eq!(mimir.url(), "https://mimir.example.com/api/v1/push");
///
/// let error = RemoteWrite::new("mimir:9009/api/v1/push").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "`mimir:9009/api/v1/push` is not a remote_write URL: \
///      the scheme is `mimir`, not http or https",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteWrite {
    url: String,
    auth: Option<RemoteWriteAuth>,
}

/// How Prometheus signs in to a destination. Prometheus takes at most one
/// kind per destination, so this is one value, not two settings.
///
/// The secret itself stays in a file that Prometheus reads at every
/// request: it never lands in the generated YAML, and rotating it needs no
/// reload. A relative path is relative to the folder of `prometheus.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteWriteAuth {
    /// HTTP basic auth: `basic_auth: {username, password_file}`.
    Basic {
        /// The user name, written into the config as is.
        username: String,
        /// The file holding the password.
        password_file: String,
    },
    /// A bearer token: `authorization: {type: Bearer, credentials_file}`.
    Bearer {
        /// The file holding the token.
        credentials_file: String,
    },
}

/// Why a text cannot be a `remote_write` URL, from [`RemoteWrite::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUrl {
    url: String,
    reason: String,
}

impl RemoteWrite {
    /// A destination at `url`, such as `http://mimir:9009/api/v1/push`,
    /// without authentication.
    ///
    /// # Errors
    /// When `url` is not an absolute `http` or `https` URL (the url crate
    /// requires a host for those), or
    /// when it holds a user name or password, which would end up in the
    /// generated file: give those as [`RemoteWriteAuth`] instead.
    pub fn new(url: &str) -> Result<RemoteWrite, InvalidUrl> {
        let invalid = |reason: String| InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        let parsed = url::Url::parse(url).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => {
                invalid("it is not absolute; write it as http://host:port/path".to_owned())
            }
            e => invalid(e.to_string()),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "the scheme is `{}`, not http or https",
                parsed.scheme()
            )));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid(
                "credentials in the URL would be written into prometheus.yml; \
                 read them from a file with basic auth or a bearer token instead"
                    .to_owned(),
            ));
        }
        Ok(RemoteWrite {
            url: url.to_owned(),
            auth: None,
        })
    }

    /// Signs in with `auth`, replacing any earlier choice: one kind only,
    /// as Prometheus requires.
    #[must_use]
    pub fn auth(mut self, auth: RemoteWriteAuth) -> RemoteWrite {
        self.auth = Some(auth);
        self
    }

    /// The URL, as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How Prometheus signs in, if it does.
    pub fn authentication(&self) -> Option<&RemoteWriteAuth> {
        self.auth.as_ref()
    }
}

impl InvalidUrl {
    /// What is wrong with the URL, without the URL itself.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a remote_write URL: {}",
            self.url, self.reason
        )
    }
}

impl std::error::Error for InvalidUrl {}

#[cfg(test)]
mod tests {
    use super::RemoteWrite;

    fn reason(url: &str) -> String {
        RemoteWrite::new(url).unwrap_err().reason().to_owned()
    }

    #[test]
    fn only_absolute_http_urls_without_credentials_pass() {
        for good in [
            "http://127.0.0.1:9090/api/v1/write",
            "https://mimir.example.com/api/v1/push",
            "http://[::1]:9090/api/v1/write",
        ] {
            assert_eq!(RemoteWrite::new(good).unwrap().url(), good);
        }
        assert_eq!(
            reason("not a url"),
            "it is not absolute; write it as http://host:port/path"
        );
        assert_eq!(
            reason("ftp://host/"),
            "the scheme is `ftp`, not http or https"
        );
        assert_eq!(reason("http://"), "empty host");
        assert!(reason("https://user:secret@mimir/").starts_with("credentials in the URL"));
    }
}
