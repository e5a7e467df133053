//! Which of the two attributes is expanding, and what each accepts.

/// `#[business_metric]` or `#[timed]`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    BusinessMetric,
    Timed,
}

impl Attr {
    /// The attribute's name: `business_metric` or `timed`.
    pub fn name(self) -> &'static str {
        match self {
            Attr::BusinessMetric => "business_metric",
            Attr::Timed => "timed",
        }
    }

    /// The attribute as users write it, for messages.
    pub fn display(self) -> &'static str {
        match self {
            Attr::BusinessMetric => "#[business_metric]",
            Attr::Timed => "#[timed]",
        }
    }

    /// The attribute named `name`, as a path's last segment or a
    /// `defaults!` set's kind says it.
    pub fn from_name(name: &str) -> Option<Attr> {
        [Attr::BusinessMetric, Attr::Timed]
            .into_iter()
            .find(|attr| attr.name() == name)
    }

    /// Which of ours `attribute` is: `timed`, `bizmetrics::timed` or
    /// `::bizmetrics::timed`, and likewise `business_metric`.
    pub fn of(attribute: &syn::Attribute) -> Option<Attr> {
        let path = attribute.path();
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let name = match segments.as_slice() {
            [name] if path.leading_colon.is_none() => name,
            [krate, name] if krate == "bizmetrics" => name,
            _ => return None,
        };
        Attr::from_name(name)
    }

    /// The arguments it takes, for parsing and for messages.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &[
                "action", "endpoint", "name", "help", "labels", "funnel", "step", "count", "alert",
                "defaults", "skip",
            ],
            Attr::Timed => &[
                "name",
                "help",
                "labels",
                "buckets",
                "errors",
                "in_flight",
                "slow",
                "native",
                "alert",
                "slo",
                "defaults",
                "skip",
            ],
        }
    }

    /// The labels the attribute sets itself, which `labels(...)` cannot.
    pub fn own_labels(self) -> &'static [&'static str] {
        match self {
            Attr::BusinessMetric => &["action_type", "endpoint"],
            Attr::Timed => &["function", "module", "outcome", "kind"],
        }
    }
}
