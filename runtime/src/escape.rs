//! Escaping and number formatting shared by every text the exposition
//! writes: label sets, help texts and floats, as both text formats and the
//! Go client write them. Families escape their label sets once, at startup.

use std::fmt::Write as _;

/// `1`, `0.25`, `+Inf`, `NaN`: as the Go client writes them, and as both
/// formats parse.
pub(crate) fn push_float(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{x}");
    }
}

/// A float as its own string, such as a bucket bound's `le` value.
pub(crate) fn float(x: f64) -> String {
    let mut text = String::new();
    push_float(&mut text, x);
    text
}

/// `name{labels} `: a sample line up to its value, to write with
/// `Writer::sample_after`.
pub(crate) fn sample_prefix(name: &str, labels: &str) -> String {
    if labels.is_empty() {
        format!("{name} ")
    } else {
        format!("{name}{{{labels}}} ")
    }
}

/// A rendered label set, `a="x",b="y"`, to write with `Writer::sample`.
pub(crate) fn label_set<'l>(pairs: impl IntoIterator<Item = (&'l str, &'l str)>) -> String {
    let mut text = String::new();
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push(',');
        }
        push_pair(&mut text, name, value);
    }
    text
}

/// `name="value"`, the value escaped.
pub(crate) fn push_pair(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value, true);
    out.push('"');
}

/// Escapes `\` and newlines, and `"` when `quotes`: label values always,
/// help texts in OpenMetrics only.
pub(crate) fn escape_into(out: &mut String, text: &str, quotes: bool) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\n' => out.push_str(r"\n"),
            '"' if quotes => out.push_str("\\\""),
            c => out.push(c),
        }
    }
}
