//! `/metrics` of an app whose own `prometheus` dependency has default
//! features, over HTTP on 127.0.0.1, in all three formats: the metrics
//! registered by hand and the attributes' families, read back.

#![allow(clippy::float_cmp)] // the values the test set, exactly

use std::net::SocketAddr;

use bizmetrics::Format;
use bizmetrics_test_prometheus_default::{app, Hand};
use prometheus::proto::{MetricFamily, MetricType};
use protobuf::CodedInputStream;

async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app()).await });
    addr
}

async fn get(addr: SocketAddr, path: &str, format: Format) -> (String, Vec<u8>) {
    let response = reqwest::Client::new()
        .get(format!("http://{addr}{path}"))
        .header("accept", format.content_type())
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (content_type, response.bytes().await.unwrap().to_vec())
}

/// The length-delimited families, decoded into the prometheus crate's
/// protobuf model: it exists only with prometheus's `protobuf` feature, so
/// this file compiling proves the build has that model.
fn families(bytes: &[u8]) -> Vec<MetricFamily> {
    let mut input = CodedInputStream::from_bytes(bytes);
    let mut families = Vec::new();
    while !input.eof().unwrap() {
        families.push(input.read_message().unwrap());
    }
    families
}

fn family<'a>(families: &'a [MetricFamily], name: &str) -> &'a MetricFamily {
    families
        .iter()
        .find(|family| family.name() == name)
        .unwrap_or_else(|| panic!("no family {name}"))
}

#[tokio::test]
async fn hand_registered_and_attribute_metrics_are_served_in_every_format() {
    bizmetrics::init().unwrap();
    let hand = Hand::register();
    hand.jobs.inc_by(3);
    hand.queue_depth.set(2.5);
    hand.wait.observe(0.25);
    let addr = serve().await;
    let (_, body) = get(addr, "/checkout", Format::Text).await;
    assert_eq!(body, b"ok");

    let (content_type, text) = get(addr, "/metrics", Format::Text).await;
    assert_eq!(content_type, Format::Text.content_type());
    let text = String::from_utf8(text).unwrap();
    for line in [
        "# TYPE hand_jobs_total counter\nhand_jobs_total 3\n",
        "# TYPE hand_queue_depth gauge\nhand_queue_depth 2.5\n",
        "hand_wait_seconds_bucket{le=\"0.1\"} 0\nhand_wait_seconds_bucket{le=\"1\"} 1\n",
        "hand_wait_seconds_bucket{le=\"+Inf\"} 1\nhand_wait_seconds_sum 0.25\nhand_wait_seconds_count 1\n",
        "user_actions_total{action_type=\"checkout\",endpoint=\"/checkout\"} 1\n",
        "function_duration_seconds_count{function=\"checkout\",module=\"bizmetrics_test_prometheus_default\",outcome=\"ok\"} 1\n",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }

    let (content_type, openmetrics) = get(addr, "/metrics", Format::OpenMetrics).await;
    assert_eq!(content_type, Format::OpenMetrics.content_type());
    let openmetrics = String::from_utf8(openmetrics).unwrap();
    for line in [
        "# TYPE hand_jobs counter\nhand_jobs_total 3\n",
        "hand_queue_depth 2.5\n",
        "hand_wait_seconds_count 1\n",
        "user_actions_total{action_type=\"checkout\",endpoint=\"/checkout\"} 1\n",
    ] {
        assert!(
            openmetrics.contains(line),
            "{line:?} missing from\n{openmetrics}"
        );
    }
    assert!(openmetrics.ends_with("# EOF\n"));

    let (content_type, protobuf) = get(addr, "/metrics", Format::Protobuf).await;
    assert_eq!(content_type, Format::Protobuf.content_type());
    let families = families(&protobuf);
    let jobs = family(&families, "hand_jobs_total");
    assert_eq!(jobs.get_field_type(), MetricType::COUNTER);
    assert_eq!(jobs.get_metric()[0].get_counter().value(), 3.0);
    let depth = family(&families, "hand_queue_depth");
    assert_eq!(depth.get_field_type(), MetricType::GAUGE);
    assert_eq!(depth.get_metric()[0].get_gauge().value(), 2.5);
    let wait = family(&families, "hand_wait_seconds").get_metric()[0].get_histogram();
    assert_eq!((wait.get_sample_count(), wait.get_sample_sum()), (1, 0.25));
    let counts: Vec<_> = (wait.get_bucket().iter())
        .map(|bucket| (bucket.upper_bound(), bucket.cumulative_count()))
        .collect();
    assert_eq!(counts[..2], [(0.1, 0), (1.0, 1)]);
    let actions = family(&families, "user_actions_total");
    let checkout = (actions.get_metric().iter())
        .find(|metric| {
            metric
                .get_label()
                .iter()
                .any(|pair| pair.value() == "checkout")
        })
        .expect("the checkout series");
    assert_eq!(checkout.get_counter().value(), 1.0);
}
