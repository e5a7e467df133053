// A label group's field of an unbounded type: the message names the field.
use bizmetrics::{LabelGroup, LabelValue};

#[derive(Clone, Copy, LabelValue)]
enum Device {
    Mobile,
    Desktop,
}

#[derive(LabelGroup)]
struct Visitor {
    device: Device,
    user_id: String,
}

fn main() {
    let _ = (Device::Mobile, Device::Desktop);
}
