//! The example app's page in a real browser: headless Chromium driven by
//! `chromedriver` (Debian's `chromium` and `chromium-driver`). The test
//! presses the page's buttons as a user would, waits for the page's
//! answer, and checks that `user_actions_total` rose by exactly one for the
//! profile the page sent. It fails, never skips, without the browser; on
//! failure it saves a screenshot to `target/browser-failure.png`.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp)]

mod common;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{sample, App};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use thirtyfour::ChromeCapabilities;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";
const PACKAGES: &str = "install the Debian packages `chromium` and `chromium-driver` \
     (apt-get install --no-install-recommends chromium chromium-driver; .ci/run does it)";

/// How long the page may take to show an answer, and Chromium to start.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The profile the test selects in the page: none of it is the page's
/// default, so a page that ignored the selects would be caught.
const PROFILE: [(&str, &str); 4] = [
    ("device", "desktop"),
    ("age_group", "35_54"),
    ("gender", "other"),
    ("region", "kyushu"),
];

/// `chromedriver` in a process group of its own, so that the Chromium it
/// starts is stopped with it: the whole group is killed on drop, also when
/// the test panics.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("`{CHROMEDRIVER}` does not start ({e}): {PACKAGES}"));
        Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Waits until chromedriver answers `/status`.
    async fn ready(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        let status = format!("{}/status", self.url);
        loop {
            if let Ok((code, body)) = common::try_call(axum::http::Method::GET, &status, None).await
            {
                if code.is_success() && body.contains("\"ready\":true") {
                    return;
                }
            }
            if let Some(exit) = self.child.try_wait().unwrap() {
                panic!("chromedriver exited at startup: {exit}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready at {status} within {TIMEOUT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The group's id is chromedriver's own (`process_group(0)`).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "{name}-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir(&path).expect("a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn capabilities(profile_dir: &Path) -> WebDriverResult<ChromeCapabilities> {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM)?;
    // The machine may have no internet: these also stop Chromium's own
    // calls home.
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1024",
    ] {
        caps.add_arg(arg)?;
    }
    caps.add_arg(&format!("--user-data-dir={}", profile_dir.display()))?;
    Ok(caps)
}

fn users(action: &str, endpoint: &str) -> String {
    let labels: std::collections::BTreeMap<_, _> = PROFILE.into_iter().collect();
    format!(
        r#"user_actions_total{{action_type="{action}",age_group="{}",device="{}",endpoint="{endpoint}",gender="{}",region="{}"}}"#,
        labels["age_group"], labels["device"], labels["gender"], labels["region"]
    )
}

/// The sum of `user_actions_total` over every profile for one action.
fn all_profiles(text: &str, action: &str) -> f64 {
    let prefix = format!(r#"user_actions_total{{action_type="{action}","#);
    text.lines()
        .filter(|line| line.starts_with(&prefix))
        .map(|line| line.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

async fn metrics(app_metrics: &str) -> String {
    let (status, text) = common::get(app_metrics).await;
    assert!(status.is_success(), "{app_metrics}: {status}");
    text
}

/// Clicks the button `id`, waits until the page shows the answer to
/// `request` (`"GET /companies"`), and returns the answer's status and
/// JSON body as the page shows them.
async fn press(driver: &WebDriver, id: &str, request: &str) -> (u16, serde_json::Value) {
    let out = driver.find(By::Id("out")).await.unwrap();
    let before = out.text().await.unwrap();
    driver
        .find(By::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let shown = loop {
        let text = out.text().await.unwrap();
        if text != before && text.starts_with(&format!("{request} → ")) {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no answer to `{request}` on the page within {TIMEOUT:?}; it shows:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let (first, json) = shown.split_once('\n').unwrap_or((&shown, ""));
    let status = first
        .rsplit(' ')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in `{first}`"));
    let json = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {shown}"));
    (status, json)
}

/// Presses `id` and checks that the action's series for the page's profile
/// rose by exactly one, and no other profile's.
async fn press_and_count(
    driver: &WebDriver,
    metrics_url: &str,
    (id, request): (&str, &str),
    (action, endpoint): (&str, &str),
) -> serde_json::Value {
    let series = users(action, endpoint);
    let before = metrics(metrics_url).await;
    let (status, json) = press(driver, id, request).await;
    assert_eq!(status, 200, "`{request}` from the page: {json}");
    let after = metrics(metrics_url).await;
    assert_eq!(
        sample(&after, &series) - sample(&before, &series),
        1.0,
        "`{series}` after pressing `{id}`"
    );
    assert_eq!(
        all_profiles(&after, action) - all_profiles(&before, action),
        1.0,
        "`{action}` over all profiles after pressing `{id}`"
    );
    json
}

/// What a user does on the page: choose a profile, list companies, then
/// one full funnel run.
async fn scenario(driver: WebDriver, base: String, metrics_url: String) {
    driver.goto(format!("{base}/")).await.unwrap();
    assert_eq!(driver.title().await.unwrap(), "bizmetrics shop");

    for (id, value) in PROFILE {
        let select = SelectElement::new(&driver.find(By::Id(id)).await.unwrap())
            .await
            .unwrap();
        select.select_by_exact_text(value).await.unwrap();
        // What the page will send is what its select now holds.
        let held = driver
            .find(By::Id(id))
            .await
            .unwrap()
            .value()
            .await
            .unwrap();
        assert_eq!(held.as_deref(), Some(value), "select `{id}`");
    }

    let companies = press_and_count(
        &driver,
        &metrics_url,
        ("companies", "GET /companies"),
        ("list_companies", "/companies"),
    )
    .await;
    let companies = companies.as_array().expect("a list of companies");
    assert!(!companies.is_empty(), "the page lists no company");

    // The funnel, with the page's own inputs: search "tea", view item 2,
    // add it to a cart, buy it.
    let found = press_and_count(
        &driver,
        &metrics_url,
        ("search", "GET /search?q=tea"),
        ("search", "/search"),
    )
    .await;
    assert!(
        found.as_array().is_some_and(|items| !items.is_empty()),
        "search for tea found nothing: {found}"
    );
    let item = press_and_count(
        &driver,
        &metrics_url,
        ("view", "GET /items/2"),
        ("view_item", "/items/{id}"),
    )
    .await;
    assert_eq!(item["id"], 2, "{item}");
    let cart = press_and_count(
        &driver,
        &metrics_url,
        ("cart", "POST /cart"),
        ("add_to_cart", "/cart"),
    )
    .await;
    let cart_id = cart["cart_id"].clone();
    assert!(cart_id.is_u64(), "no cart id: {cart}");
    let receipt = press_and_count(
        &driver,
        &metrics_url,
        ("purchase", "POST /purchase"),
        ("purchase", "/purchase"),
    )
    .await;
    assert_eq!(receipt["cart_id"], cart_id, "{receipt}");
    assert_eq!(receipt["total_cents"], 6800, "{receipt}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_in_headless_chromium_counts_each_press_once() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "no browser at {CHROMIUM}: {PACKAGES}"
    );
    let app = App::start(&[]);
    // Made before chromedriver, so removed after Chromium has stopped.
    let profile_dir = TempDir::new("bizmetrics-chromium");
    let mut chromedriver = Chromedriver::start();
    chromedriver.ready().await;

    let started = Instant::now();
    let caps = capabilities(&profile_dir.0).unwrap();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client");
    let driver = WebDriver::builder(chromedriver.url.clone(), caps)
        .client(http)
        .request_timeout(TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("no headless Chromium session: {e}"));

    // The scenario runs in its own task, so that a failed assertion in it
    // still leaves the session here for a screenshot.
    let outcome = tokio::spawn(scenario(
        driver.clone(),
        app.base.clone(),
        app.metrics.clone(),
    ))
    .await;

    if let Err(failure) = outcome {
        // The workspace's target directory, next to this package.
        let target = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace")
            .join("target");
        let png = target.join("browser-failure.png");
        match driver.screenshot_as_png().await {
            Ok(bytes) => {
                match std::fs::create_dir_all(&target).and_then(|()| std::fs::write(&png, bytes)) {
                    Ok(()) => eprintln!("screenshot of the page: {}", png.display()),
                    Err(e) => eprintln!("could not save {}: {e}", png.display()),
                }
            }
            Err(e) => eprintln!("no screenshot: {e}"),
        }
        let _ = driver.quit().await;
        drop(chromedriver);
        std::panic::resume_unwind(failure.into_panic());
    }
    driver.quit().await.unwrap();
    eprintln!("browser scenario took {:?}", started.elapsed());
}
