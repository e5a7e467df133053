#[derive(bizmetrics::LabelValue)]
enum Device {
    Mobile,
}

#[bizmetrics::business_metric(action = "search", labels(device = devise))]
fn search(device: Device) {}

struct Request {
    device: Device,
}

#[bizmetrics::business_metric(action = "view", labels(device = request.device))]
fn view(request: Request) {}

fn main() {}
