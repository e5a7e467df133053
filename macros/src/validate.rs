//! Semantic checks on the arguments and the function, which turn them into
//! a typed [`Plan`]: each argument's module checks its own, and this runs
//! them all at once, so the user sees every mistake in one build. Emits
//! no tokens.

use bizmetrics_facts::{Count, names};
use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::args::alert::{self, CheckedAlert};
use crate::args::buckets::{self, Bounds};
use crate::args::errors::{self as error_count, ErrorCount};
use crate::args::funnel::{self, Step};
use crate::args::slo::{self, Objective};
use crate::args::slow::{self, SlowCount};
use crate::args::{Args, action, count, help, in_flight, labels, name, native};
use crate::ast::{Function, is_never};
use crate::attribute::Attr;
use crate::errors::Errors;
use crate::plan::{CounterPlan, Plan, TimedPlan};

/// Where a function sits: a method of an annotated `impl` block is named
/// `Type::method`, and takes its action from its name.
pub struct Context<'a> {
    pub impl_type: Option<&'a str>,
    /// The `impl` block carries another attribute macro, such as
    /// `#[async_trait]`, that reads its methods after us.
    pub impl_has_macros: bool,
}

/// Checks everything at once and plans the expansion.
pub fn plan(
    counter: Option<&Args>,
    timed: Option<&Args>,
    function: &Function,
    context: &Context<'_>,
) -> syn::Result<Plan> {
    let mut errors = Errors::default();
    let fn_name = function.sig.ident.unraw().to_string();
    for args in counter.iter().chain(&timed) {
        check_function(args.attr, function, &mut errors);
        check_skip(args, &mut errors);
    }
    let name = match context.impl_type {
        Some(ty) => format!("{ty}::{fn_name}"),
        None => fn_name.clone(),
    };
    let action =
        counter.map(|args| action::check(args, context.impl_type.is_some(), &fn_name, &mut errors));
    let counter = counter.map(|args| (args, Common::check(args, true, &mut errors)));
    let timed = timed.map(|args| (args, Common::check(args, true, &mut errors)));
    let counter = counter
        .zip(action)
        .map(|((args, common), action)| CounterPlan {
            name: name::or(args.name.as_ref(), names::ACTIONS),
            help: args.help.clone(),
            labels: labels::check::check(args, function, &mut errors),
            endpoint: action::endpoint(args, &name),
            action,
            funnel: common.funnel,
            count: common.count.0,
            count_span: common.count.1,
            alerts: args.alert.as_ref().map_or_else(Vec::new, |alert| {
                alert::check(args.attr, alert, Bounds(None), false, &mut errors)
            }),
        });
    let timed = timed.map(|(args, common)| {
        let labels = labels::check::check(args, function, &mut errors);
        let extras = TimedExtras::check(args, common.buckets.as_deref(), &mut errors);
        TimedPlan {
            name: name::or(args.name.as_ref(), names::DURATION),
            help: args.help.clone(),
            labels,
            buckets: common.buckets,
            errors: common.errors,
            in_flight: common.in_flight,
            slow: extras.slow,
            native: extras.native,
            alerts: extras.alerts,
            objectives: extras.objectives,
        }
    });
    let needs_result = [
        counter
            .as_ref()
            .filter(|counter| counter.count == Count::OnOk)
            .map(|counter| (counter.count_span, Attr::BusinessMetric, "count = \"ok\"")),
        timed
            .as_ref()
            .and_then(|timed| timed.errors.as_ref())
            .map(|errors| (errors.span, Attr::Timed, "errors")),
    ];
    for (span, attr, what) in needs_result.into_iter().flatten() {
        check_can_fail(function, context, (span, attr, what), &mut errors);
    }
    errors.finish()?;
    let keep_async = context.impl_has_macros || function.attrs.iter().any(is_macro);
    let anchor = function.sig.ident.span();
    Ok(Plan {
        function: name,
        counter,
        timed,
        anchor,
        location: context
            .impl_type
            .map(|_| anchor.start())
            .filter(|start| start.line > 0),
        keep_async,
    })
}

/// The checks that need only the arguments, not the function: run for a
/// `defaults!` set where it is declared, before any function uses it.
pub fn check_set(args: &Args) -> syn::Result<()> {
    let mut errors = Errors::default();
    let common = Common::check(args, false, &mut errors);
    if args.attr == Attr::Timed {
        TimedExtras::check(args, common.buckets.as_deref(), &mut errors);
    } else if let Some(alert) = &args.alert {
        alert::check(args.attr, alert, Bounds(None), false, &mut errors);
    }
    errors.finish()
}

/// What either attribute may carry, checked in the order written in the
/// attribute reference.
struct Common {
    buckets: Option<Vec<f64>>,
    count: (Count, Span),
    errors: Option<ErrorCount>,
    in_flight: Option<String>,
    funnel: Option<Step>,
}

impl Common {
    /// `funnel` where the function is known: a funnel and its step may
    /// come one from a set, one from the function.
    fn check(args: &Args, funnel: bool, errors: &mut Errors) -> Common {
        name::check(args, errors);
        help::check(args, errors);
        Common {
            buckets: buckets::check(args.buckets.as_ref(), errors),
            count: count::check(args, errors),
            errors: args
                .errors
                .as_ref()
                .map(|arg| error_count::check(arg, errors)),
            in_flight: args
                .in_flight
                .as_ref()
                .map(|arg| in_flight::check(arg, errors)),
            funnel: if funnel {
                funnel::check(args, errors)
            } else {
                None
            },
        }
    }
}

/// What only `#[timed]` carries, and which depends on its buckets.
struct TimedExtras {
    slow: Option<SlowCount>,
    native: Option<u8>,
    alerts: Vec<CheckedAlert>,
    objectives: Vec<Objective>,
}

impl TimedExtras {
    fn check(args: &Args, buckets: Option<&[f64]>, errors: &mut Errors) -> TimedExtras {
        let slow = args.slow.as_ref().and_then(|arg| slow::check(arg, errors));
        let native = args
            .native
            .as_ref()
            .and_then(|arg| native::check(arg, errors));
        let (bounds, has_native) = (Bounds(buckets), args.native.is_some());
        TimedExtras {
            slow,
            native,
            alerts: args.alert.as_ref().map_or_else(Vec::new, |alert| {
                alert::check(args.attr, alert, bounds, has_native, errors)
            }),
            objectives: args.slo.as_ref().map_or_else(Vec::new, |objective| {
                slo::check(objective, bounds, has_native, errors)
            }),
        }
    }
}

/// Whether an attribute may be a macro that expands after us. Built-in
/// and tool attributes are not; anything else might be.
pub fn is_macro(attribute: &syn::Attribute) -> bool {
    let path = attribute.path();
    let first = path.segments.first().map(|s| s.ident.to_string());
    let builtin = [
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "doc",
        "must_use",
        "inline",
        "cold",
        "track_caller",
        "deprecated",
        "no_mangle",
        "export_name",
        "link_section",
        "target_feature",
        "rustfmt",
        "clippy",
        "diagnostic",
        "rustdoc",
    ];
    !first.is_some_and(|first| builtin.contains(&first.as_str()))
}

fn check_function(attr: Attr, function: &Function, errors: &mut Errors) {
    let attr = attr.display();
    if let Some(constness) = &function.sig.constness {
        errors.push(
            constness.span,
            format!("`{attr}` cannot be used on a `const fn`: it records at run time"),
        );
    }
    if function.body.is_none() {
        let message = if function.has_receiver() {
            format!(
                "`{attr}` cannot be used on a trait method without a body; put it on the method in each `impl` instead"
            )
        } else {
            format!(
                "`{attr}` needs a function body to record around: a function in an `extern` block, or a trait method without a body, has none; put it on the Rust function that calls it, or on the method in each `impl`"
            )
        };
        errors.push_spanned(&function.sig, message);
    }
}

/// `count = "ok"` and `errors` on a function that returns `!`: it never
/// returns at all, so it never returns an `Err`. Said here, since rustc
/// would speak of the `Infallible` the expansion puts in its place.
fn check_can_fail(
    function: &Function,
    context: &Context<'_>,
    (span, attr, what): (Span, Attr, &str),
    errors: &mut Errors,
) {
    let syn::ReturnType::Type(_, ty) = &function.sig.output else {
        return;
    };
    if !is_never(ty) {
        return;
    }
    let (name, attr) = (&function.sig.ident, attr.display());
    let fix = if context.impl_type.is_some() {
        format!("give `{name}` its own `{attr}` without `{what}`, or leave it out with `skip`")
    } else {
        format!("remove `{what}`")
    };
    errors.push(
        span,
        format!(
            "`{what}` in `{attr}` needs a function that returns a `Result`, and `{name}` returns `!`: it never returns, so it never returns an `Err` either; {fix}"
        ),
    );
}

/// `skip` means something only on a method of an annotated `impl` block,
/// which takes it away before the method's own attribute runs.
fn check_skip(args: &Args, errors: &mut Errors) {
    if let Some(skip) = &args.skip {
        errors.push(
            skip.span(),
            format!("`skip` leaves a method out of an `impl` block that carries `{}`, and there is none here; remove the attribute instead", args.attr.display()),
        );
    }
}
