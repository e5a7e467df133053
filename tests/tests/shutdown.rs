//! `bizmetrics::axum::Shutdown` on real servers, triggered through its
//! API: business requests turned away, the request in flight finished and
//! counted, and the servers kept up until a scrape after it, on the app's
//! port and on a port of its own; the grace period and a second trigger.

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::Router;
use bizmetrics::axum::Shutdown;
use bizmetrics::business_metric;
use bizmetrics_tests::sample_in;
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::task::JoinHandle;

/// The final scrape is any scrape in the process: one test at a time.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// A slow business action, counted when it succeeds: it runs until the
/// test lets it finish.
#[business_metric(action = "slow_checkout", endpoint = "/slow", count = "ok")]
async fn slow(gate: Gate) -> Result<&'static str, String> {
    let release = gate.entered().await;
    release.await.map_err(|e| e.to_string())?;
    Ok("done")
}

/// Tells the test that a request is in the handler, and waits for its go.
#[derive(Clone)]
struct Gate(mpsc::UnboundedSender<oneshot::Sender<()>>);

impl Gate {
    async fn entered(&self) -> oneshot::Receiver<()> {
        let (go, release) = oneshot::channel();
        self.0.send(go).unwrap();
        release
    }
}

fn business(gate: Gate) -> Router {
    Router::new()
        .route("/slow", get(move || slow(gate.clone())))
        .route("/fast", get(|| async { "fast" }))
}

async fn listen() -> (tokio::net::TcpListener, SocketAddr) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

fn spawn_server(
    listener: tokio::net::TcpListener,
    app: Router,
    until: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<std::io::Result<()>> {
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(until)
            .await
    })
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn get_text(url: impl AsRef<str>) -> reqwest::Result<(StatusCode, String)> {
    let response = client().get(url.as_ref()).send().await?;
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    Ok((status, response.text().await?))
}

/// `slow_checkout`'s count in a scrape of `metrics`.
async fn scraped_count(metrics: &str) -> f64 {
    let (status, text) = get_text(metrics).await.unwrap();
    assert_eq!(status, StatusCode::OK);
    sample_in(
        &text,
        r#"user_actions_total{action_type="slow_checkout",endpoint="/slow"}"#,
    )
}

/// Whether `server` is still running after a moment.
async fn still_running<T>(server: &JoinHandle<T>) -> bool {
    tokio::time::sleep(Duration::from_millis(300)).await;
    !server.is_finished()
}

async fn stops_soon(server: JoinHandle<std::io::Result<()>>, what: &str) {
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap_or_else(|_| panic!("{what}"))
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_app_port_business_gets_503_until_a_scrape_reads_the_request_in_flight() {
    let _serial = SERIAL.lock().await;
    let (tx, mut entered) = mpsc::unbounded_channel();
    let shutdown = Shutdown::manual().grace(Duration::from_secs(60));
    let app = business(Gate(tx)).merge(bizmetrics::axum::router());
    let (listener, addr) = listen().await;
    let server = spawn_server(
        listener,
        app.layer(shutdown.layer()),
        shutdown.final_scrape(),
    );
    let metrics = format!("http://{addr}/metrics");
    let before = scraped_count(&metrics).await;

    let in_flight = tokio::spawn(get_text(format!("http://{addr}/slow")));
    let release = entered.recv().await.unwrap();
    shutdown.trigger();

    let refused = client()
        .get(format!("http://{addr}/fast"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(refused.headers()[header::CONNECTION.as_str()], "close");
    // A scrape while the checkout runs is not the final one.
    assert_eq!(scraped_count(&metrics).await, before);
    assert!(
        still_running(&server).await,
        "stopped before the request in flight finished"
    );

    release.send(()).unwrap();
    assert_eq!(
        in_flight.await.unwrap().unwrap(),
        (StatusCode::OK, "done".to_owned())
    );
    assert!(
        still_running(&server).await,
        "stopped with no scrape after the last request"
    );
    assert_eq!(scraped_count(&metrics).await, before + 1.0);
    stops_soon(server, "the server runs on after the final scrape").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_port_of_its_own_the_app_port_closes_and_metrics_wait_for_the_final_scrape() {
    let _serial = SERIAL.lock().await;
    let (tx, mut entered) = mpsc::unbounded_channel();
    let shutdown = Shutdown::manual().grace(Duration::from_secs(60));
    let metrics_addr: SocketAddr = format!("127.0.0.1:{}", bizmetrics_tests::free_port())
        .parse()
        .unwrap();
    let metrics_server = tokio::spawn(bizmetrics::axum::serve_until(
        metrics_addr,
        shutdown.final_scrape(),
    ));
    let (listener, addr) = listen().await;
    let app_server = spawn_server(
        listener,
        business(Gate(tx)).layer(shutdown.layer()),
        shutdown.triggered(),
    );
    let metrics = format!("http://{metrics_addr}/metrics");
    let before = loop {
        // The metrics server binds in its own task.
        if let Ok((StatusCode::OK, _)) = get_text(&metrics).await {
            break scraped_count(&metrics).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    let in_flight = tokio::spawn(get_text(format!("http://{addr}/slow")));
    let release = entered.recv().await.unwrap();
    shutdown.trigger();

    // The app's port stops accepting; the request in flight goes on.
    let deadline = Instant::now() + Duration::from_secs(5);
    while get_text(&format!("http://{addr}/fast")).await.is_ok() {
        assert!(Instant::now() < deadline, "the app's port still accepts");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(scraped_count(&metrics).await, before);
    release.send(()).unwrap();
    assert_eq!(
        in_flight.await.unwrap().unwrap(),
        (StatusCode::OK, "done".to_owned())
    );
    stops_soon(app_server, "the app's server waits with its requests done").await;
    assert!(
        still_running(&metrics_server).await,
        "metrics stopped before the final scrape"
    );
    assert_eq!(scraped_count(&metrics).await, before + 1.0);
    stops_soon(metrics_server, "metrics run on after the final scrape").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_scrape_the_grace_period_ends_the_wait() {
    let _serial = SERIAL.lock().await;
    let shutdown = Shutdown::manual().grace(Duration::from_millis(800));
    let (listener, _) = listen().await;
    let server = spawn_server(
        listener,
        bizmetrics::axum::router(),
        shutdown.final_scrape(),
    );
    let triggered = Instant::now();
    shutdown.trigger();
    stops_soon(server, "the grace period does not end the wait").await;
    let waited = triggered.elapsed();
    assert!(
        waited >= Duration::from_millis(800),
        "stopped after {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_trigger_ends_the_wait_at_once() {
    let _serial = SERIAL.lock().await;
    let shutdown = Shutdown::manual().grace(Duration::from_secs(60));
    let (listener, _) = listen().await;
    let server = spawn_server(
        listener,
        bizmetrics::axum::router(),
        shutdown.final_scrape(),
    );
    shutdown.trigger();
    assert!(still_running(&server).await, "stopped with no scrape");
    shutdown.trigger();
    stops_soon(server, "a second trigger does not end the wait").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grace_of_zero_stops_at_the_trigger() {
    let _serial = SERIAL.lock().await;
    let shutdown = Shutdown::manual().grace(Duration::ZERO);
    let (listener, _) = listen().await;
    let server = spawn_server(
        listener,
        bizmetrics::axum::router(),
        shutdown.final_scrape(),
    );
    assert!(still_running(&server).await, "stopped before the trigger");
    shutdown.trigger();
    stops_soon(server, "a grace of zero waits").await;
}
