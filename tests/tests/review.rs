//! Review of the re-expanded attributes (909d6b8..HEAD): behaviour that the
//! change claims, probed where the shape tests in `shapes.rs` do not reach.
//!
//! Tests named `bug_*` fail at the reviewed commit and describe what should
//! happen instead; the others pin down behaviour that was probed and found
//! correct.

use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use bizmetrics::{business_metric, timed, LabelValue};
use bizmetrics_tests::sample;

fn count(function: &str, outcome: &str) -> f64 {
    sample(&format!(
        r#"function_duration_seconds_count{{function="{function}",module="review",outcome="{outcome}"}}"#
    ))
}

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    ["ok", "error", "panic", "cancelled"].map(|outcome| count(function, outcome))
}

fn actions(action: &str, endpoint: &str) -> f64 {
    sample(&format!(
        r#"user_actions_total{{action_type="{action}",endpoint="{endpoint}"}}"#
    ))
}

/// Polls `future` once.
fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

/// Polls `future` to completion on this thread.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = poll_once(future.as_mut()) {
            return output;
        }
    }
}

/// Pending on its first poll, ready on the second.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

fn yield_once() -> YieldOnce {
    YieldOnce(false)
}

// ---------------------------------------------------------------------------
// A `#[business_metric]` label named `outcome`.
//
// `expand.rs` `dimensions()` replaces *any* dimension named `outcome` with the
// runtime's `OUTCOME` constant (4 values: ok, error, panic, cancelled), not
// only the histogram's own. `outcome` is not one of `#[business_metric]`'s
// reserved labels, so the user's enum is exported as the wrong values, and
// the catalog reads 4 cells where the call site laid out 2: the other 2
// are the first buckets of the fused histogram.

#[derive(Clone, Copy, LabelValue)]
enum Payment {
    Paid,
    Declined,
}

#[business_metric(
    action = "review_checkout",
    endpoint = "/review/checkout",
    name = "review_checkouts_total",
    labels(outcome = payment)
)]
#[timed(name = "review_checkout_seconds")]
fn review_checkout(payment: Payment) {
    let _ = payment;
}

#[test]
fn a_business_metric_label_named_outcome_keeps_its_own_values() {
    review_checkout(Payment::Paid);
    review_checkout(Payment::Paid);
    review_checkout(Payment::Declined);
    let series = |value: &str| {
        sample(&format!(
            r#"review_checkouts_total{{action_type="review_checkout",endpoint="/review/checkout",outcome="{value}"}}"#
        ))
    };
    assert_eq!(series("paid"), 2.0);
    assert_eq!(series("declined"), 1.0);
    assert_eq!(
        sample(
            r#"review_checkout_seconds_count{function="review_checkout",module="review",outcome="ok"}"#
        ),
        3.0
    );
}

// ---------------------------------------------------------------------------
// `panic` is decided by `std::thread::panicking()` at drop time
// (runtime/src/call.rs `Drop for Call`), so a call that *returns normally*
// while some other panic unwinds is recorded as a panic.

#[timed]
fn review_cleanup() {}

struct CallsCleanupOnDrop;

impl Drop for CallsCleanupOnDrop {
    fn drop(&mut self) {
        review_cleanup();
    }
}

#[test]
fn a_timed_call_made_from_a_destructor_during_unwinding_is_ok() {
    let unwound = catch_unwind(|| {
        let _guard = CallsCleanupOnDrop;
        panic!("an unrelated panic");
    });
    assert!(unwound.is_err());
    // `review_cleanup` itself returned normally.
    assert_eq!(outcomes("review_cleanup"), [1.0, 0.0, 0.0, 0.0]);
}

#[timed]
async fn review_waits_once() {
    yield_once().await;
}

#[test]
fn a_started_future_dropped_by_another_panic_is_cancelled() {
    let mut future = Box::pin(review_waits_once());
    assert!(poll_once(future.as_mut()).is_pending());
    let unwound = catch_unwind(AssertUnwindSafe(move || {
        let _owned_here = future;
        panic!("a sibling task panicked");
    }));
    assert!(unwound.is_err());
    // Its own body never panicked: it was dropped mid-flight.
    assert_eq!(outcomes("review_waits_once"), [0.0, 0.0, 0.0, 1.0]);
}

// ---------------------------------------------------------------------------
// A panic in the synchronous part of a function that returns a future: no
// call is started before the future is built (`expand.rs`
// `returned_future`), so the panic is recorded nowhere, while the same
// panic in a plain sync `#[timed]` function is recorded as `panic`.

#[timed]
fn review_build_then_run(id: u32) -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    assert!(id != 0, "id 0 is reserved");
    Box::pin(async move { Ok(id) })
}

#[test]
fn a_panic_while_building_a_returned_future_is_recorded() {
    assert_eq!(block_on(review_build_then_run(1)), Ok(1));
    assert!(catch_unwind(|| review_build_then_run(0)).is_err());
    assert_eq!(outcomes("review_build_then_run"), [1.0, 0.0, 1.0, 0.0]);
}

// ---------------------------------------------------------------------------
// A `Result` behind a qualified associated type: `may_be_result` treats any
// `Type::Path` with a `qself` as plainly not a `Result`, so the body runs in
// place and every call is `ok`, though `Self::Out`-style paths are judged.

trait Reply {
    type Out;
}

struct JsonReply;

impl Reply for JsonReply {
    type Out = Result<u32, String>;
}

#[timed]
fn review_qualified(fail: bool) -> <JsonReply as Reply>::Out {
    if fail {
        Err("bad".to_owned())
    } else {
        Ok(1)
    }
}

#[test]
fn a_result_behind_a_qualified_path_records_its_errors() {
    assert!(review_qualified(true).is_err());
    assert!(review_qualified(false).is_ok());
    assert_eq!(outcomes("review_qualified"), [1.0, 1.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Two trait impls of one type with a same-named method: both are labelled
// `Type::method`, so `Display::fmt` and `Debug::fmt` share (and sum into) one
// series, the collision the `Type::method` label was meant to end.

struct Money(u32);

#[timed]
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}", self.0)
    }
}

#[timed]
impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

#[test]
fn same_named_methods_of_two_trait_impls_keep_separate_series() {
    assert_eq!(Money(1).to_string(), "$1");
    assert_eq!(Money(2).to_string(), "$2");
    assert_eq!(format!("{:?}", Money(3)), "Money(3)");
    let text = bizmetrics::render();
    let mut counts: Vec<f64> = text
        .lines()
        .filter(|line| {
            line.starts_with("function_duration_seconds_count{")
                && line.contains("Money")
                && line.contains("fmt")
                && line.contains(r#"outcome="ok""#)
        })
        .map(|line| line.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    counts.sort_by(f64::total_cmp);
    assert_eq!(
        counts,
        [1.0, 2.0],
        "Display::fmt (2 calls) and Debug::fmt (1 call) are one series"
    );
}

// ---------------------------------------------------------------------------
// `impl dyn Trait`: the `function` label is built from the type's tokens
// with spaces removed, giving `dynGreeter::greet`.

trait Greeter {
    fn name(&self) -> &'static str;
}

struct English;

impl Greeter for English {
    fn name(&self) -> &'static str {
        "en"
    }
}

#[timed]
impl dyn Greeter {
    fn greet(&self) -> String {
        format!("hello from {}", self.name())
    }
}

#[test]
fn an_impl_of_a_trait_object_is_labelled_readably() {
    let greeter: &dyn Greeter = &English;
    assert_eq!(greeter.greet(), "hello from en");
    let text = bizmetrics::render();
    assert!(
        !text.contains("dynGreeter"),
        "function label glues `dyn` to the trait name:\n{}",
        text.lines()
            .filter(|line| line.contains("Greeter") && line.contains("_count{"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------
// The desugared `async fn` (`fn -> impl Future`): parameters are kept alive by
// `let _ = &param;` in the future, and dropped as captures of the `async
// move` block when it completes. An `async fn` drops its parameters in
// reverse order, like any function; the desugared one in declaration order.

static DROPS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Appends its name to [`DROPS`] when dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        DROPS.lock().unwrap().push(self.0);
    }
}

fn drops_of(prefix: &str) -> Vec<&'static str> {
    DROPS
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|name| name.starts_with(prefix))
        .collect()
}

async fn plain_guards(_first: Noisy, _second: Noisy) {
    yield_once().await;
}

#[timed]
async fn review_timed_guards(_first: Noisy, _second: Noisy) {
    yield_once().await;
}

#[test]
fn a_desugared_async_fn_drops_its_parameters_in_async_fn_order() {
    block_on(plain_guards(Noisy("plain.first"), Noisy("plain.second")));
    block_on(review_timed_guards(
        Noisy("timed.first"),
        Noisy("timed.second"),
    ));
    let plain: Vec<_> = drops_of("plain.")
        .iter()
        .map(|n| n.trim_start_matches("plain."))
        .collect();
    let timed: Vec<_> = drops_of("timed.")
        .iter()
        .map(|n| n.trim_start_matches("timed."))
        .collect();
    assert_eq!(
        timed, plain,
        "#[timed] changed the drop order of an async fn's parameters"
    );
}

#[timed]
async fn review_guarded(_guard: Noisy, _: Noisy, mut n: u32) -> u32 {
    yield_once().await;
    n += 1;
    n
}

#[test]
fn a_desugared_async_fn_keeps_its_guards_until_the_future_completes() {
    let future = review_guarded(Noisy("keep.named"), Noisy("keep.wild"), 1);
    assert!(drops_of("keep.").is_empty(), "dropped at the call");
    assert_eq!(block_on(future), 2);
    let mut dropped = drops_of("keep.");
    dropped.sort_unstable();
    assert_eq!(dropped, ["keep.named", "keep.wild"]);

    // Dropped before its first poll: the guards go, and nothing is recorded.
    drop(review_guarded(Noisy("never.named"), Noisy("never.wild"), 1));
    assert_eq!(drops_of("never.").len(), 2);
    assert_eq!(outcomes("review_guarded"), [1.0, 0.0, 0.0, 0.0]);
}

struct Pair {
    left: Noisy,
    /// Only ever dropped.
    #[allow(dead_code)]
    right: Noisy,
}

#[timed]
async fn review_destructured(Pair { left, right: _ }: Pair, (a, _b): (u32, u32)) -> u32 {
    yield_once().await;
    drop(left);
    a
}

#[test]
fn a_destructured_parameter_drops_only_its_unbound_fields_at_the_call() {
    // README "Limits" says so: the unbound `right` goes at the call.
    let future = review_destructured(
        Pair {
            left: Noisy("pair.left"),
            right: Noisy("pair.right"),
        },
        (4, 5),
    );
    assert_eq!(drops_of("pair."), ["pair.right"]);
    assert_eq!(block_on(future), 4);
    assert_eq!(drops_of("pair."), ["pair.right", "pair.left"]);
}

// From the brief: an `async fn` that calls itself through `Box::pin`.
#[timed]
async fn review_factorial(n: u64) -> u64 {
    if n == 0 {
        return 1;
    }
    n * Box::pin(review_factorial(n - 1)).await
}

// From the brief: an `async fn` returning a borrow of an argument.
#[timed]
async fn review_longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    yield_once().await;
    if a.len() >= b.len() {
        a
    } else {
        b
    }
}

#[test]
fn recursive_and_borrowing_async_fns_record_each_call() {
    assert_eq!(block_on(review_factorial(4)), 24);
    assert_eq!(outcomes("review_factorial"), [5.0, 0.0, 0.0, 0.0]);
    let (a, b) = (String::from("abc"), String::from("de"));
    assert_eq!(block_on(review_longest(&a, &b)), "abc");
    assert_eq!(outcomes("review_longest"), [1.0, 0.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Fusion: labels on both attributes, each with its own dimension, in both
// orders and with another attribute between them. Each metric's series
// index is its own attribute's.

#[derive(Clone, Copy, LabelValue)]
enum Tier {
    Free,
    Pro,
    Team,
}

#[derive(Clone, Copy, LabelValue)]
enum Region {
    Eu,
    Us,
}

#[derive(Clone, Copy, Debug, LabelValue)]
enum SubError {
    Card,
    Limit,
}

#[business_metric(
    action = "review_subscribe",
    endpoint = "/subscribe",
    name = "review_subscriptions_total",
    labels(tier = tier),
    count = "ok"
)]
#[inline]
#[timed(
    name = "review_subscribe_seconds",
    labels(region = region),
    errors(name = "review_subscribe_errors_total", kind = SubError),
    in_flight = "review_subscribe_in_flight",
    slow(after = "1h", name = "review_subscribe_slow_total")
)]
fn review_subscribe(tier: Tier, region: Region, fail: Option<SubError>) -> Result<(), SubError> {
    match fail {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

#[bizmetrics::timed(
    name = "review_renew_seconds",
    labels(region = region),
    errors(name = "review_renew_errors_total", kind = SubError)
)]
#[bizmetrics::business_metric(
    action = "review_renew",
    endpoint = "/renew",
    name = "review_renewals_total",
    labels(tier = tier),
    count = "ok"
)]
async fn review_renew(tier: Tier, region: Region, fail: Option<SubError>) -> Result<(), SubError> {
    yield_once().await;
    match fail {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

fn by_tier(metric: &str, action: &str, endpoint: &str, tier: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{action_type="{action}",endpoint="{endpoint}",tier="{tier}"}}"#
    ))
}

fn by_region(metric: &str, function: &str, region: &str, outcome: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{function="{function}",module="review",outcome="{outcome}",region="{region}"}}"#
    ))
}

fn errors_by(metric: &str, function: &str, kind: &str, region: &str) -> f64 {
    sample(&format!(
        r#"{metric}{{function="{function}",kind="{kind}",module="review",region="{region}"}}"#
    ))
}

#[test]
fn fused_labels_on_both_attributes_keep_independent_series() {
    use Region::{Eu, Us};
    use SubError::{Card, Limit};
    use Tier::{Free, Pro, Team};
    let calls = [
        (Pro, Us, None),
        (Pro, Eu, Some(Card)),
        (Team, Us, None),
        (Team, Us, Some(Limit)),
        (Team, Eu, None),
        (Free, Eu, Some(Limit)),
    ];
    for (tier, region, fail) in calls {
        let _ = review_subscribe(tier, region, fail);
        let _ = block_on(review_renew(tier, region, fail));
    }

    // The counter, by tier, `count = "ok"` on the sync and the async fn.
    let subs = |tier| {
        by_tier(
            "review_subscriptions_total",
            "review_subscribe",
            "/subscribe",
            tier,
        )
    };
    assert_eq!([subs("free"), subs("pro"), subs("team")], [0.0, 1.0, 2.0]);
    let renewals = |tier| by_tier("review_renewals_total", "review_renew", "/renew", tier);
    assert_eq!(
        [renewals("free"), renewals("pro"), renewals("team")],
        [0.0, 1.0, 2.0]
    );

    for (histogram, errors, function) in [
        (
            "review_subscribe_seconds_count",
            "review_subscribe_errors_total",
            "review_subscribe",
        ),
        (
            "review_renew_seconds_count",
            "review_renew_errors_total",
            "review_renew",
        ),
    ] {
        let h = |region, outcome| by_region(histogram, function, region, outcome);
        assert_eq!([h("us", "ok"), h("us", "error")], [2.0, 1.0], "{function}");
        assert_eq!([h("eu", "ok"), h("eu", "error")], [1.0, 2.0], "{function}");
        assert_eq!([h("us", "panic"), h("eu", "cancelled")], [0.0, 0.0]);
        let e = |kind, region| errors_by(errors, function, kind, region);
        assert_eq!(
            [
                e("card", "eu"),
                e("card", "us"),
                e("limit", "us"),
                e("limit", "eu")
            ],
            [1.0, 0.0, 1.0, 1.0],
            "{function}"
        );
    }
    let gauge = |region| {
        sample(&format!(
            r#"review_subscribe_in_flight{{function="review_subscribe",module="review",region="{region}"}}"#
        ))
    };
    assert_eq!([gauge("eu"), gauge("us")], [0.0, 0.0]);
    let slow = |region| {
        sample(&format!(
            r#"review_subscribe_slow_total{{function="review_subscribe",module="review",region="{region}"}}"#
        ))
    };
    assert_eq!([slow("eu"), slow("us")], [0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Returned futures count on their first poll, not when built.

#[business_metric(action = "review_lazy", endpoint = "/lazy")]
#[allow(clippy::manual_async_fn)]
fn review_lazy(n: u32) -> impl Future<Output = u32> {
    async move {
        yield_once().await;
        n
    }
}

#[business_metric(action = "review_lazy_async", endpoint = "/lazy_async")]
async fn review_lazy_async(n: u32) -> u32 {
    n
}

#[test]
fn returned_futures_and_async_fns_count_on_first_poll() {
    let built = review_lazy(1);
    drop(review_lazy(2));
    let built_async = review_lazy_async(1);
    drop(review_lazy_async(2));
    assert_eq!(actions("review_lazy", "/lazy"), 0.0);
    assert_eq!(actions("review_lazy_async", "/lazy_async"), 0.0);
    let mut built = pin!(built);
    assert!(poll_once(built.as_mut()).is_pending());
    assert_eq!(
        actions("review_lazy", "/lazy"),
        1.0,
        "counted on first poll"
    );
    assert_eq!(block_on(built), 1);
    assert_eq!(block_on(built_async), 1);
    assert_eq!(actions("review_lazy", "/lazy"), 1.0);
    assert_eq!(actions("review_lazy_async", "/lazy_async"), 1.0);
}

// ---------------------------------------------------------------------------
// `in_flight` returns to 0 on every way out of every body kind.

#[timed(in_flight = "review_in_flight")]
fn review_sync_unit(explode: bool) {
    assert!(!explode, "boom");
}

#[timed(in_flight = "review_in_flight")]
fn review_sync_result(explode: bool) -> Result<(), String> {
    assert!(!explode, "boom");
    Err("no".to_owned())
}

#[timed(in_flight = "review_in_flight")]
async fn review_async(explode: bool) -> Result<(), String> {
    yield_once().await;
    assert!(!explode, "boom");
    Ok(())
}

#[timed(in_flight = "review_in_flight")]
fn review_returned(explode: bool) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
    Box::pin(async move {
        yield_once().await;
        assert!(!explode, "boom");
        Err("no".to_owned())
    })
}

fn in_flight(function: &str) -> f64 {
    sample(&format!(
        r#"review_in_flight{{function="{function}",module="review"}}"#
    ))
}

#[test]
fn in_flight_returns_to_zero_on_every_way_out() {
    review_sync_unit(false);
    assert!(catch_unwind(|| review_sync_unit(true)).is_err());
    assert!(review_sync_result(false).is_err());
    assert!(catch_unwind(|| review_sync_result(true)).is_err());
    assert_eq!(outcomes("review_sync_unit"), [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(outcomes("review_sync_result"), [0.0, 1.0, 1.0, 0.0]);

    // Async and returned futures: complete, panic, cancelled after the first
    // poll, dropped before it.
    assert!(block_on(review_async(false)).is_ok());
    assert!(block_on(review_returned(false)).is_err());
    assert!(catch_unwind(|| block_on(review_async(true))).is_err());
    assert!(catch_unwind(|| block_on(review_returned(true))).is_err());
    let mut started = Box::pin(review_async(false));
    assert!(poll_once(started.as_mut()).is_pending());
    assert_eq!(in_flight("review_async"), 1.0);
    drop(started);
    let mut started = review_returned(false);
    assert!(poll_once(started.as_mut()).is_pending());
    assert_eq!(in_flight("review_returned"), 1.0);
    drop(started);
    drop(review_async(false));
    drop(review_returned(false));
    assert_eq!(outcomes("review_async"), [1.0, 0.0, 1.0, 1.0]);
    assert_eq!(outcomes("review_returned"), [0.0, 1.0, 1.0, 1.0]);

    for function in [
        "review_sync_unit",
        "review_sync_result",
        "review_async",
        "review_returned",
    ] {
        assert_eq!(in_flight(function), 0.0, "{function}");
    }
}

// ---------------------------------------------------------------------------
// Outcomes by return type.

type Aliased<T> = Result<T, std::num::ParseIntError>;

#[timed]
fn review_alias(text: &str) -> Aliased<u8> {
    text.parse()
}

#[timed]
fn review_io(fail: bool) -> std::io::Result<()> {
    if fail {
        return Err(std::io::Error::other("disk"));
    }
    Ok(())
}

#[timed]
fn review_option(give: bool) -> Option<u8> {
    give.then_some(1)
}

#[timed]
fn review_generic<R>(make: impl FnOnce() -> R) -> R {
    make()
}

#[timed]
#[allow(clippy::manual_async_fn)]
fn review_ready(fail: bool) -> impl Future<Output = Result<u8, String>> {
    std::future::ready(if fail { Err("x".to_owned()) } else { Ok(1) })
}

#[test]
fn outcomes_follow_the_documented_rules() {
    assert!(review_alias("1").is_ok());
    assert!(review_alias("x").is_err());
    assert!(review_io(true).is_err());
    assert!(review_io(false).is_ok());
    assert_eq!(review_option(false), None);
    assert!(review_generic(|| Err::<(), _>("x")).is_err());
    assert!(block_on(review_ready(true)).is_err());
    assert!(block_on(review_ready(false)).is_ok());
    assert_eq!(outcomes("review_alias"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("review_io"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("review_option"), [1.0, 0.0, 0.0, 0.0]);
    // Documented: `fn f<R>() -> R` records `ok`, whatever `R` is.
    assert_eq!(outcomes("review_generic"), [1.0, 0.0, 0.0, 0.0]);
    // A returned future that is not an `async` block: judged by its output.
    assert_eq!(outcomes("review_ready"), [1.0, 1.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Impl blocks: a method's own attribute replaces the block's, both attributes
// stacked on a block, `skip` of one of them, `const fn` and `async fn`
// methods, generic methods, `cfg`'d methods.

struct Ledger<'a, T> {
    entries: Vec<T>,
    owner: &'a str,
}

#[timed]
#[business_metric(endpoint = "/ledger")]
impl<'a, T: Clone> Ledger<'a, T>
where
    T: Send,
{
    const MAX: usize = 2;

    fn owner(&self) -> &'a str {
        self.owner
    }

    fn push(&mut self, entry: T) -> Result<usize, T> {
        if self.entries.len() >= Self::MAX {
            return Err(entry);
        }
        self.entries.push(entry);
        Ok(self.entries.len())
    }

    fn convert<U: From<T>>(&self) -> Vec<U> {
        self.entries.iter().cloned().map(U::from).collect()
    }

    async fn settle(&mut self) -> usize {
        yield_once().await;
        self.entries.drain(..).count()
    }

    const fn limit() -> usize {
        Self::MAX
    }

    #[timed(name = "review_ledger_audit_seconds")]
    fn audit(&self) -> usize {
        self.entries.len()
    }

    #[timed(skip)]
    fn peek(&self) -> Option<&T> {
        self.entries.last()
    }

    #[cfg(any())]
    fn compiled_out(&self) {}
}

#[test]
fn an_impl_block_with_both_attributes_and_method_overrides() {
    let mut ledger = Ledger {
        entries: Vec::new(),
        owner: "ana",
    };
    assert_eq!(ledger.owner(), "ana");
    assert_eq!(ledger.push(1u8), Ok(1));
    assert_eq!(ledger.push(2), Ok(2));
    assert_eq!(ledger.push(3), Err(3));
    assert_eq!(ledger.convert::<u32>(), [1, 2]);
    assert_eq!(ledger.audit(), 2);
    assert_eq!(ledger.peek(), Some(&2));
    assert_eq!(Ledger::<u8>::limit(), 2);
    assert_eq!(block_on(ledger.settle()), 2);

    assert_eq!(outcomes("Ledger::owner"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::push"), [2.0, 1.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::convert"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("Ledger::settle"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("push", "/ledger"), 3.0);
    assert_eq!(actions("settle", "/ledger"), 1.0);
    // `skip` of `#[timed]` leaves the block's `#[business_metric]`.
    assert_eq!(actions("peek", "/ledger"), 1.0);
    // The method's own `#[timed(...)]` replaces the block's, and is fused
    // with the block's `#[business_metric]`.
    assert_eq!(
        sample(
            r#"review_ledger_audit_seconds_count{function="Ledger::audit",module="review",outcome="ok"}"#
        ),
        1.0
    );
    assert_eq!(actions("audit", "/ledger"), 1.0);
    let text = bizmetrics::render();
    assert!(!text.contains(r#"function_duration_seconds_count{function="Ledger::audit""#));
    assert!(!text.contains("Ledger::limit"), "a const fn is left alone");
    assert!(!text.contains(r#"function="Ledger::peek""#));
}

// ---------------------------------------------------------------------------
// Every method of an annotated `impl` block gets the block attribute's
// `line!()`/`column!()` (the static is spanned at `Span::call_site()`), so
// an `init()` conflict between two methods names one location twice, and
// which of them is "kept" depends on link order.

struct Shelf;

#[timed(name = "review_shelf_seconds")]
impl Shelf {
    fn stock(&self) {}

    #[timed(name = "review_shelf_seconds", labels(aisle = "a1"))]
    fn restock(&self) {}
}

#[test]
fn a_conflict_between_two_methods_of_one_block_names_two_locations() {
    Shelf.stock();
    Shelf.restock();
    let error = bizmetrics::init().expect_err("the two methods conflict");
    let conflict = error
        .problems()
        .iter()
        .find_map(|problem| match problem {
            bizmetrics::Problem::Conflict {
                metric: "review_shelf_seconds",
                kept,
                conflicting,
                ..
            } => Some((kept.0, conflicting.0)),
            _ => None,
        })
        .expect("a conflict on review_shelf_seconds");
    assert_ne!(
        conflict.0, conflict.1,
        "both methods are reported at the same place: {error}"
    );
}
