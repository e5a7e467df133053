//! Every form of `slo(...)`: alone, with a latency objective, from a set of
//! defaults and switched off again, on a method, next to `alert(...)`.
#![deny(warnings, clippy::pedantic)]

use bizmetrics::timed;

bizmetrics::defaults! {
    handler = timed(errors, slo(availability = "99.5%"));
}

#[timed(slo(availability = "99.9%"))]
fn checkout() -> Result<(), String> {
    Ok(())
}

#[timed(
    name = "payment_duration_seconds",
    buckets = [0.1, 0.3, 1.0],
    alert(error_ratio = 0.05),
    slo(availability = "99.95%", window = "4w", latency(p99 = "300ms")),
)]
async fn pay() -> Result<(), String> {
    Ok(())
}

// The default buckets have a bound at 250 ms.
#[timed(slo(latency(p95 = "250ms"), window = "7d"))]
fn search() {}

#[timed(defaults = handler)]
fn refund() -> Result<(), String> {
    Ok(())
}

#[timed(defaults = handler, slo = false)]
fn audit() -> Result<(), String> {
    Ok(())
}

struct Cart;

#[timed(slo(availability = "99%"))]
impl Cart {
    fn add(&self) {}
}

fn main() {
    let _ = checkout();
    let _ = pay();
    search();
    let _ = refund();
    let _ = audit();
    Cart.add();
    let rules = bizmetrics::monitoring::Stack::new("shop").alert_rules().unwrap();
    for (function, slo) in [
        ("checkout", "availability"),
        ("pay", "availability"),
        ("pay", "latency"),
        ("search", "latency"),
        ("refund", "availability"),
        ("Cart::add", "availability"),
    ] {
        let lines: Vec<&str> = rules.lines().collect();
        let declared = lines.windows(3).any(|w| {
            w[0] == format!("      function: {function}")
                && w[1].starts_with("      module: ")
                && w[2] == format!("      slo: {slo}")
        });
        assert!(declared, "no {slo} objective for {function}:\n{rules}");
    }
    assert!(!rules.contains("function: audit"), "{rules}");
    // 4 weeks: the workbook's 2% of the budget in an hour is a burn rate of 13.44.
    assert!(rules.contains("(13.44 * (1 - 0.9995))"), "{rules}");
}
