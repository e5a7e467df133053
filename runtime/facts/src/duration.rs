//! Durations as Prometheus users write them: `"250ms"`, `"1h30m"`, `"30d"`.
//!
//! The macros parse them from attribute arguments; the runtime writes them
//! back into rules and configuration in the same grammar.

/// Parses a duration such as `"250ms"`, `"1.5m"` or `"1h30m"` into
/// nanoseconds: Go's `time.ParseDuration` grammar, which Prometheus users
/// know, with `d` and `w` as Prometheus adds them. Zero is refused: no
/// threshold, window or objective means anything at zero.
///
/// The error says what is wrong and how to write it, for a compile error.
///
/// ```
/// use bizmetrics_facts::duration::parse_ns;
/// assert_eq!(parse_ns("1h30m"), Ok(5_400_000_000_000));
/// assert_eq!(parse_ns("250ms"), Ok(250_000_000));
/// assert!(parse_ns("5 minutes").is_err());
/// ```
///
/// # Errors
///
/// When `text` is not a positive duration in that grammar.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
pub fn parse_ns(text: &str) -> Result<u64, String> {
    const FORM: &str = "write a number and a unit, like \"500ms\", \"1.5m\" or \"1h30m\"";
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(FORM.to_owned());
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("it has no unit; {FORM}"))?;
        let (number, after) = rest.split_at(digits);
        let number: f64 = number.parse().map_err(|_| match number {
            "" => FORM.to_owned(),
            _ => format!("`{number}` is not a number; {FORM}"),
        })?;
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale: f64 = match unit.trim() {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3_600e9,
            "d" => 86_400e9,
            "w" => 604_800e9,
            other => {
                return Err(format!(
                    "unknown unit `{other}`; use `ns`, `us`, `ms`, `s`, `m`, `h`, `d` or `w`"
                ));
            }
        };
        total += number * scale;
        rest = after;
    }
    if !(total >= 1.0 && total < u64::MAX as f64) {
        return Err("it must be more than zero".to_owned());
    }
    Ok(total.round() as u64)
}

/// A duration in milliseconds as Prometheus writes it, in the largest
/// whole unit up to days: `30d`, `6h`, `5m`, `90s`, `500ms`.
///
/// ```
/// use bizmetrics_facts::duration::format_ms;
/// assert_eq!(format_ms(30 * 86_400_000), "30d");
/// assert_eq!(format_ms(90_000), "90s");
/// assert_eq!(format_ms(1_500), "1500ms");
/// ```
pub fn format_ms(ms: u64) -> String {
    [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "m"),
        (1_000, "s"),
    ]
    .iter()
    .find(|(unit, _)| ms > 0 && ms % unit == 0)
    .map_or_else(
        || format!("{ms}ms"),
        |(unit, name)| format!("{}{name}", ms / unit),
    )
}
