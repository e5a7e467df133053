// A field of a label group named like a label the attribute sets itself.
use bizmetrics::{business_metric, LabelGroup, LabelValue};

#[derive(Clone, Copy, LabelValue)]
enum Page {
    Home,
    Cart,
}

#[derive(Clone, Copy, LabelGroup)]
struct Route {
    endpoint: Page,
}

#[business_metric(action = "visit", labels(route))]
fn visit(route: Route) {}

fn main() {
    visit(Route { endpoint: Page::Home });
    let _ = Page::Cart;
}
