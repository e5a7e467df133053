//! The dashboard against Grafana's own schema: `@grafana/schema`'s
//! `Dashboard` type, checked by TypeScript in strict mode (the npm project
//! in `tests/grafana/`). Both the dashboard the code generates now and the
//! checked-in `examples/monitoring/grafana/dashboards/webapp.json` must
//! type-check with no errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("examples/ is inside the workspace")
        .to_path_buf()
}

/// Runs `program` in `dir`; a missing program fails the test, never skips it.
fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "`{program}` is needed to check the dashboard against @grafana/schema: \
                 install Node.js and npm (Debian's `nodejs` and `npm`): {e}"
            )
        })
}

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The dashboard `webapp export` writes now, from the app's attributes:
/// `Stack::new("webapp").dashboard()` as the app's own binary sees them.
/// The attributes register in the binary that holds them, so this test
/// asks the binary rather than calling `dashboard()` itself.
fn generated_now() -> String {
    let out = std::env::temp_dir().join(format!("bizmetrics-grafana-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_webapp"))
        .args(["export", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "webapp export failed:\n{}",
        printed(&output)
    );
    let dashboard = std::fs::read_to_string(out.join("grafana/dashboards/webapp.json")).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    dashboard
}

/// A dashboard as a TypeScript object literal that must satisfy the
/// schema's `Dashboard`. A JSON import would widen its strings and numbers
/// and skip the excess-property check that catches unknown keys; a literal
/// keeps both.
fn literal(source: &str, json: &str) -> String {
    let value: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{source} is not JSON: {e}"));
    let json = serde_json::to_string_pretty(&value).unwrap();
    format!(
        "// Written by examples/tests/grafana_schema.rs from {source}: don't edit.\n\
         import type {{ Dashboard }} from '../check';\n\n\
         export default {json} satisfies Dashboard;\n"
    )
}

#[test]
fn dashboards_type_check_against_grafana_schema() {
    let project = workspace().join("tests/grafana");

    // `npm ci` installs the pinned @grafana/schema and typescript from the
    // lock file; `.ci/run` does it before the tests.
    if !project.join("node_modules").exists() {
        let output = run(&project, "npm", &["ci", "--no-audit", "--no-fund"]);
        assert!(
            output.status.success(),
            "`npm ci` in tests/grafana failed:\n{}",
            printed(&output)
        );
    }

    let checked_in = "examples/monitoring/grafana/dashboards/webapp.json";
    let generated = project.join("generated");
    std::fs::create_dir_all(&generated).unwrap();
    std::fs::write(
        generated.join("fresh.ts"),
        literal("`webapp export` run now", &generated_now()),
    )
    .unwrap();
    std::fs::write(
        generated.join("checked-in.ts"),
        literal(
            checked_in,
            &std::fs::read_to_string(workspace().join(checked_in)).unwrap(),
        ),
    )
    .unwrap();

    // `--no-install`: never let npx fetch some other package called `tsc`.
    let output = run(&project, "npx", &["--no-install", "tsc", "-p", "."]);
    assert!(
        output.status.success(),
        "the dashboard does not type-check against @grafana/schema's Dashboard \
         (generated/fresh.ts is what the code generates now, generated/checked-in.ts \
         is {checked_in}; canary.ts must keep failing where it says):\n{}",
        printed(&output)
    );
}
