//! Functions that loop until their task is dropped: an accept loop, a queue
//! consumer, a background worker. They compile under the attributes, and
//! record the way they end: `cancelled` when their task is dropped, `panic`
//! when the loop panics, `ok` when a `break` leaves it. Compile-only
//! counterpart: `tests/ui/pass/shape_worker_loops.rs`.

use std::num::ParseIntError;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::actions;
use tokio::sync::mpsc;

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `worker` as a task until it has been polled and has taken every
/// item `feed` sent, then aborts it and waits until the task is gone.
fn run_then_abort<F>(worker: impl FnOnce(mpsc::Receiver<String>) -> F, feed: &[&str])
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    runtime().block_on(async {
        let (tx, rx) = mpsc::channel(16);
        let task = tokio::spawn(worker(rx));
        for item in feed {
            tx.send((*item).to_owned())
                .await
                .expect("the worker is running");
        }
        // Sent and taken: the channel has room for every item again. And
        // polled at least once, even with nothing to take: a future
        // dropped before its first poll never started, and records nothing.
        tokio::task::yield_now().await;
        while tx.capacity() < 16 {
            tokio::task::yield_now().await;
        }
        task.abort();
        match task.await {
            Err(ended) => assert!(ended.is_cancelled(), "{ended}"),
            Ok(_) => panic!("the worker returned; it should only loop"),
        }
    });
}

// An accept loop: `async fn` returning `()`, with no `break`.
#[timed]
async fn accept_loop(mut connections: mpsc::Receiver<String>) {
    loop {
        let connection = connections.recv().await;
        tokio::task::yield_now().await;
        drop(connection);
    }
}

// The same loop, declared `-> !`.
#[timed]
async fn accept_forever(mut connections: mpsc::Receiver<String>) -> ! {
    loop {
        let _ = connections.recv().await;
    }
}

// A queue consumer stacked with `#[business_metric]`, spawning a task per
// item, whose inner `async` block uses `?`.
#[business_metric(action = "consume", endpoint = "/queue")]
#[timed]
async fn consume(mut queue: mpsc::Receiver<String>, parsed: std_mpsc::Sender<u32>) {
    loop {
        let Some(item) = queue.recv().await else {
            continue;
        };
        let parsed = parsed.clone();
        tokio::spawn(async move {
            let n: u32 = item.parse()?;
            parsed.send(n).expect("the test is listening");
            Ok::<_, ParseIntError>(())
        });
    }
}

// The `-> !` consumer stacked, spawning tasks without `?`.
#[business_metric(action = "consume_forever", endpoint = "/queue")]
#[timed]
async fn consume_forever(mut queue: mpsc::Receiver<String>) -> ! {
    loop {
        if let Some(item) = queue.recv().await {
            tokio::spawn(async move { item.len() });
        }
    }
}

// A parameter the body never names keeps the `async fn` as it is, not
// desugared: the other expansion of an `async fn`.
#[timed]
async fn keep_alive(_connections: mpsc::Receiver<String>) {
    loop {
        tokio::task::yield_now().await;
    }
}

// A worker loop as an `#[async_trait]` method.
#[async_trait::async_trait]
trait Consumer {
    async fn take_all(&self, queue: mpsc::Receiver<String>);
}

struct Queue;

#[async_trait::async_trait]
impl Consumer for Queue {
    #[timed]
    async fn take_all(&self, mut queue: mpsc::Receiver<String>) {
        loop {
            let _ = queue.recv().await;
        }
    }
}

// A worker that stops on a poison item by panicking.
#[timed]
async fn worker_until_poison(mut jobs: mpsc::Receiver<String>) {
    loop {
        let job = jobs.recv().await.unwrap_or_default();
        assert_ne!(job, "poison", "a poison job");
    }
}

// The same, declared `-> !`.
#[timed]
async fn worker_forever_until_poison(mut jobs: mpsc::Receiver<String>) -> ! {
    loop {
        let job = jobs.recv().await.unwrap_or_default();
        assert_ne!(job, "poison", "a poison job");
    }
}

// A drain loop left by `break` when the channel closes.
#[timed]
async fn drain(mut jobs: mpsc::Receiver<String>) {
    loop {
        if jobs.recv().await.is_none() {
            break;
        }
    }
}

// A synchronous worker on a thread, left by `break` or a panic.
#[timed]
fn sync_worker(jobs: &std_mpsc::Receiver<u32>) {
    loop {
        match jobs.recv() {
            Ok(0) => panic!("job 0 is poison"),
            Ok(_) => {}
            Err(std_mpsc::RecvError) => break,
        }
    }
}

// A synchronous `()` worker with no `break`, left only by a panic.
#[timed]
fn sync_worker_without_break(jobs: &std_mpsc::Receiver<u32>) {
    loop {
        let job = jobs.recv().unwrap_or(0);
        assert_ne!(job, 0, "job 0 is poison");
    }
}

// A synchronous `-> !` worker, left only by a panic.
#[timed]
fn sync_worker_forever(jobs: &std_mpsc::Receiver<u32>) -> ! {
    loop {
        let job = jobs.recv().unwrap_or(0);
        assert_ne!(job, 0, "job 0 is poison");
    }
}

#[test]
fn an_accept_loop_records_cancelled_when_its_task_is_dropped() {
    run_then_abort(accept_loop, &["a", "b"]);
    run_then_abort(accept_forever, &["a"]);
    assert_eq!(outcomes("accept_loop"), [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(outcomes("accept_forever"), [0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn kept_async_fns_and_async_trait_methods_record_cancelled_too() {
    run_then_abort(keep_alive, &[]);
    run_then_abort(|queue| async move { Queue.take_all(queue).await }, &["a"]);
    assert_eq!(outcomes("keep_alive"), [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(outcomes("take_all"), [0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn a_stacked_consumer_counts_once_spawns_its_tasks_and_records_cancelled() {
    let (parsed, results) = std_mpsc::channel();
    run_then_abort(|queue| consume(queue, parsed), &["1", "x", "3"]);
    let mut seen: Vec<u32> = results.iter().collect();
    seen.sort_unstable();
    assert_eq!(seen, [1, 3], "each item's task ran; `x` stopped at its `?`");
    assert_eq!(outcomes("consume"), [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(actions("consume", "/queue"), 1.0, "one call, many items");

    run_then_abort(consume_forever, &["a", "b"]);
    assert_eq!(outcomes("consume_forever"), [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(actions("consume_forever", "/queue"), 1.0);
}

#[test]
fn a_worker_that_panics_records_panic_not_cancelled() {
    for worker in [
        |jobs| tokio::spawn(worker_until_poison(jobs)),
        |jobs| {
            tokio::spawn(async move {
                worker_forever_until_poison(jobs).await;
            })
        },
    ] {
        runtime().block_on(async {
            let (tx, rx) = mpsc::channel(4);
            let task = worker(rx);
            tx.send("fine".to_owned()).await.expect("running");
            tx.send("poison".to_owned()).await.expect("running");
            let ended = tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("the poison job ends the worker")
                .expect_err("it panicked");
            assert!(ended.is_panic(), "{ended}");
        });
    }
    assert_eq!(outcomes("worker_until_poison"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(
        outcomes("worker_forever_until_poison"),
        [0.0, 0.0, 1.0, 0.0]
    );
}

#[test]
fn a_loop_left_by_break_records_ok() {
    runtime().block_on(async {
        let (tx, rx) = mpsc::channel(4);
        let task = tokio::spawn(drain(rx));
        tx.send("one".to_owned()).await.expect("running");
        drop(tx);
        task.await.expect("the channel closed, so the loop breaks");
    });
    assert_eq!(outcomes("drain"), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn synchronous_workers_record_break_as_ok_and_a_panic_as_panic() {
    let (tx, rx) = std_mpsc::channel();
    let stopped = std::thread::spawn(move || sync_worker(&rx));
    tx.send(1).expect("running");
    drop(tx);
    stopped.join().expect("left by `break`");

    let (tx, rx) = std_mpsc::channel();
    let poisoned = std::thread::spawn(move || sync_worker(&rx));
    tx.send(0).expect("running");
    assert!(poisoned.join().is_err());

    let (tx, rx) = std_mpsc::channel();
    let unbroken = std::thread::spawn(move || sync_worker_without_break(&rx));
    tx.send(7).expect("running");
    tx.send(0).expect("running");
    assert!(unbroken.join().is_err());

    let (tx, rx) = std_mpsc::channel();
    let forever = std::thread::spawn(move || sync_worker_forever(&rx));
    tx.send(7).expect("running");
    tx.send(0).expect("running");
    assert!(forever.join().is_err());

    assert_eq!(outcomes("sync_worker"), [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("sync_worker_without_break"), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("sync_worker_forever"), [0.0, 0.0, 1.0, 0.0]);
}
