//! Diagnostics and real uses of the attributes, compiled by trybuild.
//!
//! The `.stderr` snapshots match the toolchain in `rust-toolchain`-less CI:
//! the machine's stable rustc. Regenerate with `TRYBUILD=overwrite` after a
//! toolchain upgrade, and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
