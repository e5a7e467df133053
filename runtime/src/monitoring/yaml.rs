//! YAML files from typed structs, through serde and `yaml_serde`.
//!
//! serde has no comments, so a file's comments are placed here: the
//! generated-file header first, then a comment block at the top of the file
//! or right above one of its top-level keys.

use std::time::Duration;

use serde::ser::{Serialize, Serializer};

use super::{prometheus_duration, HEADER};

/// A comment block in a generated file.
pub struct Comment<'a> {
    /// The top-level key the comment goes above, or `None` for the top of
    /// the file, under the header.
    pub above: Option<&'a str>,
    /// The comment's lines, without `# `.
    pub text: &'a str,
}

/// `value` as a YAML file: the header, `value` as serde writes it, and the
/// comments where they say.
///
/// # Panics
///
/// When `value` is not a mapping with every key of `comments`: the files'
/// structs are fixed, so that is a bug here.
pub fn document<T: Serialize>(value: &T, comments: &[Comment<'_>]) -> String {
    let body = yaml_serde::to_string(value).expect("the monitoring files serialize as YAML");
    let mut text = HEADER.to_owned();
    let mut placed = 0;
    for comment in comments.iter().filter(|c| c.above.is_none()) {
        push_comment(&mut text, comment.text);
        placed += 1;
    }
    for line in body.lines() {
        // A top-level key starts at the first column; nothing else does,
        // since serde's block scalars and nested values are indented.
        let key = line.split_once(':').map(|(key, _)| key);
        for comment in comments.iter().filter(|c| c.above.is_some()) {
            if key == comment.above && !line.starts_with([' ', '-', '#']) {
                push_comment(&mut text, comment.text);
                placed += 1;
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    assert_eq!(placed, comments.len(), "a comment's key is missing");
    text
}

fn push_comment(text: &mut String, comment: &str) {
    for line in comment.lines() {
        text.push('#');
        if !line.is_empty() {
            text.push(' ');
            text.push_str(line);
        }
        text.push('\n');
    }
}

/// A duration as Prometheus and Alertmanager write it: `5m`, `15s`. For
/// `#[serde(serialize_with = "yaml::duration")]`.
pub fn duration<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&prometheus_duration(*duration))
}

/// An optional duration, for fields that also skip `None`: for
/// `#[serde(skip_serializing_if = "Option::is_none", serialize_with = "yaml::some_duration")]`.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
pub fn some_duration<S: Serializer>(
    duration: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match duration {
        Some(duration) => serializer.serialize_str(&prometheus_duration(*duration)),
        None => serializer.serialize_none(),
    }
}

/// Pairs as a mapping in their order, for keys that are not fixed, such as
/// the app's compose service. For `#[serde(serialize_with = "yaml::pairs")]`.
pub fn pairs<K, V, S>(pairs: &[(K, V)], serializer: S) -> Result<S::Ok, S::Error>
where
    K: Serialize,
    V: Serialize,
    S: Serializer,
{
    serializer.collect_map(pairs.iter().map(|(key, value)| (key, value)))
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::{document, Comment};

    #[derive(Serialize)]
    struct File {
        name: String,
        text: String,
        items: Vec<String>,
    }

    #[test]
    fn comments_go_under_the_header_and_above_their_key() {
        let file = File {
            name: "yes".to_owned(),
            text: "two\nlines".to_owned(),
            items: vec!["a: b".to_owned(), "#c".to_owned()],
        };
        let comments = [
            Comment {
                above: Some("items"),
                text: "The items.",
            },
            Comment {
                above: None,
                text: "First.\n\nSecond.",
            },
        ];
        let text = document(&file, &comments);
        let body = text.split_once('\n').unwrap().1;
        assert_eq!(
            body,
            "# First.\n#\n# Second.\nname: yes\ntext: |-\n  two\n  lines\n# The items.\nitems:\n- 'a: b'\n- '#c'\n"
        );
    }
}
