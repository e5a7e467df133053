//! The smallest useful bizmetrics app: one annotated axum handler, with
//! `/metrics` on the same port.
//!
//! ```text
//! cargo run --example quickstart
//! curl localhost:3000/hello
//! curl localhost:3000/metrics
//! ```

use axum::{routing::get, Router};
use bizmetrics::{business_metric, timed};

#[business_metric(action = "greet", endpoint = "/hello")]
#[timed]
async fn hello() -> &'static str {
    "Hello, world!\n"
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    bizmetrics::init()?;

    let app = Router::new()
        .route("/hello", get(hello))
        .merge(bizmetrics::axum::router());

    let addr = std::env::var("BIZMETRICS_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{addr}: try /hello, then /metrics");
    axum::serve(listener, app).await?;
    Ok(())
}
