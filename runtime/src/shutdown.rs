//! Shutdown with a final scrape: on SIGTERM or Ctrl-C, business requests
//! stop, those in flight finish, and `/metrics` keeps answering until
//! Prometheus has read the last values or a grace period has passed.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::{watch, Notify};

/// How long [`Shutdown`] waits, by default, for a scrape after the last
/// request: a third over [`crate::DEFAULT_SCRAPE_INTERVAL`], so that the
/// next scrape, which comes at most one interval later, has time to run.
///
/// It is longer than `docker stop`'s 10 s: give the container a longer
/// `stop_grace_period`. Kubernetes waits 30 s by default.
pub const DEFAULT_GRACE: Duration =
    Duration::from_secs(crate::DEFAULT_SCRAPE_INTERVAL.as_secs() * 4 / 3);

/// The path [`crate::axum::router`] serves, which [`ShutdownLayer`] lets
/// through while it turns business requests away.
const METRICS_PATH: &str = "/metrics";

/// A graceful shutdown that keeps the last interval's counts: after the
/// signal, business requests get `503`, the ones in flight finish, and
/// `/metrics` answers until a scrape that started after them has read the
/// final values, or the [grace period](Shutdown::grace) has passed.
///
/// With `/metrics` on the app's own port, it is one line around
/// `axum::serve`: the layer turns business requests away, and the server
/// stops once the final scrape is read.
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use bizmetrics::axum::Shutdown;
///
/// # async fn run() -> std::io::Result<()> {
/// let shutdown = Shutdown::on_signals(); // Ctrl-C, and SIGTERM on Unix
/// let app = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .merge(bizmetrics::axum::router());
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app.layer(shutdown.layer())).with_graceful_shutdown(shutdown.final_scrape()).await
/// # }
/// ```
///
/// With `/metrics` on a port of its own, the app's port stops accepting at
/// once ([`Shutdown::triggered`]), and the metrics port waits for the
/// final scrape:
///
/// ```no_run
/// use axum::{routing::get, Router};
/// use bizmetrics::axum::Shutdown;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let shutdown = Shutdown::on_signals();
/// let until = shutdown.final_scrape();
/// let metrics = tokio::spawn(bizmetrics::axum::serve_until(bizmetrics::axum::DEFAULT_ADDR, until));
/// let app = Router::new().route("/", get(|| async { "hello" }));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app.layer(shutdown.layer())).with_graceful_shutdown(shutdown.triggered()).await?;
/// metrics.await??;
/// # Ok(()) }
/// ```
///
/// A second signal during the grace period exits the process at once, with
/// the status a shell gives that signal (130 for Ctrl-C, 143 for SIGTERM).
///
/// What it cannot keep: a process killed outright (SIGKILL, the OOM
/// killer, a crash) loses what it counted since the last scrape; and when
/// no scrape comes within the grace period, the last interval is lost too.
///
/// The final scrape is the first one through [`crate::axum::metrics`]
/// (so [`crate::axum::router`], [`crate::axum::router_with_auth`], [`crate::serve`]
/// or [`crate::axum::serve_until`]) that starts after the last business
/// request has finished; any scraper's, if several scrape.
#[derive(Debug, Clone)]
pub struct Shutdown {
    state: Arc<State>,
    grace: Duration,
}

/// What every clone of a [`Shutdown`], its layers and futures share.
#[derive(Debug)]
struct State {
    phase: watch::Sender<Phase>,
    /// Set with the first trigger, before `phase` changes, and read by
    /// each request.
    draining: AtomicBool,
    in_flight: AtomicUsize,
    /// When the latest request in flight at the trigger, or sent since,
    /// finished.
    last_exit: Mutex<Option<Instant>>,
    /// Woken when `in_flight` drops to zero.
    idle: Notify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Serving,
    /// Since the first trigger, at that instant.
    Draining(Instant),
    /// A second trigger: stop waiting.
    Forced,
}

impl Shutdown {
    /// A shutdown triggered by Ctrl-C, and by SIGTERM on Unix (as `kill`,
    /// `docker stop`, systemd and Kubernetes send it). A second one during
    /// the grace period exits the process at once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let shutdown = bizmetrics::axum::Shutdown::on_signals();
    /// assert!(!shutdown.is_triggered());
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime: it spawns the task that waits for the signals.
    pub fn on_signals() -> Shutdown {
        let shutdown = Shutdown::manual();
        let state = Arc::clone(&shutdown.state);
        tokio::spawn(async move {
            let mut terminate = terminate_signal();
            loop {
                let status = tokio::select! {
                    Ok(()) = tokio::signal::ctrl_c() => 130,
                    Some(()) = recv(&mut terminate) => 143,
                    else => return,
                };
                if state.trigger() {
                    std::process::exit(status);
                }
            }
        });
        shutdown
    }

    /// A shutdown triggered by [`Shutdown::trigger`] alone: for an app that
    /// handles its signals itself, and for tests.
    ///
    /// ```
    /// let shutdown = bizmetrics::axum::Shutdown::manual();
    /// assert!(!shutdown.is_triggered());
    /// shutdown.trigger();
    /// assert!(shutdown.is_triggered());
    /// ```
    pub fn manual() -> Shutdown {
        Shutdown {
            state: Arc::new(State {
                phase: watch::Sender::new(Phase::Serving),
                draining: AtomicBool::new(false),
                in_flight: AtomicUsize::new(0),
                last_exit: Mutex::new(None),
                idle: Notify::new(),
            }),
            grace: DEFAULT_GRACE,
        }
    }

    /// How long after the trigger [`Shutdown::final_scrape`] waits at most.
    /// Default [`DEFAULT_GRACE`]; `Duration::ZERO` stops at the trigger,
    /// as a plain graceful shutdown does.
    ///
    /// ```
    /// use std::time::Duration;
    /// let shutdown = bizmetrics::axum::Shutdown::manual().grace(Duration::from_secs(5));
    /// assert_eq!(shutdown.grace_period(), Duration::from_secs(5));
    /// ```
    #[must_use]
    pub fn grace(mut self, grace: Duration) -> Shutdown {
        self.grace = grace;
        self
    }

    /// The grace period set with [`Shutdown::grace`].
    pub fn grace_period(&self) -> Duration {
        self.grace
    }

    /// Starts the shutdown; called again, ends the wait at once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let shutdown = bizmetrics::axum::Shutdown::manual(); // a 20 s grace
    /// let stopped = tokio::spawn(shutdown.final_scrape());
    /// shutdown.trigger();
    /// shutdown.trigger();
    /// tokio::time::timeout(std::time::Duration::from_secs(1), stopped).await.unwrap().unwrap();
    /// # }
    /// ```
    pub fn trigger(&self) {
        self.state.trigger();
    }

    /// Whether the shutdown has been triggered; see [`Shutdown::manual`].
    pub fn is_triggered(&self) -> bool {
        self.state.draining.load(SeqCst)
    }

    /// A layer that counts the requests in flight and, once triggered,
    /// answers `503` with `Connection: close` to any but `GET /metrics`.
    /// Apply it last, outside every other layer, so that their recording
    /// is done when a request stops counting.
    ///
    /// ```
    /// use axum::{routing::get, Router};
    ///
    /// let shutdown = bizmetrics::axum::Shutdown::manual();
    /// let app: Router = Router::new()
    ///     .route("/", get(|| async { "hello" }))
    ///     .merge(bizmetrics::axum::router())
    ///     .layer(bizmetrics::axum::HttpMetricsLayer::new())
    ///     .layer(shutdown.layer());
    /// ```
    pub fn layer(&self) -> ShutdownLayer {
        ShutdownLayer {
            state: Arc::clone(&self.state),
        }
    }

    /// For `with_graceful_shutdown` of the server that serves `/metrics`:
    /// completes when a scrape that started after the last business
    /// request finished has been read, when the grace period has passed
    /// since the trigger, or at a second trigger.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    ///
    /// let shutdown = bizmetrics::axum::Shutdown::manual().grace(Duration::from_secs(60));
    /// let stopped = tokio::spawn(shutdown.final_scrape());
    /// shutdown.trigger();
    /// bizmetrics::axum::metrics(Default::default()).await; // a scrape
    /// tokio::time::timeout(Duration::from_secs(5), stopped).await.unwrap().unwrap();
    /// # }
    /// ```
    pub fn final_scrape(&self) -> impl Future<Output = ()> + Send + 'static {
        let (state, grace) = (Arc::clone(&self.state), self.grace);
        async move {
            let Phase::Draining(since) = state.stopped().await else {
                return;
            };
            let deadline = since.checked_add(grace).map(tokio::time::Instant::from_std);
            let grace_over = async {
                match deadline {
                    Some(deadline) => tokio::time::sleep_until(deadline).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = grace_over => {}
                () = state.forced() => {}
                () = async {
                    let drained = state.drained(since).await;
                    scraped_since(drained).await;
                } => {}
            }
        }
    }

    /// For `with_graceful_shutdown` of a server that does not serve
    /// `/metrics`: completes at the trigger, so that the server stops
    /// accepting and lets the requests in flight finish.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let shutdown = bizmetrics::axum::Shutdown::manual();
    /// let stopped = tokio::spawn(shutdown.triggered());
    /// shutdown.trigger();
    /// tokio::time::timeout(std::time::Duration::from_secs(1), stopped).await.unwrap().unwrap();
    /// # }
    /// ```
    pub fn triggered(&self) -> impl Future<Output = ()> + Send + 'static {
        let state = Arc::clone(&self.state);
        async move {
            state.stopped().await;
        }
    }
}

impl State {
    /// Moves to the next phase; returns whether this forced the end.
    fn trigger(&self) -> bool {
        // Before the phase changes: whoever sees the new phase then sees
        // every request that entered before it counted.
        self.draining.store(true, SeqCst);
        let mut forced = false;
        self.phase.send_modify(|phase| {
            *phase = match *phase {
                Phase::Serving => Phase::Draining(Instant::now()),
                Phase::Draining(_) | Phase::Forced => {
                    forced = true;
                    Phase::Forced
                }
            };
        });
        forced
    }

    /// Waits for the first trigger, and returns the phase then.
    async fn stopped(&self) -> Phase {
        let mut phase = self.phase.subscribe();
        // The sender lives in `self`, so the channel never closes.
        phase
            .wait_for(|phase| *phase != Phase::Serving)
            .await
            .map_or(Phase::Forced, |phase| *phase)
    }

    async fn forced(&self) {
        let mut phase = self.phase.subscribe();
        let _ = phase.wait_for(|phase| *phase == Phase::Forced).await;
    }

    /// Waits until no request is in flight after the trigger at `since`,
    /// and returns when the last one finished: `since` if none was.
    async fn drained(&self, since: Instant) -> Instant {
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            // Registered before the count is read, so no wake-up is missed.
            idle.as_mut().enable();
            if self.in_flight.load(SeqCst) == 0 {
                let last_exit = *self
                    .last_exit
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                return last_exit.map_or(since, |exit| exit.max(since));
            }
            idle.await;
        }
    }
}

/// The start of the latest scrape that has read every value.
static LAST_SCRAPE: LazyLock<watch::Sender<Option<Instant>>> =
    LazyLock::new(|| watch::Sender::new(None));

/// Notes that a scrape which started at `started` has read every value.
pub(crate) fn scraped(started: Instant) {
    LAST_SCRAPE.send_if_modified(|last| {
        let later = last.is_none_or(|last| last < started);
        if later {
            *last = Some(started);
        }
        later
    });
}

/// Waits for a scrape that started at or after `instant` to be read.
async fn scraped_since(instant: Instant) {
    let mut last = LAST_SCRAPE.subscribe();
    let _ = last
        .wait_for(|last| last.is_some_and(|started| started >= instant))
        .await;
}

/// SIGTERM's stream, where there is one.
#[cfg(unix)]
fn terminate_signal() -> Option<tokio::signal::unix::Signal> {
    use tokio::signal::unix::{signal, SignalKind};
    signal(SignalKind::terminate()).ok()
}

#[cfg(not(unix))]
fn terminate_signal() -> Option<std::convert::Infallible> {
    None
}

#[cfg(unix)]
async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
    match signal {
        Some(signal) => signal.recv().await,
        None => None,
    }
}

#[cfg(not(unix))]
async fn recv(_: &mut Option<std::convert::Infallible>) -> Option<()> {
    None
}

/// The layer of [`Shutdown::layer`].
#[derive(Debug, Clone)]
pub struct ShutdownLayer {
    state: Arc<State>,
}

impl<S> tower_layer::Layer<S> for ShutdownLayer {
    type Service = ShutdownService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ShutdownService {
            inner,
            state: Arc::clone(&self.state),
        }
    }
}

/// The service [`ShutdownLayer`] wraps around the app.
#[derive(Debug, Clone)]
pub struct ShutdownService<S> {
    inner: S,
    state: Arc<State>,
}

/// One request in flight, counted until dropped.
struct InFlight(Arc<State>);

impl InFlight {
    fn enter(state: &Arc<State>) -> InFlight {
        state.in_flight.fetch_add(1, SeqCst);
        InFlight(Arc::clone(state))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // Noted before the count drops, so that whoever sees it at zero
        // sees this exit. Before the trigger, the trigger's instant is
        // later than the exit, and serves.
        if self.0.draining.load(SeqCst) {
            let now = Instant::now();
            let mut last = self
                .0
                .last_exit
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            *last = Some(last.map_or(now, |last| last.max(now)));
        }
        if self.0.in_flight.fetch_sub(1, SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl<S> tower_service::Service<Request> for ShutdownService<S>
where
    S: tower_service::Service<Request, Response = Response>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.uri().path() == METRICS_PATH {
            return Box::pin(self.inner.call(request));
        }
        // Counted before the flag is read: a trigger in between then
        // waits for this request, or the request sees the flag.
        let in_flight = InFlight::enter(&self.state);
        if self.state.draining.load(SeqCst) {
            drop(in_flight);
            let refused = (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONNECTION, "close")],
                "shutting down\n",
            );
            return Box::pin(std::future::ready(Ok(refused.into_response())));
        }
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await;
            drop(in_flight);
            response
        })
    }
}
