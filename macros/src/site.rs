//! The call site a function's expansion declares: its cells, laid out as
//! the counter's series, then the histogram's, errors', in-flight and slow
//! series, and the `CallSite` and `Metric`s that describe them.

use bizmetrics_facts::Count;
use bizmetrics_facts::layout::{OUTCOMES, striped_len};
use bizmetrics_facts::native::cells_per_series;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::args::count::CountTokens;
use crate::args::funnel;
use crate::args::help::{self, Help};
use crate::args::labels::emit::Own;
use crate::args::{errors, in_flight, slow};
use crate::plan::{CounterPlan, Plan, TimedPlan};
use crate::size::Size;

/// The call site's statics and its `#[distributed_slice]` entry.
pub fn call_site(plan: &Plan) -> TokenStream {
    let mut layout = Layout {
        metrics: Vec::new(),
        limits: Vec::new(),
        next: Size::Known(0),
    };
    let count = plan
        .counter
        .as_ref()
        .map_or(Count::Never, |counter| layout.counter(counter));
    let count = CountTokens(count);
    let timed = plan.timed.as_ref().map_or_else(
        || quote!(::core::option::Option::None),
        |timed| layout.timed(timed, &plan.function),
    );
    let Layout {
        metrics,
        limits,
        next,
    } = layout;
    let function = &plan.function;
    // A method of an annotated `impl` block is a call site of its own: at
    // its name, not at the block's attribute, where `line!()` would point.
    let (line, column) = match plan.location {
        Some(start) => {
            let number = |n: usize| Literal::u32_unsuffixed(u32::try_from(n).unwrap_or(u32::MAX));
            let (line, column) = (number(start.line), number(start.column + 1));
            (quote!(#line), quote!(#column))
        }
        None => (quote!(::core::line!()), quote!(::core::column!())),
    };
    let cells_len = match &next {
        Size::Known(n) => Size::Known(striped_len(*n)),
        Size::Const(_) => Size::Const(quote!(::bizmetrics::__private_0_1::striped_len(#next))),
    };
    let native_cells = plan.timed.as_ref().and_then(|timed| {
        let schema = timed.native?;
        let rows = timed
            .labels
            .series()
            .times(&Size::Known(OUTCOMES * cells_per_series(schema)));
        Some(quote! {
            static __BIZMETRICS_NATIVE: ::bizmetrics::__private_0_1::Cells<{ #rows }> =
                ::bizmetrics::__private_0_1::Cells::new();
        })
    });
    quote! {
        #native_cells
        #[::bizmetrics::__private_0_1::linkme::distributed_slice(::bizmetrics::__private_0_1::SITES)]
        #[linkme(crate = ::bizmetrics::__private_0_1::linkme)]
        static __BIZMETRICS_SITE: ::bizmetrics::__private_0_1::CallSite = ::bizmetrics::__private_0_1::CallSite {
            cells: {
                #(#limits)*
                static __BIZMETRICS_CELLS: ::bizmetrics::__private_0_1::Cells<{ #cells_len }> =
                    ::bizmetrics::__private_0_1::Cells::new();
                &__BIZMETRICS_CELLS.0
            },
            count: #count,
            timed: #timed,
            metrics: &[#(#metrics),*],
            exemplars: {
                static __BIZMETRICS_EXEMPLARS: ::bizmetrics::__private_0_1::ExemplarSlots =
                    ::bizmetrics::__private_0_1::ExemplarSlots::new();
                &__BIZMETRICS_EXEMPLARS
            },
            function: #function,
            location: ::bizmetrics::__private_0_1::Location {
                file: ::core::file!(),
                line: #line,
                column: #column,
            },
        };
    }
}

/// The metrics of a call site, placed one after another in its cells.
struct Layout {
    metrics: Vec<TokenStream>,
    /// The series-limit assertions.
    limits: Vec<TokenStream>,
    /// The first free cell.
    next: Size,
}

/// One `Metric` of the vocabulary, before it is placed.
struct MetricTokens<'a> {
    name: &'a str,
    help: Help<'a>,
    kind: TokenStream,
    role: TokenStream,
    labels: &'a [TokenStream],
    dimensions: TokenStream,
    funnel: TokenStream,
    alerts: TokenStream,
    objectives: TokenStream,
}

impl Layout {
    /// Places `cells` cells for one metric; returns where they start.
    fn place(&mut self, metric: &MetricTokens<'_>, cells: &Size) -> Size {
        let offset = self.next.clone();
        let MetricTokens {
            name,
            help,
            kind,
            role,
            labels,
            dimensions,
            funnel,
            alerts,
            objectives,
        } = metric;
        self.metrics.push(quote! {
            ::bizmetrics::__private_0_1::Metric {
                name: #name,
                help: #help,
                kind: ::bizmetrics::__private_0_1::MetricKind::#kind,
                role: ::bizmetrics::__private_0_1::Role::#role,
                offset: #offset,
                labels: &[#(#labels),*],
                dimensions: #dimensions,
                funnel: #funnel,
                alerts: #alerts,
                objectives: #objectives,
            }
        });
        self.next = self.next.plus(cells);
        offset
    }

    /// `#[business_metric]`'s counter; returns when it counts.
    fn counter(&mut self, counter: &CounterPlan) -> Count {
        let labels = &counter.labels;
        self.limits.push(labels.limit(&counter.name, false));
        self.limits
            .push(labels.binding_names(crate::attribute::Attr::BusinessMetric.own_labels()));
        let (action, endpoint) = (&counter.action, &counter.endpoint);
        let mut own = vec![
            quote!(("action_type", #action)),
            quote!(("endpoint", #endpoint)),
        ];
        own.extend(labels.fixed());
        let alerts = &counter.alerts;
        let metric = MetricTokens {
            name: &counter.name,
            help: Help {
                given: counter.help.as_ref(),
                default: help::COUNTER,
            },
            kind: quote!(Counter),
            role: quote!(Actions),
            labels: &own,
            dimensions: labels.dimensions(&[]),
            funnel: funnel::tokens(counter.funnel.as_ref(), action),
            alerts: quote!(&[#(#alerts),*]),
            objectives: quote!(&[]),
        };
        self.place(&metric, &labels.series());
        counter.count
    }

    /// `#[timed]`'s histogram and extra metrics; returns its `Timed`.
    fn timed(&mut self, timed: &TimedPlan, function: &str) -> TokenStream {
        let labels = &timed.labels;
        let series = labels.series();
        let mut own = vec![
            quote!(("function", #function)),
            quote!(("module", ::core::module_path!())),
        ];
        own.extend(labels.fixed());
        let bounds = timed.bounds();
        let (buckets, bounds_ns) = bounds.tokens();
        self.limits.push(labels.limit(&timed.name, true));
        let own_names: &[&str] = if timed.errors.as_ref().is_some_and(|e| e.kind.is_some()) {
            &["function", "module", "outcome", "kind"]
        } else {
            &["function", "module", "outcome"]
        };
        self.limits.push(labels.binding_names(own_names));
        let metric = |name, default, kind, role, dims: &[Own<'_>]| MetricTokens {
            name,
            help: Help {
                given: None,
                default,
            },
            kind,
            role,
            labels: &own,
            dimensions: labels.dimensions(dims),
            funnel: quote!(::core::option::Option::None),
            alerts: quote!(&[]),
            objectives: quote!(&[]),
        };
        let native = timed.native.map(native);
        let none = quote!(::core::option::Option::None);
        let native_kind = optional(native.as_ref());
        let kind = quote!(Histogram { buckets: #buckets, native: #native_kind });
        let (alerts, objectives) = (&timed.alerts, &timed.objectives);
        let histogram = MetricTokens {
            help: Help {
                given: timed.help.as_ref(),
                default: help::HISTOGRAM,
            },
            alerts: quote!(&[#(#alerts),*]),
            objectives: quote!(&[#(#objectives),*]),
            ..metric(&timed.name, "", kind, quote!(Duration), &[Own::Outcome])
        };
        let histogram = self.place(
            &histogram,
            &series.times(&Size::Known(OUTCOMES * bounds.stride())),
        );
        let errors = timed.errors.as_ref().map_or_else(
            || none.clone(),
            |count| {
                let (kinds, dims) = match &count.kind {
                    Some(kind) => {
                        let value_type = crate::args::labels::emit::label_value(kind);
                        let kinds = Size::Const(quote!(#value_type::CARDINALITY));
                        (kinds, vec![Own::ErrorKind(kind)])
                    }
                    None => (Size::Known(1), Vec::new()),
                };
                let metric = metric(
                    &count.name,
                    errors::HELP,
                    quote!(Counter),
                    quote!(Errors),
                    &dims,
                );
                let offset = self.place(&metric, &series.times(&kinds));
                some(&quote!(ErrorCells { offset: #offset, kinds: #kinds }))
            },
        );
        let in_flight = timed.in_flight.as_ref().map_or_else(
            || none.clone(),
            |name| {
                let metric = metric(name, in_flight::HELP, quote!(Gauge), quote!(InFlight), &[]);
                let offset = self.place(&metric, &series);
                quote!(::core::option::Option::Some(#offset))
            },
        );
        let slow = timed.slow.as_ref().map_or_else(
            || none.clone(),
            |count| {
                let metric = metric(&count.name, slow::HELP, quote!(Counter), quote!(Slow), &[]);
                let offset = self.place(&metric, &series);
                let threshold_ns = count.threshold_ns;
                some(&quote!(SlowCells { offset: #offset, threshold_ns: #threshold_ns }))
            },
        );
        let native = optional(native.as_ref());
        quote! {
            ::core::option::Option::Some(::bizmetrics::__private_0_1::Timed {
                histogram: #histogram,
                bounds_ns: #bounds_ns,
                errors: #errors,
                in_flight: #in_flight,
                slow: #slow,
                native: #native,
            })
        }
    }
}

/// `Some(value)` or `None`.
fn optional(value: Option<&TokenStream>) -> TokenStream {
    value.map_or_else(
        || quote!(::core::option::Option::None),
        |value| quote!(::core::option::Option::Some(#value)),
    )
}

/// `Some(value)`, `value` named in the vocabulary.
fn some(value: &TokenStream) -> TokenStream {
    quote!(::core::option::Option::Some(::bizmetrics::__private_0_1::#value))
}

/// A native histogram at `schema`. Its cells are a static of their own,
/// not striped: `call_site` declares it, one row per series and outcome.
fn native(schema: u8) -> TokenStream {
    quote!(::bizmetrics::__private_0_1::NativeCells { cells: &__BIZMETRICS_NATIVE.0, schema: #schema })
}
