//! The `severity` label of an alert, which Alertmanager routes on.

/// How urgent an alert is: its `severity` label.
///
/// The service level objectives' burn-rate alerts page or open a ticket,
/// as the SRE workbook has it; `alert(severity = "...")` may name any
/// severity a team routes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Wake someone up.
    Page,
    /// Worth a look within the working day.
    Ticket,
    /// The default of `alert(...)`.
    Warning,
    /// Another severity, as written in `severity = "..."`.
    Other(&'static str),
}

impl Severity {
    /// The label value.
    ///
    /// ```
    /// use bizmetrics_facts::Severity;
    /// assert_eq!(Severity::Page.name(), "page");
    /// assert_eq!(Severity::Other("critical").name(), "critical");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Severity::Page => "page",
            Severity::Ticket => "ticket",
            Severity::Warning => "warning",
            Severity::Other(name) => name,
        }
    }

    /// The severity whose label value is `name`.
    ///
    /// ```
    /// use bizmetrics_facts::Severity;
    /// assert_eq!(Severity::from_name("page"), Severity::Page);
    /// assert_eq!(Severity::from_name("critical"), Severity::Other("critical"));
    /// ```
    pub fn from_name(name: &'static str) -> Severity {
        match name {
            "page" => Severity::Page,
            "ticket" => Severity::Ticket,
            "warning" => Severity::Warning,
            other => Severity::Other(other),
        }
    }
}
