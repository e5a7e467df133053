//! Helpers for the integration tests in `tests/tests/` and the example
//! app's: reading samples back out of the text exposition, and running
//! Prometheus's tools. Polling futures by hand is in [`executor`].

pub mod executor;

/// The value of the sample whose line starts with exactly `series` (metric
/// name and label set, as rendered), in the current `bizmetrics::render()`.
///
/// # Panics
///
/// When no such sample exists, listing the samples of the same metric.
pub fn sample(series: &str) -> f64 {
    sample_in(&bizmetrics::render(), series)
}

/// Like [`sample`], in a given exposition text.
///
/// # Panics
///
/// When no such sample exists, listing the samples of the same metric.
pub fn sample_in(text: &str, series: &str) -> f64 {
    let found = text.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        Some(
            value
                .parse::<f64>()
                .unwrap_or_else(|e| panic!("`{line}`: {e}")),
        )
    });
    found.unwrap_or_else(|| {
        let metric = series.split('{').next().unwrap_or(series);
        let similar: Vec<&str> = text.lines().filter(|l| l.starts_with(metric)).collect();
        panic!(
            "no sample `{series}`; samples of `{metric}`:\n{}",
            similar.join("\n")
        )
    })
}

/// The lines of one metric family (`# HELP`, `# TYPE` and samples).
pub fn family_lines(text: &str, name: &str) -> Vec<String> {
    let help = format!("# HELP {name} ");
    let type_ = format!("# TYPE {name} ");
    text.lines()
        .filter(|line| {
            line.starts_with(&help)
                || line.starts_with(&type_)
                || line.strip_prefix(name).is_some_and(|rest| {
                    rest.starts_with(['{', ' '])
                        || rest.starts_with("_bucket")
                        || rest.starts_with("_sum")
                        || rest.starts_with("_count")
                })
        })
        .map(str::to_owned)
        .collect()
}

/// The counts of `function`'s calls, as `#[timed]` records them by default
/// in `function_duration_seconds` with `module` as its `module` label, by
/// outcome in `ok, error, panic, cancelled` order.
///
/// # Panics
///
/// When a series is missing, as [`sample`] does.
pub fn outcomes(module: &str, function: &str) -> [f64; 4] {
    let text = bizmetrics::render();
    ["ok", "error", "panic", "cancelled"].map(|outcome| {
        sample_in(
            &text,
            &format!(
                r#"function_duration_seconds_count{{function="{function}",module="{module}",outcome="{outcome}"}}"#
            ),
        )
    })
}

/// The count of one action at one endpoint in `#[business_metric]`'s
/// default counter, `user_actions_total`.
///
/// # Panics
///
/// When the series is missing, as [`sample`] does.
pub fn actions(action: &str, endpoint: &str) -> f64 {
    sample(&format!(
        r#"user_actions_total{{action_type="{action}",endpoint="{endpoint}"}}"#
    ))
}

/// The count of `function`'s errors in `#[timed(errors)]`'s default
/// counter, `application_errors_total`, with `module` as its `module` label.
///
/// # Panics
///
/// When the series is missing, as [`sample`] does.
pub fn errors(module: &str, function: &str) -> f64 {
    sample(&format!(
        r#"application_errors_total{{function="{function}",module="{module}"}}"#
    ))
}

/// Asserts that the `ok` calls of `function` in `module` took the 50 ms its
/// test sleeps inside them, with slack for a loaded machine: the time of a
/// future is taken until it completes, not until it is built.
///
/// # Panics
///
/// When the recorded time is outside 50 ms to 5 s, or the series is missing.
pub fn assert_slept_50ms(module: &str, function: &str) {
    let seconds = sample(&format!(
        r#"function_duration_seconds_sum{{function="{function}",module="{module}",outcome="ok"}}"#
    ));
    assert!(
        (0.05..5.0).contains(&seconds),
        "`{function}` slept 50 ms inside its future, but recorded {seconds} s"
    );
}

/// Runs `promtool check metrics` on an exposition text.
///
/// # Panics
///
/// When promtool reports anything, or is not installed (Debian's
/// `prometheus` package has it; `.ci/run` installs it): never a silent skip.
pub fn promtool_check(text: &str) {
    let mut promtool = std::process::Command::new("promtool");
    promtool.args(["check", "metrics"]);
    let output = piped(&mut promtool, text)
        .unwrap_or_else(|e| panic!("{}: {e}", needs("promtool", "prometheus")));
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "promtool found problems:\n{report}"
    );
}

/// Runs `command` with `input` on its standard input, and returns what it
/// printed; an error only when it could not start.
///
/// # Errors
/// When the program cannot be started, for example when it is missing.
pub fn piped(
    command: &mut std::process::Command,
    input: &str,
) -> std::io::Result<std::process::Output> {
    use std::io::Write;
    use std::process::Stdio;

    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().unwrap().write_all(input.as_bytes())?;
    child.wait_with_output()
}

/// Runs a command-line tool from a Debian package, such as `promtool`
/// (package `prometheus`), and returns what it printed.
///
/// # Panics
/// When the tool is missing, naming the package, or when it fails, with
/// everything it printed: a missing tool never passes quietly.
pub fn run_tool(program: &str, package: &str, args: &[&str]) -> String {
    use std::process::Command;

    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{program} is needed: install Debian's `{package}` package (`.ci/run` does): {e}"
            )
        });
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "`{program} {}` failed:\n{printed}",
        args.join(" ")
    );
    printed
}

/// What to say when `program`, from Debian's `package`, is missing: the
/// tests that need it fail with this, never skip.
pub fn needs(program: &str, package: &str) -> String {
    format!("{program} is needed: install Debian's `{package}` package (`.ci/run` does)")
}

/// A port on 127.0.0.1 that was free a moment ago, for a server the test
/// starts as another process.
///
/// # Panics
/// When no port can be bound.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The path of Prometheus's instant query API for `promql`, encoded.
pub fn query_path(promql: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", promql)
        .finish();
    format!("/api/v1/query?{query}")
}
