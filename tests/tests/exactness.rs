//! Exact totals under threads, and scrapes that stay sane while calls run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::sample;

#[business_metric(action = "exact", endpoint = "/exact")]
fn exact() {}

#[business_metric(action = "shared", endpoint = "/shared")]
fn shared_a() {}

#[business_metric(action = "shared", endpoint = "/shared")]
fn shared_b() {}

#[business_metric(action = "shared", endpoint = "/shared")]
fn shared_c() {}

#[timed(name = "exact_duration_seconds", buckets = [0.000_001, 0.001, 1.0])]
fn timed_exact(fail: bool) -> Result<(), ()> {
    if fail {
        Err(())
    } else {
        Ok(())
    }
}

const CALLS: u64 = 1_000_000;

#[test]
fn eight_threads_on_one_call_site_lose_nothing() {
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| (0..CALLS).for_each(|_| exact()));
        }
    });
    assert_eq!(
        sample(r#"user_actions_total{action_type="exact",endpoint="/exact"}"#),
        8e6
    );
}

#[test]
fn call_sites_sharing_a_series_add_up_exactly() {
    let sites: [fn(); 3] = [shared_a, shared_b, shared_c];
    std::thread::scope(|scope| {
        for thread in 0..6 {
            let site = sites[thread % 3];
            scope.spawn(move || (0..CALLS / 2).for_each(|_| site()));
        }
    });
    assert_eq!(
        sample(r#"user_actions_total{action_type="shared",endpoint="/shared"}"#),
        3e6
    );
}

#[test]
fn histogram_counts_are_exact_and_buckets_add_up_to_them() {
    std::thread::scope(|scope| {
        for thread in 0..4_u64 {
            scope.spawn(move || {
                for call in 0..CALLS / 4 {
                    let _ = timed_exact(call % 4 == thread % 2);
                }
            });
        }
    });
    let text = bizmetrics::render();
    let mut total = 0.0;
    for (outcome, expected) in [("ok", 750_000.0), ("error", 250_000.0)] {
        let labels = format!(r#"function="timed_exact",module="exactness",outcome="{outcome}""#);
        let count = bizmetrics_tests::sample_in(
            &text,
            &format!("exact_duration_seconds_count{{{labels}}}"),
        );
        let inf = bizmetrics_tests::sample_in(
            &text,
            &format!(r#"exact_duration_seconds_bucket{{{labels},le="+Inf"}}"#),
        );
        assert_eq!(count, expected, "{outcome}");
        assert_eq!(inf, count, "the +Inf bucket holds every observation");
        total += count;
    }
    assert_eq!(total, 1e6);
}

#[business_metric(action = "scraped", endpoint = "/scraped")]
fn scraped() {}

#[timed(name = "scraped_duration_seconds")]
fn scraped_timed() {}

/// Every sample line of an exposition, as `series -> value`, checking
/// that each line is a comment or `series value` with a number.
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in text.lines() {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# HELP ") || line.starts_with("# TYPE "),
                "unexpected comment `{line}`"
            );
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value in `{line}`"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value in `{line}`"));
        assert!(
            samples.insert(series.to_owned(), value).is_none(),
            "duplicate `{series}`"
        );
    }
    samples
}

#[test]
fn scrapes_during_calls_parse_and_never_go_backwards() {
    let done = AtomicBool::new(false);
    let scrapes = std::thread::scope(|scope| {
        let scraper = scope.spawn(|| {
            let mut previous: HashMap<String, f64> = HashMap::new();
            let mut scrapes = 0;
            while !done.load(Ordering::Relaxed) {
                let current = parse(&bizmetrics::render());
                for (series, value) in &current {
                    let monotonic = series.contains("_total")
                        || series.contains("_bucket")
                        || series.contains("_count");
                    if let (true, Some(before)) = (
                        monotonic && !series.starts_with("process_"),
                        previous.get(series),
                    ) {
                        assert!(value >= before, "{series} went from {before} to {value}");
                    }
                }
                previous = current;
                scrapes += 1;
            }
            scrapes
        });
        let callers: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..200_000 {
                        scraped();
                        scraped_timed();
                    }
                })
            })
            .collect();
        for caller in callers {
            caller.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
        scraper.join().unwrap()
    });
    assert!(scrapes > 1, "the scraper ran during the calls");
    let text = bizmetrics::render();
    let last = parse(&text);
    assert_eq!(
        last[r#"user_actions_total{action_type="scraped",endpoint="/scraped"}"#],
        600_000.0
    );
    assert_eq!(
        last[r#"scraped_duration_seconds_count{function="scraped_timed",module="exactness",outcome="ok"}"#],
        600_000.0
    );
}
