use bizmetrics::LabelValue;

/// 101 values, `v0` to `v100`: two such labels make 10201 combinations at
/// one call site, over the 10000 of `MAX_SERIES`.
#[derive(Clone, Copy)]
struct Wide(u16);

impl LabelValue for Wide {
    const CARDINALITY: usize = 101;

    fn ordinal(&self) -> usize {
        usize::from(self.0)
    }

    fn label(ordinal: usize) -> &'static str {
        Box::leak(format!("v{ordinal}").into_boxed_str())
    }
}

#[bizmetrics::business_metric(action = "a", labels(x = x, y = y))]
fn a(x: Wide, y: Wide) {}

fn main() {}
