// Defaults declared once in one module, taken in another, by both
// attributes in either order, with overrides, on functions and impl blocks.
#![deny(warnings)]

mod metrics {
    use bizmetrics::{LabelGroup, LabelValue};

    #[derive(Clone, Copy, LabelValue)]
    pub enum Device {
        Mobile,
        Desktop,
    }

    #[derive(Clone, Copy, LabelGroup)]
    pub struct Profile {
        pub device: Device,
    }

    bizmetrics::defaults! {
        /// A business action.
        pub(crate) action = business_metric(labels(profile), alert(below = 10, per = "5m"));
        /// Any call worth timing.
        pub(crate) handler = timed(errors, buckets = [0.01, 0.1, 1.0]);
    }
}

mod handlers {
    use bizmetrics::{business_metric, timed};

    use crate::metrics::{action, handler, Profile};

    #[business_metric(defaults = action, action = "search")]
    #[timed(defaults = handler)]
    pub fn search(profile: Profile) -> Result<u32, String> {
        let _ = profile;
        Ok(1)
    }

    #[timed(defaults = handler, alert(p99 = "500ms"))]
    #[business_metric(defaults = action, action = "buy", count = "ok")]
    pub async fn buy(profile: Profile) -> Result<u32, String> {
        let _ = profile;
        Ok(2)
    }

    pub struct Repo;

    #[timed(defaults = handler)]
    impl Repo {
        pub fn load(&self) -> Result<u32, String> {
            Ok(3)
        }
    }
}

fn main() {
    let profile = metrics::Profile {
        device: metrics::Device::Mobile,
    };
    let _ = metrics::Device::Desktop;
    assert_eq!(handlers::search(profile), Ok(1));
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(runtime.block_on(handlers::buy(profile)), Ok(2));
    assert_eq!(handlers::Repo.load(), Ok(3));
}
