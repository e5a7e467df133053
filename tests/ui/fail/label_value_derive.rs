use bizmetrics::LabelValue;

#[derive(LabelValue)]
struct NotAnEnum;

#[derive(LabelValue)]
enum WithFields {
    Mobile(String),
}

#[derive(LabelValue)]
enum Empty {}

#[derive(LabelValue)]
enum Clash {
    Mobile,
    #[label(rename = "mobile")]
    Phone,
}

fn main() {}
