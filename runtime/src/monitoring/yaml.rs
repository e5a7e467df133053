//! YAML scalars. The files are written by hand, not through a YAML
//! library, so that they read like the ones people write: every string is
//! quoted, so that nothing in it can be taken for YAML syntax.

/// `text` as a YAML string: single-quoted, or double-quoted with JSON
/// escapes when it holds control characters such as newlines (a JSON
/// string is a valid YAML double-quoted scalar).
pub fn string(text: &str) -> String {
    if text.chars().any(char::is_control) {
        serde_json::Value::from(text).to_string()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn quotes_are_doubled_and_control_characters_escaped() {
        assert_eq!(string(r#"a "b" 'c'"#), r#"'a "b" ''c'''"#);
        assert_eq!(string("line\nbreak"), r#""line\nbreak""#);
    }
}
