//! The `webapp` command line as users meet it: `--help` for the app and
//! each command, and a clear message with a non-zero exit for a bad flag.

use std::process::{Command, Output};

/// Runs the built `webapp` with `args`, without colours, and returns what
/// it printed and its exit status.
fn webapp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_webapp"))
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .output()
        .expect("the webapp binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `args` succeed and print every one of `lines` on stdout,
/// each alone on a line but for indentation.
fn prints(args: &[&str], lines: &[&str]) {
    let output = webapp(args);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(
        output.status.success(),
        "webapp {args:?} exited with {}\n{stdout}{stderr}",
        output.status
    );
    for line in lines {
        assert!(
            stdout.lines().any(|l| l.trim_start().starts_with(line)),
            "no line starting with `{line}` in `webapp {args:?}`:\n{stdout}"
        );
    }
}

/// Asserts that `args` exit with clap's usage error, status 2, and that
/// stderr has a line starting with `message`.
fn refuses(args: &[&str], message: &str) {
    let output = webapp(args);
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(2),
        "webapp {args:?}:\n{stderr}{}",
        text(&output.stdout)
    );
    assert!(
        stderr.lines().any(|l| l.starts_with(message)),
        "no `{message}` in what `webapp {args:?}` printed:\n{stderr}"
    );
    assert!(
        stderr.contains("For more information, try '--help'."),
        "{stderr}"
    );
}

#[test]
fn help_lists_the_commands_and_the_serve_flags() {
    prints(
        &["--help"],
        &[
            "Usage: webapp [OPTIONS]",
            "serve ",
            "traffic ",
            "export ",
            "restock ",
            "--addr <HOST:PORT>",
            "--db <PATH>",
            "--metrics-addr <HOST:PORT>",
        ],
    );
    prints(&["serve", "--help"], &["Usage: webapp serve [OPTIONS]"]);
}

#[test]
fn each_command_has_help_with_every_flag() {
    prints(
        &["export", "--help"],
        &[
            "Usage: webapp export [OPTIONS]",
            "--out <DIR>",
            "--targets <HOST:PORT,...>",
            "--alertmanager <HOST:PORT>",
            "--prometheus-url <URL>",
            "--slack-url-file <PATH>",
            "--scrape-interval <DURATION>",
            "--conversion-window <DURATION>",
            "--alert-window <DURATION>",
            "--alert-for <DURATION>",
            "--remote-write <URL>",
            "--remote-write-username <NAME>",
            "--remote-write-password-file <PATH>",
            "--remote-write-bearer-file <PATH>",
            "--agent",
            "--pushgateway <HOST:PORT>",
            "--restock-max-age <DURATION>",
        ],
    );
    prints(
        &["restock", "--help"],
        &[
            "Usage: webapp restock [OPTIONS] --push <URL>",
            "--push <URL>",
            "--db <PATH>",
            "--stock <COUNT>",
            "--push-timeout <DURATION>",
            "--push-bearer-file <PATH>",
            "--push-username <NAME>",
            "--push-password-file <PATH>",
        ],
    );
    prints(
        &["traffic", "--help"],
        &[
            "Usage: webapp traffic [OPTIONS]",
            "--target <URL>",
            "--rate <PER_SECOND>",
            "--duration <DURATION>",
        ],
    );
}

#[test]
fn bad_flags_exit_non_zero_with_a_clear_message() {
    refuses(&["--bogus"], "error: unexpected argument '--bogus' found");
    refuses(
        &["restock"],
        "error: the following required arguments were not provided:",
    );
    refuses(
        &["restock", "--push", "http://127.0.0.1:9091", "--stock", "0"],
        "error: invalid value '0' for '--stock <COUNT>'",
    );
    refuses(
        &["export", "--bogus", "x"],
        "error: unexpected argument '--bogus' found",
    );
    refuses(
        &["traffic", "--duration", "5x"],
        "error: invalid value '5x' for '--duration <DURATION>'",
    );
    refuses(
        &["traffic", "--rate", "0"],
        "error: invalid value '0' for '--rate <PER_SECOND>': must be a positive number",
    );
    refuses(
        &["export", "--scrape-interval", "soon"],
        "error: invalid value 'soon' for '--scrape-interval <DURATION>'",
    );
    refuses(
        &["--addr"],
        "error: a value is required for '--addr <HOST:PORT>'",
    );
    refuses(
        &["export", "--alert-window", "20s"],
        "error: the following required arguments were not provided",
    );
    refuses(
        &["--addr", "127.0.0.1:0", "export"],
        "error: the subcommand 'export' cannot be used with '--addr <HOST:PORT>'",
    );
}

#[test]
fn remote_write_flags_refuse_what_prometheus_would() {
    refuses(
        &["export", "--remote-write", "mimir:9009/api/v1/push"],
        "error: invalid value 'mimir:9009/api/v1/push' for '--remote-write <URL>': \
         the scheme is `mimir`, not http or https",
    );
    refuses(
        &["export", "--remote-write", "/api/v1/write"],
        "error: invalid value '/api/v1/write' for '--remote-write <URL>': \
         it is not absolute; write it as http://host:port/path",
    );
    refuses(
        &["export", "--remote-write", "https://tenant:secret@mimir/api/v1/push"],
        "error: invalid value 'https://tenant:secret@mimir/api/v1/push' for '--remote-write <URL>': \
         credentials in the URL would be written into prometheus.yml",
    );
    // Prometheus refuses basic auth and a bearer token on one destination.
    refuses(
        &[
            "export",
            "--remote-write",
            "http://mimir/api/v1/push",
            "--remote-write-username",
            "tenant",
            "--remote-write-password-file",
            "/run/secrets/password",
            "--remote-write-bearer-file",
            "/run/secrets/token",
        ],
        "error: the argument '--remote-write-username <NAME>' cannot be used with \
         '--remote-write-bearer-file <PATH>'",
    );
    // A user name without its password, and either without a destination.
    refuses(
        &[
            "export",
            "--remote-write",
            "http://mimir/api/v1/push",
            "--remote-write-username",
            "tenant",
        ],
        "error: the following required arguments were not provided",
    );
    refuses(
        &["export", "--remote-write-bearer-file", "/run/secrets/token"],
        "error: the following required arguments were not provided",
    );
    // An agent with nowhere to send would keep nothing.
    let output = webapp(&["export", "--agent"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: the following required arguments were not provided:\n  --remote-write <URL>\n"
        ),
        "{stderr}"
    );
}

/// The container sets `WEBAPP_ADDR` and `WEBAPP_DB`: they configure
/// serving, and get in the way of no other command.
#[test]
fn the_serve_variables_leave_the_other_commands_alone() {
    // No time to send anything: it starts, and stops at once.
    let output = Command::new(env!("CARGO_BIN_EXE_webapp"))
        .args([
            "traffic",
            "--target",
            "http://127.0.0.1:1/",
            "--duration",
            "0s",
        ])
        .env("WEBAPP_ADDR", "0.0.0.0:3000")
        .env("WEBAPP_DB", "/data/webapp.sqlite3")
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.starts_with("sending 10 sessions per second to http://127.0.0.1:1 for 0ns"),
        "{stdout}"
    );
}
