//! The URL of one group on the Pushgateway,
//! `<gateway>/metrics/job/<job>{/<label>/<value>}`, encoded as the
//! Pushgateway reads it.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use url::Url;

use super::PushError;

/// The group's URL under the gateway at `gateway`, which may have a path
/// of its own, such as a reverse proxy's prefix.
pub(super) fn url(
    gateway: &str,
    job: &str,
    grouping: &[(String, String)],
) -> Result<Url, PushError> {
    let invalid = |reason: &str| PushError::InvalidUrl {
        url: gateway.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(gateway).map_err(|e| invalid(&e.to_string()))?;
    match url.scheme() {
        "http" => {}
        "https" if cfg!(feature = "push-tls") => {}
        "https" => return Err(invalid("https needs the `push-tls` feature of bizmetrics")),
        other => {
            return Err(invalid(&format!(
                "the scheme is `{other}`, not http or https"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "it has a query or a fragment, which the group's path cannot follow",
        ));
    }
    if job.is_empty() {
        return Err(PushError::InvalidLabel {
            name: "job".to_owned(),
            reason: "the job name is empty".to_owned(),
        });
    }
    for (index, (name, _)) in grouping.iter().enumerate() {
        check_name(name)?;
        if grouping[..index].iter().any(|(earlier, _)| earlier == name) {
            return Err(PushError::InvalidLabel {
                name: name.clone(),
                reason: "it is given twice".to_owned(),
            });
        }
    }
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| invalid("it cannot have a path"))?;
        segments.pop_if_empty().push("metrics");
        for (name, value) in std::iter::once(("job", job))
            .chain(grouping.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        {
            // A `/` would split the segment, and an empty segment would be
            // dropped, so those values go in the gateway's base64 form
            // (padded `=` stands for the empty value); others are
            // percent-encoded by `push`.
            if value.is_empty() || value.contains('/') {
                let encoded = URL_SAFE.encode(value);
                let encoded = if encoded.is_empty() {
                    "=".to_owned()
                } else {
                    encoded
                };
                segments.push(&format!("{name}@base64")).push(&encoded);
            } else {
                segments.push(name).push(value);
            }
        }
    }
    Ok(url)
}

/// A grouping label's name must be a Prometheus label name the gateway
/// accepts, and not one it sets itself.
fn check_name(name: &str) -> Result<(), PushError> {
    let refuse = |reason: &str| {
        Err(PushError::InvalidLabel {
            name: name.to_owned(),
            reason: reason.to_owned(),
        })
    };
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return refuse("a label name is letters, digits and `_`, not starting with a digit");
    }
    if name.starts_with("__") {
        return refuse("names starting with `__` are reserved for Prometheus");
    }
    if name == "job" {
        return refuse("the job is given to `Pushgateway::new`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouping(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn plain_values_are_path_segments() {
        let url = url(
            "http://gw:9091",
            "restock",
            &grouping(&[("instance", "db 1")]),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://gw:9091/metrics/job/restock/instance/db%201"
        );
    }

    #[test]
    fn slashes_and_empty_values_use_base64() {
        let url = url(
            "http://gw:9091/",
            "a/b",
            &grouping(&[("path", "/var/tmp"), ("empty", "")]),
        )
        .unwrap();
        // The gateway reads base64 with or without padding; `=` alone is empty.
        assert_eq!(
            url.as_str(),
            "http://gw:9091/metrics/job@base64/YS9i/path@base64/L3Zhci90bXA=/empty@base64/="
        );
    }

    #[test]
    fn a_prefix_path_is_kept() {
        let tls = url("https://example.com/gateway/", "j", &[]);
        if cfg!(feature = "push-tls") {
            assert_eq!(
                tls.unwrap().as_str(),
                "https://example.com/gateway/metrics/job/j"
            );
        } else {
            let error = tls.unwrap_err().to_string();
            assert!(error.contains("push-tls"), "{error}");
        }
        let url = url("http://example.com/gateway", "j", &[]).unwrap();
        assert_eq!(url.as_str(), "http://example.com/gateway/metrics/job/j");
    }

    #[test]
    fn bad_names_and_urls_are_refused() {
        let refused = |gateway: &str, job: &str, pairs: &[(&str, &str)]| {
            url(gateway, job, &grouping(pairs)).unwrap_err().to_string()
        };
        let ok = "http://gw:9091";
        assert!(refused(ok, "", &[]).contains("empty"));
        assert!(refused(ok, "j", &[("1x", "v")]).contains("letters, digits"));
        assert!(refused(ok, "j", &[("__x", "v")]).contains("reserved"));
        assert!(refused(ok, "j", &[("a", "1"), ("a", "2")]).contains("twice"));
        assert!(refused("gw:9091", "j", &[]).contains("not http or https"));
        assert!(refused("pushgateway", "j", &[]).contains("relative URL"));
        assert!(refused("http://gw:9091/?x=1", "j", &[]).contains("query"));
    }
}
