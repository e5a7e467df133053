//! Names resolve as the user's code has them: a glob import in the body does
//! not reach the signature, a macro defined in the body sees the `let`s
//! before it, a local module named `bizmetrics` is left alone, attribute
//! arguments may come from `macro_rules!` fragments, and a raw identifier is
//! labelled without its `r#`. Compile-only counterparts:
//! `tests/ui/pass/shape_{type_shadowing,local_macro,local_module,macro_*,raw_ident}.rs`.

use bizmetrics::{business_metric, timed};
use bizmetrics_tests::{actions, sample};

/// Every outcome's count for `function`, in `ok, error, panic, cancelled` order.
fn outcomes(function: &str) -> [f64; 4] {
    bizmetrics_tests::outcomes(module_path!(), function)
}

/// `application_errors_total` for `function`.
fn errors(function: &str) -> f64 {
    bizmetrics_tests::errors(module_path!(), function)
}

// From tracing-attributes tests/ui/pass/type_shadowing.rs (tracing issue
// #3306), renamed: the glob import brings in the variant `Shadows::Unit`,
// which shadows the type alias `Unit` of the return type inside the body.
type Unit = ();
#[allow(dead_code)]
enum Shadows {
    Unit,
}

#[timed]
fn this_is_fine() -> Unit {
    // glob import imports Shadows::Unit, shadowing Unit
    #[allow(unused_imports)]
    use Shadows::*;
}

// The variants `Ok` and `Error` of a glob-imported enum shadow the
// prelude's `Ok` and the `Error` type of the signature.
#[derive(Debug, PartialEq)]
struct Error;

#[derive(Clone, Copy)]
enum Reply {
    Ok,
    Error,
}

#[business_metric(action = "classify", count = "ok")]
#[timed(errors)]
fn classify(reply: Reply) -> Result<u32, Error> {
    use Reply::*;
    match reply {
        Ok => Result::Ok(1),
        Error => Result::Err(self::Error),
    }
}

#[test]
fn a_glob_import_in_the_body_does_not_reach_the_signature() {
    this_is_fine();
    assert_eq!(classify(Reply::Ok), Ok(1));
    assert_eq!(classify(Reply::Error), Err(Error));
    assert_eq!(outcomes("this_is_fine"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(outcomes("classify"), [1.0, 1.0, 0.0, 0.0]);
    assert_eq!(errors("classify"), 1.0);
    assert_eq!(actions("classify", "classify"), 1.0);
}

// A `macro_rules!` in the body, after a `let` that it uses.
#[business_metric(action = "shift")]
#[timed]
fn shifted(base: u32) -> u32 {
    let offset = 10;
    macro_rules! shift {
        ($x:expr) => {
            $x + offset + base
        };
    }
    shift!(1)
}

#[test]
fn a_macro_defined_in_the_body_sees_the_lets_before_it() {
    assert_eq!(shifted(5), 16);
    assert_eq!(shifted(0), 11);
    assert_eq!(outcomes("shifted"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("shift", "shifted"), 2.0);
}

mod user_module {
    // From tracing-attributes tests/instrument.rs: user_tracing_module
    // (tracing issue #3119), with `bizmetrics` for `tracing`.
    #[::bizmetrics::timed]
    pub fn my_fn() -> &'static str {
        bizmetrics::my_other_fn()
    }

    mod bizmetrics {
        pub fn my_other_fn() -> &'static str {
            "test"
        }
    }
}

#[test]
fn a_local_module_named_bizmetrics_is_left_alone() {
    assert_eq!(user_module::my_fn(), "test");
    assert_eq!(
        sample(
            r#"function_duration_seconds_count{function="my_fn",module="hygiene::user_module",outcome="ok"}"#
        ),
        1.0
    );
}

// `$a:literal`.
macro_rules! counted_literal {
    ($name:ident, $a:literal) => {
        #[business_metric(action = $a)]
        #[timed]
        fn $name() -> u32 {
            1
        }
    };
}

counted_literal!(from_literal, "literal_action");

// `$a:expr`, which arrives in an invisible group.
macro_rules! counted_expr {
    ($a:expr) => {
        #[business_metric(action = $a)]
        #[timed]
        fn from_expr() -> u32 {
            2
        }
    };
}

counted_expr!("expr_action");

#[test]
fn actions_from_macro_rules_fragments() {
    assert_eq!(from_literal() + from_literal() + from_expr(), 4);
    assert_eq!(actions("literal_action", "from_literal"), 2.0);
    assert_eq!(outcomes("from_literal"), [2.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("expr_action", "from_expr"), 1.0);
    assert_eq!(outcomes("from_expr"), [1.0, 0.0, 0.0, 0.0]);
}

// A raw identifier, labelled without its `r#`.
#[business_metric(action = "type")]
#[timed]
fn r#type() -> &'static str {
    "type"
}

#[test]
fn a_raw_identifier_is_labelled_without_r_hash() {
    assert_eq!(r#type(), "type");
    assert_eq!(outcomes("type"), [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(actions("type", "type"), 1.0);
    assert!(!bizmetrics::render().contains("r#type"));
}
