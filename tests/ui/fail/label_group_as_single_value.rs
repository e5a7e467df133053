// A label group where one label's value is expected.
use bizmetrics::{business_metric, LabelGroup, LabelValue};

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
    Desktop,
}

#[derive(Clone, Copy, LabelGroup)]
struct Profile {
    device: Device,
}

#[business_metric(action = "search", labels(device = profile))]
fn search(profile: Profile) {}

fn main() {
    search(Profile { device: Device::Mobile });
    let _ = Device::Desktop;
}
