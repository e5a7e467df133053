//! Monitoring as code: alerting and recording rules, a Grafana dashboard,
//! and a Prometheus, Alertmanager and Grafana stack, generated from the
//! same attributes that record the metrics, so they never drift apart.
//!
//! ```
//! use bizmetrics::monitoring::Stack;
//!
//! #[bizmetrics::business_metric(action = "search", alert(below = 10, per = "5m"))]
//! fn search() {}
//!
//! let stack = Stack::new("shop");
//! let rules = stack.alert_rules().expect("consistent definitions");
//! assert!(rules.contains("alert: ShopLowUserActivity"));
//! assert!(rules.contains(r#"rate(user_actions_total{action_type="search"}[5m])) * 300 < 10"#));
//!
//! // Every file, by its path under the output folder:
//! let files = stack.files().unwrap();
//! assert!(files.iter().any(|(path, _)| path == "docker-compose.yml"));
//! ```

mod dashboard;
mod promql;
mod remote_write;
mod rules;
mod stack;
mod yaml;

use std::path::Path;
use std::time::Duration;

use crate::catalog::site_metric::SiteMetric;
use crate::error::Error;
use crate::funnel::Funnel;

pub use remote_write::{InvalidUrl, RemoteWrite, RemoteWriteAuth};

/// The monitoring stack of one app: what to generate, and where things
/// run. Every setting has a default that suits `docker compose up`.
///
/// Outside compose, name the addresses:
///
/// ```
/// use std::time::Duration;
/// use bizmetrics::monitoring::Stack;
///
/// let stack = Stack::new("shop")
///     .targets(["127.0.0.1:3000", "127.0.0.1:3001"])
///     .alertmanager("127.0.0.1:9093")
///     .scrape_interval(Duration::from_secs(5));
/// let files = stack.files().unwrap();
/// let (_, prometheus) = files.iter().find(|(path, _)| path == "prometheus.yml").unwrap();
/// assert!(prometheus.contains("scrape_interval: 5s"));
/// assert!(prometheus.contains("- targets:\n    - 127.0.0.1:3000\n    - 127.0.0.1:3001\n"));
/// ```
#[derive(Debug, Clone)]
pub struct Stack {
    app: String,
    port: u16,
    targets: Option<Vec<String>>,
    alertmanager: String,
    prometheus_url: String,
    scrape_interval: Duration,
    conversion_window: Duration,
    alert_timing: Option<(Duration, Duration)>,
    slack_url_file: String,
    build: (String, String),
    remote_writes: Vec<RemoteWrite>,
    agent: bool,
    pushgateway: String,
    /// Each batch job's name and the age past which its last push is late.
    batch_jobs: Vec<(String, Duration)>,
}

impl Stack {
    /// The stack for the app `app`: its Prometheus job, compose service and
    /// dashboard are named after it, and its alerts' names start with it.
    pub fn new(app: &str) -> Stack {
        Stack {
            app: app.to_owned(),
            port: 3000,
            targets: None,
            alertmanager: "alertmanager:9093".to_owned(),
            prometheus_url: "http://prometheus:9090".to_owned(),
            scrape_interval: crate::DEFAULT_SCRAPE_INTERVAL,
            conversion_window: Duration::from_secs(3600),
            alert_timing: None,
            slack_url_file: "/run/secrets/slack_webhook_url".to_owned(),
            build: (".".to_owned(), "Dockerfile".to_owned()),
            remote_writes: Vec::new(),
            agent: false,
            pushgateway: "pushgateway:9091".to_owned(),
            batch_jobs: Vec::new(),
        }
    }

    /// The port the app serves `/metrics` on inside compose. Default 3000.
    /// Compose tells the app to listen on it through the environment
    /// variable `APP_ADDR`, `APP` being the app's name in capitals.
    #[must_use]
    pub fn port(mut self, port: u16) -> Stack {
        self.port = port;
        self
    }

    /// The `host:port` addresses Prometheus scrapes, one per replica.
    /// Default: the compose service, `app:port`.
    #[must_use]
    pub fn targets<T: Into<String>>(mut self, targets: impl IntoIterator<Item = T>) -> Stack {
        self.targets = Some(targets.into_iter().map(Into::into).collect());
        self
    }

    /// Where Prometheus sends alerts. Default `alertmanager:9093`.
    #[must_use]
    pub fn alertmanager(mut self, addr: &str) -> Stack {
        addr.clone_into(&mut self.alertmanager);
        self
    }

    /// Where Grafana reaches Prometheus. Default `http://prometheus:9090`.
    #[must_use]
    pub fn prometheus_url(mut self, url: &str) -> Stack {
        url.clone_into(&mut self.prometheus_url);
        self
    }

    /// How often Prometheus scrapes and evaluates rules. Default
    /// [`crate::DEFAULT_SCRAPE_INTERVAL`], 15 s.
    /// Alertmanager's `group_wait` and `group_interval` are 2 and 20 times
    /// this: 30 s and 5 m, its own defaults, at the default.
    #[must_use]
    pub fn scrape_interval(mut self, interval: Duration) -> Stack {
        self.scrape_interval = interval;
        self
    }

    /// The window of the funnels' conversion ratios. Default 1 h.
    #[must_use]
    pub fn conversion_window(mut self, window: Duration) -> Stack {
        self.conversion_window = window;
        self
    }

    /// Replaces every alert's `per` window and `for`, so that a test can
    /// see alerts fire in seconds. Leave it unset in production.
    #[must_use]
    pub fn alert_timing(mut self, per: Duration, for_: Duration) -> Stack {
        self.alert_timing = Some((per, for_));
        self
    }

    /// The file Alertmanager reads the Slack webhook URL from. Default
    /// `/run/secrets/slack_webhook_url`, where compose puts the secret.
    #[must_use]
    pub fn slack_url_file(mut self, path: &str) -> Stack {
        path.clone_into(&mut self.slack_url_file);
        self
    }

    /// How compose builds the app's image: the build context and the
    /// Dockerfile in it, relative to the output folder. Default `.` and
    /// `Dockerfile`.
    #[must_use]
    pub fn build(mut self, context: &str, dockerfile: &str) -> Stack {
        self.build = (context.to_owned(), dockerfile.to_owned());
        self
    }

    /// Also sends every scraped sample to `destination` with
    /// `remote_write`, for Thanos, Mimir or Cortex to keep; call it once per
    /// destination. This Prometheus still evaluates the rules and alerts.
    ///
    /// ```
    /// use bizmetrics::monitoring::{RemoteWrite, RemoteWriteAuth, Stack};
    ///
    /// let thanos = RemoteWrite::new("http://thanos-receive:19291/api/v1/receive")
    ///     .unwrap()
    ///     .auth(RemoteWriteAuth::Bearer {
    ///         credentials_file: "/run/secrets/thanos_token".to_owned(),
    ///     });
    /// let files = Stack::new("shop").remote_write(thanos).files().unwrap();
    /// let (_, prometheus) = files.iter().find(|(path, _)| path == "prometheus.yml").unwrap();
    /// assert!(prometheus.contains("rule_files:\n- alert_rules.yml\n"));
    /// assert!(prometheus.contains(
    ///     "remote_write:
    /// - url: http://thanos-receive:19291/api/v1/receive
    ///   authorization:
    ///     type: Bearer
    ///     credentials_file: /run/secrets/thanos_token
    /// "
    /// ));
    /// ```
    #[must_use]
    pub fn remote_write(mut self, destination: RemoteWrite) -> Stack {
        self.remote_writes.push(destination);
        self
    }

    /// Agent mode, for `prometheus --enable-feature=agent`: a light
    /// Prometheus next to the app that scrapes it and forwards everything
    /// to `destination` (and to any other [`Stack::remote_write`]), the
    /// way Mimir and Thanos are usually fed. It keeps no queryable data
    /// and refuses rules and alerting, so the files split in two:
    ///
    /// - `prometheus.yml`, the agent's: scrape configs and `remote_write`;
    /// - `prometheus-central.yml`, for the Prometheus where the samples
    ///   land (run it with `--web.enable-remote-write-receiver`): the rules
    ///   of `alert_rules.yml` and the alerting, and no scraping.
    ///
    /// `docker-compose.yml` then runs the app and the agent; the central
    /// half, with Alertmanager and Grafana, runs where the data lands. With
    /// Mimir or Thanos as the store, load `alert_rules.yml` into their
    /// ruler instead of `prometheus-central.yml`.
    ///
    /// An agent with nowhere to send keeps nothing, so this takes a
    /// destination rather than a flag.
    ///
    /// ```
    /// use bizmetrics::monitoring::{RemoteWrite, Stack};
    ///
    /// let central = RemoteWrite::new("http://central:9090/api/v1/write").unwrap();
    /// let files = Stack::new("shop").agent(central).files().unwrap();
    /// let file = |name: &str| &files.iter().find(|(path, _)| path == name).unwrap().1;
    /// assert!(file("prometheus.yml").contains("url: http://central:9090/api/v1/write"));
    /// assert!(!file("prometheus.yml").contains("rule_files"));
    /// assert!(file("prometheus-central.yml").contains("rule_files:\n- alert_rules.yml\n"));
    /// assert!(!file("prometheus-central.yml").contains("scrape_configs"));
    /// ```
    #[must_use]
    pub fn agent(mut self, destination: RemoteWrite) -> Stack {
        self.agent = true;
        self.remote_write(destination)
    }

    /// A batch job that pushes to the Pushgateway as job `job`, and must
    /// succeed at least every `max_age`: a nightly job might get 26 hours.
    /// Call it once per job.
    ///
    /// Prometheus then scrapes the Pushgateway at [`Stack::pushgateway`],
    /// with `honor_labels: true` so that each series keeps the job and
    /// labels it was pushed with; compose runs the Pushgateway; and the
    /// alert `<App>BatchJobStale` fires for the job when the gateway's own
    /// `push_time_seconds` for it is older than `max_age`, or its
    /// `push_failure_time_seconds` is newer: a push was refused since the
    /// last one that was taken.
    ///
    /// ```
    /// use std::time::Duration;
    /// use bizmetrics::monitoring::Stack;
    ///
    /// let stack = Stack::new("shop").batch_job("shop_restock", Duration::from_secs(26 * 3600));
    /// let rules = stack.alert_rules().unwrap();
    /// assert!(rules.contains("alert: ShopBatchJobStale"));
    /// assert!(rules.contains(r#"time() - push_time_seconds{job="shop_restock"} > 93600"#));
    /// let files = stack.files().unwrap();
    /// let file = |name: &str| &files.iter().find(|(path, _)| path == name).unwrap().1;
    /// assert!(file("prometheus.yml").contains(
    ///     "- job_name: pushgateway\n  honor_labels: true\n  static_configs:\n  - targets:\n    - pushgateway:9091\n"
    /// ));
    /// assert!(file("docker-compose.yml").contains("image: prom/pushgateway:"));
    /// ```
    #[must_use]
    pub fn batch_job(mut self, job: &str, max_age: Duration) -> Stack {
        self.batch_jobs.push((job.to_owned(), max_age));
        self
    }

    /// The `host:port` Prometheus scrapes the Pushgateway at, when the
    /// stack has a [`Stack::batch_job`]. Default `pushgateway:9091`, the
    /// compose service.
    #[must_use]
    pub fn pushgateway(mut self, addr: &str) -> Stack {
        addr.clone_into(&mut self.pushgateway);
        self
    }

    /// `alert_rules.yml`: every `alert(...)` declared in the program, and
    /// each funnel's step-to-step and overall conversion ratios, overall
    /// and by each label its steps share.
    ///
    /// # Errors
    /// When the metric definitions conflict, as [`crate::init`] would say,
    /// or when call sites give one alert name different settings.
    pub fn alert_rules(&self) -> Result<String, Error> {
        rules::render(self, &Declared::checked()?)
    }

    /// The Grafana dashboard, as JSON that Grafana imports as is.
    ///
    /// # Errors
    /// When the metric definitions conflict, as [`crate::init`] would say.
    pub fn dashboard(&self) -> Result<String, Error> {
        Ok(dashboard::render(self, &Declared::checked()?))
    }

    /// Every generated file, as `(path under the output folder, content)`.
    ///
    /// # Errors
    /// As [`Stack::alert_rules`].
    pub fn files(&self) -> Result<Vec<(String, String)>, Error> {
        let declared = Declared::checked()?;
        let mut files = vec![
            (
                "alert_rules.yml".to_owned(),
                rules::render(self, &declared)?,
            ),
            (
                format!("grafana/dashboards/{}.json", self.app),
                dashboard::render(self, &declared),
            ),
        ];
        files.extend(stack::render(self));
        Ok(files)
    }

    /// Writes [`Stack::files`] under `dir`, creating folders as needed,
    /// and returns their paths under it.
    ///
    /// A file this stack no longer generates, but an earlier export wrote
    /// there, is removed: `prometheus-central.yml` when the stack is not an
    /// agent's, so nobody starts a Prometheus from a stale half. Only files
    /// that still begin with the generated header go; anything edited by
    /// hand stays.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("bizmetrics-doc-write");
    /// let written = bizmetrics::monitoring::Stack::new("shop").write(&dir).unwrap();
    /// assert!(dir.join("grafana/dashboards/shop.json").exists());
    /// assert_eq!(written[0], "alert_rules.yml");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    ///
    /// # Errors
    /// As [`Stack::files`], or the I/O error of the file it failed on.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let files = self.files()?;
        for (path, content) in &files {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, content)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        for stale in stack::MODE_FILES {
            let path = dir.join(stale);
            let generated =
                std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with(HEADER));
            if generated && !files.iter().any(|(written, _)| written == stale) {
                std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
        Ok(files.into_iter().map(|(path, _)| path).collect())
    }

    /// The scrape targets: as set, or the compose service.
    fn scrape_targets(&self) -> Vec<String> {
        self.targets
            .clone()
            .unwrap_or_else(|| vec![format!("{}:{}", self.app, self.port)])
    }

    /// The app's name as the start of an alert name: `webapp` → `Webapp`.
    fn alert_prefix(&self) -> String {
        camel_case(&self.app)
    }
}

/// What the program declares, once its definitions are found consistent.
struct Declared {
    /// Every call site, in a stable order.
    sites: Vec<&'static SiteMetric>,
    funnels: Vec<Funnel>,
}

impl Declared {
    /// Refuses, as [`crate::init`] would, when definitions conflict.
    fn checked() -> Result<Declared, Error> {
        let catalog = crate::catalog::catalog();
        if let Some(error) = Error::new(catalog.problems.clone()) {
            return Err(error);
        }
        Ok(Declared {
            sites: catalog.sites.iter().collect(),
            funnels: catalog.funnels.clone(),
        })
    }
}

/// The first line of every generated YAML file.
const HEADER: &str =
    "# Generated by bizmetrics from the attributes in the code: regenerate it, don't edit it.\n";

/// `user_actions` → `UserActions`; `web-app` → `WebApp`.
fn camel_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A duration as Prometheus writes it, in the largest whole unit: `5m`,
/// `90s`, `1h`, `3d`, `500ms`, in the grammar the attributes parse.
fn prometheus_duration(duration: Duration) -> String {
    bizmetrics_facts::duration::format_ms(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_largest_whole_unit() {
        let text = |ms| prometheus_duration(Duration::from_millis(ms));
        assert_eq!(text(300_000), "5m");
        assert_eq!(text(3_600_000), "1h");
        assert_eq!(text(90_000), "90s");
        assert_eq!(text(1_500), "1500ms");
        assert_eq!(text(3 * 86_400_000), "3d");
    }

    #[test]
    fn names_become_camel_case() {
        assert_eq!(camel_case("webapp"), "Webapp");
        assert_eq!(camel_case("user_actions"), "UserActions");
        assert_eq!(camel_case("my-shop 2"), "MyShop2");
    }
}
