//! PromQL text: label matchers and numbers.

use crate::catalog::site_metric::SiteMetric;
use crate::outcome::Outcome;

/// One label matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// `name="value"` or, for several values, `name=~"a|b"`, escaped.
    OneOf { name: String, values: Vec<String> },
    /// `name=~"$name"`: the Grafana variable of that name, which Grafana
    /// expands to a regular expression, `.*` for "All".
    Variable(String),
}

impl Matcher {
    pub fn new(name: &str, value: &str) -> Matcher {
        Matcher::one_of(name, vec![value.to_owned()])
    }

    pub fn one_of(name: &str, values: Vec<String>) -> Matcher {
        Matcher::OneOf {
            name: name.to_owned(),
            values,
        }
    }
}

/// `{a="x",b=~"y|z"}`, or nothing when there are no matchers.
pub fn selector(matchers: &[Matcher]) -> String {
    if matchers.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = matchers
        .iter()
        .map(|matcher| match matcher {
            Matcher::OneOf { name, values } => match values.as_slice() {
                [value] => format!("{name}={}", string(value)),
                values => {
                    let alternatives: Vec<String> =
                        values.iter().map(|v| regex_literal(v)).collect();
                    format!("{name}=~{}", string(&alternatives.join("|")))
                }
            },
            Matcher::Variable(name) => format!("{name}=~\"${name}\""),
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// The matchers that pick out one call site: its fixed labels.
pub fn site_matchers(site: &SiteMetric) -> Vec<Matcher> {
    site.labels
        .iter()
        .map(|(name, value)| Matcher::new(name, value))
        .collect()
}

/// The matchers that pick out a `#[timed]` site's failed calls: those that
/// ended in `error` or `panic`.
pub fn failed_matchers(site: &SiteMetric) -> Vec<Matcher> {
    let mut matchers = site_matchers(site);
    matchers.push(Matcher::one_of(
        "outcome",
        [Outcome::Error, Outcome::Panic]
            .map(|outcome| outcome.label().to_owned())
            .to_vec(),
    ));
    matchers
}

// A native site's histogram is stored in one of two forms: native, by a
// Prometheus with `--enable-feature=native-histograms` (2.42 keeps only
// that one), or as classic `_bucket`, `_count` and `_sum` series by any
// other. Its queries read the native form where it exists, which answers
// for any threshold, and the classic one elsewhere: `(native or classic)`.

/// Calls per second over `range`, summed `by` those labels.
pub fn calls(site: &SiteMetric, by: &str, matchers: &[Matcher], range: &str) -> String {
    let (name, selector) = (site.name, selector(matchers));
    let classic = format!("sum by ({by}) (rate({name}_count{selector}[{range}]))");
    if !site.is_native() {
        return classic;
    }
    format!("(sum by ({by}) (histogram_count(rate({name}{selector}[{range}]))) or {classic})")
}

/// Calls per second over `range` that took at most `seconds`, summed `by`
/// those labels; `le` picks the classic bucket bound at `seconds`.
pub fn calls_within(
    site: &SiteMetric,
    by: &str,
    matchers: &[Matcher],
    le: Matcher,
    range: &str,
    seconds: f64,
) -> String {
    let name = site.name;
    let mut bucket = matchers.to_vec();
    bucket.push(le);
    let classic = format!(
        "sum by ({by}) (rate({name}_bucket{}[{range}]))",
        selector(&bucket)
    );
    if !site.is_native() {
        return classic;
    }
    let rate = format!("rate({name}{}[{range}])", selector(matchers));
    format!(
        "(sum by ({by}) (histogram_fraction(0, {}, {rate}) * histogram_count({rate})) or {classic})",
        number(seconds)
    )
}

/// The `quantile` of call durations over `range`, per `by` labels (none
/// for all together).
pub fn quantile(
    site: &SiteMetric,
    quantile: f64,
    by: &str,
    matchers: &[Matcher],
    range: &str,
) -> String {
    let (name, selector) = (site.name, selector(matchers));
    let q = number(quantile);
    let le = if by.is_empty() {
        "le".to_owned()
    } else {
        format!("le, {by}")
    };
    let classic =
        format!("histogram_quantile({q}, sum by ({le}) (rate({name}_bucket{selector}[{range}])))");
    if !site.is_native() {
        return classic;
    }
    format!(
        "({classic} or histogram_quantile({q}, sum by ({by}) (rate({name}{selector}[{range}]))))"
    )
}

/// A PromQL string literal.
fn string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str(r"\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str(r"\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// `text` as a regular expression that matches only itself.
fn regex_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A number as PromQL and people write it: `10`, `0.3`.
pub fn number(value: f64) -> String {
    // Rounded to 12 significant places, so that 0.05 * 100 prints as 5.
    let rounded: f64 = format!("{value:.12e}").parse().unwrap_or(value);
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_escape_strings_and_regular_expressions() {
        let matchers = [
            Matcher::new("endpoint", r#"/a"b\c"#),
            Matcher::one_of("path", vec!["/items/{id}".into(), "/x.y".into()]),
            Matcher::Variable("device".into()),
        ];
        assert_eq!(
            selector(&matchers),
            r#"{endpoint="/a\"b\\c",path=~"/items/\\{id\\}|/x\\.y",device=~"$device"}"#
        );
        assert_eq!(selector(&[]), "");
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(number(10.0), "10");
        assert_eq!(number(0.3), "0.3");
        assert_eq!(number(0.05 * 100.0), "5");
    }
}
