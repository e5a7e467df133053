// A set that names a type in scope where it is declared, used in a module
// where that type is not imported.
mod metrics {
    #[derive(Clone, Copy, bizmetrics::LabelValue)]
    pub enum Plan {
        Free,
        Pro,
    }

    bizmetrics::defaults! {
        pub(crate) by_plan = business_metric(labels(plan: Plan = plan));
    }
}

mod handlers {
    use crate::metrics::by_plan;

    #[bizmetrics::business_metric(defaults = by_plan, action = "buy")]
    pub fn buy(plan: crate::metrics::Plan) {
        let _ = plan;
    }
}

fn main() {
    handlers::buy(metrics::Plan::Pro);
    let _ = metrics::Plan::Free;
}
