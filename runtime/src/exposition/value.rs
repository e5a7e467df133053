//! A counter's or gauge's value in either of the prometheus crate's models:
//! the plain model's getter is `get_value`, the protobuf model's `value`.
//!
//! Calls name `get_value`. In the plain model that is the inherent method,
//! which shadows any trait's; in the protobuf model it is `Plain`'s, which
//! calls the inherent `value`. `Protobuf` only lets `Plain`'s bodies compile
//! in the plain model, where they are never called.

use prometheus::proto::{Counter, Gauge, Metric};

pub(super) fn counter(metric: &Metric) -> f64 {
    let counter: &Counter = metric.get_counter();
    counter.get_value()
}

pub(super) fn gauge(metric: &Metric) -> f64 {
    let gauge: &Gauge = metric.get_gauge();
    gauge.get_value()
}

/// The plain model's getter, for the protobuf model.
#[allow(dead_code)] // shadowed when the plain model is compiled in
trait Plain {
    fn get_value(&self) -> f64;
}

/// The protobuf model's getter, for the plain model.
#[allow(dead_code)] // only ever named in `Plain`'s bodies
trait Protobuf {
    fn value(&self) -> f64;
}

macro_rules! bridge {
    ($($model:ty),*) => {$(
        impl Plain for $model {
            fn get_value(&self) -> f64 {
                self.value()
            }
        }
        impl Protobuf for $model {
            fn value(&self) -> f64 {
                self.get_value()
            }
        }
    )*};
}

bridge!(Counter, Gauge);
