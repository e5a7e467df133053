//! The generated `docker-compose.yml` is valid under the Compose
//! Specification's JSON schema, vendored in `tests/vendor/compose-spec/`
//! (source, commit and licence in its README): both the file checked in
//! under `examples/monitoring/` and what `Stack::files()` writes now.

use std::path::{Path, PathBuf};

use bizmetrics::monitoring::{RemoteWrite, Stack};
use jsonschema::Validator;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The vendored schema, compiled as draft-07: its `$schema` says so, but
/// spelled `https://json-schema.org/draft-07/schema`, so name the draft
/// rather than rely on the validator recognising that spelling.
fn compose_schema() -> Validator {
    let path = workspace().join("tests/vendor/compose-spec/compose-spec.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft-07/schema",
        "the vendored schema changed draft; revisit the validator options"
    );
    jsonschema::draft7::new(&schema)
        .unwrap_or_else(|e| panic!("the vendored compose schema does not compile: {e}"))
}

/// The compose file's YAML, as the JSON value the schema describes.
fn to_json(yaml: &str) -> Value {
    yaml_serde::from_str(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"))
}

/// Every validation error, one a line, with its JSON path in the document
/// and the schema path that rejected it; empty when `document` is valid.
fn errors(schema: &Validator, document: &Value) -> Vec<String> {
    schema
        .iter_errors(document)
        .map(|error| {
            format!(
                "at `{}` (schema `{}`): {error}",
                error.instance_path(),
                error.schema_path()
            )
        })
        .collect()
}

fn assert_valid(schema: &Validator, name: &str, yaml: &str) {
    let found = errors(schema, &to_json(yaml));
    assert!(
        found.is_empty(),
        "{name} is not valid under the Compose Specification schema, {} error(s):\n{}\n\n{yaml}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn checked_in_compose_file_is_valid() {
    let path = workspace().join("examples/monitoring/docker-compose.yml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    assert_valid(
        &compose_schema(),
        "examples/monitoring/docker-compose.yml",
        &yaml,
    );
}

#[test]
fn generated_compose_file_is_valid() {
    let schema = compose_schema();
    let stacks = [
        ("Stack::new(\"webapp\")", Stack::new("webapp")),
        // Another app name, port and build, as the example's export sets them.
        (
            "Stack::new(\"my-shop\") on port 8080",
            Stack::new("my-shop")
                .port(8080)
                .build("../..", "examples/Dockerfile"),
        ),
        // Agent mode: the app and a Prometheus agent, with its own command.
        (
            "Stack::new(\"webapp\") as an agent",
            Stack::new("webapp")
                .agent(RemoteWrite::new("http://central:9090/api/v1/write").unwrap()),
        ),
    ];
    for (name, stack) in stacks {
        let files = stack.files().expect("consistent definitions");
        let (_, yaml) = files
            .iter()
            .find(|(path, _)| path == "docker-compose.yml")
            .expect("the stack writes docker-compose.yml");
        assert_valid(&schema, &format!("the compose file of {name}"), yaml);
    }
}

/// The schema really constrains: documents compose would refuse fail, at
/// the paths that are wrong. Without this, a validator that compiled the
/// schema to "accept anything" would pass the tests above.
#[test]
fn broken_compose_files_are_rejected() {
    let schema = compose_schema();
    let files = Stack::new("webapp")
        .files()
        .expect("consistent definitions");
    let (_, yaml) = files
        .iter()
        .find(|(path, _)| path == "docker-compose.yml")
        .expect("the stack writes docker-compose.yml");
    let good = to_json(yaml);
    assert!(errors(&schema, &good).is_empty());

    let mut ports_not_a_list = good.clone();
    ports_not_a_list["services"]["webapp"]["ports"] = Value::from("not a list");
    let found = errors(&schema, &ports_not_a_list);
    assert!(
        found
            .iter()
            .any(|e| e.starts_with("at `/services/webapp/ports`")),
        "`ports: \"not a list\"` passed: {found:?}"
    );

    let mut unknown_top_level = good.clone();
    unknown_top_level["servics"] = serde_json::json!({});
    let found = errors(&schema, &unknown_top_level);
    assert!(
        found.iter().any(|e| e.contains("servics")),
        "an unknown top-level key passed: {found:?}"
    );

    // Through `$ref`: a service's `depends_on` is `#/definitions/service`'s,
    // and a number is neither its list nor its map form.
    let mut depends_on_number = good.clone();
    depends_on_number["services"]["prometheus"]["depends_on"] = Value::from(3);
    let found = errors(&schema, &depends_on_number);
    assert!(
        found
            .iter()
            .any(|e| e.starts_with("at `/services/prometheus/depends_on`")),
        "`depends_on: 3` passed: {found:?}"
    );

    // An unknown key inside a service (`additionalProperties: false` there).
    let mut unknown_service_key = good;
    unknown_service_key["services"]["grafana"]["imagee"] = Value::from("grafana/grafana");
    let found = errors(&schema, &unknown_service_key);
    assert!(
        found.iter().any(|e| e.contains("imagee")),
        "an unknown service key passed: {found:?}"
    );
}
