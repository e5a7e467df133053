// Functions that loop until their task is dropped, as a service has them:
// an accept loop spawning a task per connection (axum's `serve-with-hyper`
// shape), a queue consumer, a background worker. Sync and async, `()` and
// `!`, with and without `break`, with and without `?` in the inner `async`
// blocks, alone and stacked. Behaviour: `tests/tests/worker_loops.rs`.
#![deny(warnings)]

use std::time::Duration;

use bizmetrics::{business_metric, timed};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

// An accept loop with a task per connection, whose `async` block uses `?`.
#[timed]
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _remote)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            socket.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").await?;
            socket.shutdown().await?;
            Ok::<_, std::io::Error>(())
        });
    }
}

// axum's `serve-with-hyper` `serve_with_connect_info`, less hyper: a
// service made per connection, an `Infallible` unwrapped in the loop.
#[timed]
async fn serve_with_connect_info(listener: TcpListener) {
    use tower::Service;
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello!" }));
    let mut make_service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    loop {
        let (socket, remote_addr) = listener.accept().await.unwrap();
        let tower_service = unwrap_infallible(make_service.call(remote_addr).await);
        tokio::spawn(async move {
            drop((socket, tower_service));
        });
    }
}

fn unwrap_infallible<T>(result: Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(err) => match err {},
    }
}

// The same, `-> !`, stacked, and without `?` in the task.
#[business_metric(action = "accept")]
#[timed]
async fn serve_forever(listener: TcpListener) -> ! {
    loop {
        if let Ok((socket, _remote)) = listener.accept().await {
            tokio::spawn(async move { drop(socket) });
        }
    }
}

// A method on a server type, `-> !`.
struct Server {
    listener: TcpListener,
}

impl Server {
    #[timed]
    async fn run(self) -> ! {
        loop {
            let _ = self.listener.accept().await;
        }
    }
}

// A whole `impl` block with a worker loop among its methods.
struct Ticker;

#[timed]
impl Ticker {
    async fn tick_forever(&self, period: Duration) {
        let mut interval = tokio::time::interval(period);
        loop {
            interval.tick().await;
        }
    }

    fn period(&self) -> Duration {
        Duration::from_secs(1)
    }
}

// Worker loops as `#[async_trait]` methods, in both stacking orders, and
// as a native `async fn` in a trait that never returns.
#[async_trait::async_trait]
trait Worker {
    async fn work(&self, jobs: mpsc::Receiver<u32>);
    async fn idle(&self, jobs: mpsc::Receiver<u32>);
}

struct Pool;

#[async_trait::async_trait]
impl Worker for Pool {
    #[timed]
    async fn work(&self, mut jobs: mpsc::Receiver<u32>) {
        loop {
            let _ = jobs.recv().await;
        }
    }

    // A parameter the body never names: the `async fn` is kept as it is.
    async fn idle(&self, _jobs: mpsc::Receiver<u32>) {
        loop {
            tokio::task::yield_now().await;
        }
    }
}

struct Pool2;

#[timed]
#[async_trait::async_trait]
impl Worker for Pool2 {
    async fn work(&self, mut jobs: mpsc::Receiver<u32>) {
        loop {
            if jobs.recv().await.is_none() {
                break;
            }
        }
    }

    async fn idle(&self, jobs: mpsc::Receiver<u32>) {
        let _unused = jobs;
        loop {
            tokio::task::yield_now().await;
        }
    }
}

trait Daemon {
    async fn run(&self) -> !;
}

impl Daemon for Pool {
    #[business_metric(action = "daemon")]
    #[timed]
    async fn run(&self) -> ! {
        loop {
            tokio::task::yield_now().await;
        }
    }
}

// A generic worker, and one whose `!` comes through a `macro_rules!` type.
#[timed]
async fn forward<T: Send + 'static>(mut from: mpsc::Receiver<T>, to: mpsc::Sender<T>) {
    loop {
        let Some(item) = from.recv().await else {
            continue;
        };
        let _ = to.send(item).await;
    }
}

macro_rules! worker {
    ($name:ident -> $never:ty) => {
        #[timed]
        async fn $name() -> $never {
            loop {
                tokio::task::yield_now().await;
            }
        }
    };
}

worker!(spin_async -> !);

// A consumer left by `break`, stacked the other way round.
#[timed]
#[business_metric(action = "drain")]
async fn drain(mut queue: mpsc::Receiver<u32>) {
    loop {
        let Some(item) = queue.recv().await else {
            break;
        };
        tokio::spawn(async move {
            let parsed: u32 = item.to_string().parse()?;
            Ok::<_, std::num::ParseIntError>(parsed)
        });
    }
}

// A worker that returns a `Result` only when it gives up.
#[timed]
async fn poll_until_refused(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        drop(socket);
    }
}

// Synchronous loops: `()` without `break`, `()` with it, and `!`.
#[timed]
fn park_forever() {
    loop {
        std::thread::park();
    }
}

#[timed]
fn count_down(mut n: u32) {
    loop {
        if n == 0 {
            break;
        }
        n -= 1;
    }
}

#[business_metric(action = "spin")]
#[timed]
fn spin() -> ! {
    loop {
        std::thread::yield_now();
    }
}

fn main() {
    fn is_send<T: Send>(_: &T) {}
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        is_send(&serve(listener));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        is_send(&serve_with_connect_info(listener));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        is_send(&serve_forever(listener));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        is_send(&Server { listener }.run());
        let ticker = Ticker;
        is_send(&ticker.tick_forever(ticker.period()));
        let (_tx, rx) = mpsc::channel(1);
        is_send(&drain(rx));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        is_send(&poll_until_refused(listener));
        let (_tx, rx) = mpsc::channel(1);
        is_send(&Pool.work(rx));
        let (_tx, rx) = mpsc::channel(1);
        is_send(&Pool.idle(rx));
        let (_tx, rx) = mpsc::channel(1);
        is_send(&Pool2.work(rx));
        let (_tx, rx) = mpsc::channel(1);
        is_send(&Pool2.idle(rx));
        let _ = Pool.run();
        let (_tx, rx) = mpsc::channel::<String>(1);
        let (to, _out) = mpsc::channel(1);
        is_send(&forward(rx, to));
        is_send(&spin_async());
    });
    count_down(3);
    let _ = park_forever as fn();
    let _ = spin as fn() -> !;
}
