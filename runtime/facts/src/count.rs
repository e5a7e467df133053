//! When `#[business_metric]` counts a call: `count = "all"` or `"ok"`.

/// When a call is counted by `#[business_metric]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// There is no `#[business_metric]` on the function.
    Never,
    /// When the call starts (for an `async fn`, on its first poll):
    /// `count = "all"`, the default.
    OnStart,
    /// When it returns `Ok`: `count = "ok"`.
    OnOk,
}

impl Count {
    /// The values `count = "..."` takes, as written.
    pub const NAMES: [&'static str; 2] = ["all", "ok"];

    /// The count that `count = "..."` names, if it names one.
    ///
    /// ```
    /// use bizmetrics_facts::Count;
    /// assert_eq!(Count::from_name("ok"), Some(Count::OnOk));
    /// assert_eq!(Count::from_name("sometimes"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Count> {
        match name {
            "all" => Some(Count::OnStart),
            "ok" => Some(Count::OnOk),
            _ => None,
        }
    }
}
