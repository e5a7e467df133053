//! Faults in a real server on loopback: handlers that panic, and clients
//! that hang up mid-request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use bizmetrics::timed;
use bizmetrics_tests::sample;
use tower_http::catch_panic::CatchPanicLayer;

#[timed(in_flight)]
async fn explode_async() -> &'static str {
    tokio::task::yield_now().await;
    panic!("async handler exploded")
}

#[timed(in_flight)]
fn explode_sync() -> u32 {
    panic!("sync function exploded")
}

async fn calls_explode_sync() -> String {
    explode_sync().to_string()
}

#[timed(in_flight)]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(3)).await;
    "finally"
}

#[timed(in_flight)]
async fn fine() -> &'static str {
    "fine"
}

/// Serves the app on an ephemeral loopback port.
async fn serve() -> SocketAddr {
    let app = Router::new()
        .route("/explode-async", get(explode_async))
        .route("/explode-sync", get(calls_explode_sync))
        .route("/slow", get(slow))
        .route("/fine", get(fine))
        .layer(CatchPanicLayer::new());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A blocking HTTP/1.0 GET: the status line's code.
fn status(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: test\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split(' ').nth(1).unwrap_or_default().to_owned()
}

fn count(function: &str, outcome: &str) -> f64 {
    sample(&format!(
        r#"function_duration_seconds_count{{function="{function}",module="faults",outcome="{outcome}"}}"#
    ))
}

fn in_flight(function: &str) -> f64 {
    sample(&format!(
        r#"function_calls_in_flight{{function="{function}",module="faults"}}"#
    ))
}

/// Polls `check` for up to five seconds.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panicking_handlers_are_recorded_and_the_server_keeps_serving() {
    let addr = serve().await;
    for _ in 0..3 {
        let (async_status, sync_status, fine_status) = tokio::task::spawn_blocking(move || {
            (
                status(addr, "/explode-async"),
                status(addr, "/explode-sync"),
                status(addr, "/fine"),
            )
        })
        .await
        .unwrap();
        assert_eq!(
            (
                async_status.as_str(),
                sync_status.as_str(),
                fine_status.as_str()
            ),
            ("500", "500", "200")
        );
    }
    assert_eq!(count("explode_async", "panic"), 3.0);
    assert_eq!(count("explode_sync", "panic"), 3.0);
    assert_eq!(count("fine", "ok"), 3.0);
    for function in ["explode_async", "explode_sync", "fine"] {
        assert_eq!(in_flight(function), 0.0, "{function}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_hanging_up_mid_request_is_cancelled() {
    let addr = serve().await;
    for hang_ups in 1..=3 {
        let stream = tokio::task::spawn_blocking(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(stream, "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
            stream
        })
        .await
        .unwrap();
        eventually("the slow call to start", || in_flight("slow") == 1.0).await;
        drop(stream);
        eventually("the hang-up to cancel the call", || {
            count("slow", "cancelled") == f64::from(hang_ups)
        })
        .await;
        assert_eq!(in_flight("slow"), 0.0);
    }
    assert_eq!(count("slow", "ok"), 0.0);
}
