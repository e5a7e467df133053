//! A number of cells: a literal when every factor is known at expansion,
//! so most call sites give rustc no constant to evaluate.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

#[derive(Clone)]
pub enum Size {
    Known(usize),
    /// A constant expression rustc evaluates, such as a label type's
    /// `CARDINALITY`.
    Const(TokenStream),
}

impl Size {
    pub fn times(&self, other: &Size) -> Size {
        match (self, other) {
            (Size::Known(a), Size::Known(b)) => Size::Known(a * b),
            _ => Size::Const(quote!((#self * #other))),
        }
    }

    pub fn plus(&self, other: &Size) -> Size {
        match (self, other) {
            (Size::Known(a), Size::Known(b)) => Size::Known(a + b),
            _ => Size::Const(quote!((#self + #other))),
        }
    }
}

impl ToTokens for Size {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Size::Known(n) => Literal::usize_unsuffixed(*n).to_tokens(tokens),
            Size::Const(expr) => expr.to_tokens(tokens),
        }
    }
}
