// A bad argument passed through a `macro_rules!`: the error lands on the
// caller's `1`, whether the macro takes `$a:expr` or `$a:literal`.
macro_rules! counted_expr {
    ($name:ident, $a:expr) => {
        #[bizmetrics::business_metric(action = $a)]
        fn $name() {}
    };
}

macro_rules! counted_literal {
    ($name:ident, $a:literal) => {
        #[bizmetrics::business_metric(action = $a)]
        fn $name() {}
    };
}

counted_expr!(from_expr, 1);
counted_literal!(from_literal, 1);

fn main() {}
