//! The body shapes an annotated function can have, named once: the body
//! run in place, in a `FnOnce` closure, as a desugared `async fn`, as an
//! `async fn` that never returns, or as the future a function returns; and
//! how each is told from the signature.

use proc_macro2::{TokenStream, TokenTree};
use syn::{
    FnArg, GenericArgument, Pat, PathArguments, ReturnType, Signature, Type, TypeParamBound,
};

use crate::ast::{is_never, pattern_bindings};
use crate::plan::Plan;

/// How the body is run and its outcome read.
pub enum Shape<'a> {
    /// In place, behind a count or a guard that records `ok` when it
    /// returns and `panic` when it unwinds: no value decides the outcome.
    InPlace,
    /// In a `FnOnce` closure, whose return value is judged.
    Closure,
    /// An `async fn`'s body, as a future the runtime wraps. `desugared`
    /// when the `async fn` becomes `fn -> impl Future`, so that rustc
    /// builds one state machine, not two.
    Async { desugared: bool },
    /// An `async fn` that returns `!`, such as a server's accept loop: its
    /// future never completes, so it ends cancelled or by a panic. It stays
    /// `async`, since `impl Future<Output = !>` is not stable Rust.
    AsyncNever,
    /// A function that returns a future rather than being `async`: the
    /// future is wrapped and judged, not the building of it. `output` is
    /// the future's output, where the signature names it.
    ReturnedFuture { output: Option<&'a Type> },
}

impl<'a> Shape<'a> {
    /// The shape of a checked function with this signature and body.
    pub fn of(plan: &Plan, sig: &'a Signature, body: &TokenStream) -> Shape<'a> {
        let output = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(&**ty),
        };
        let needs_outcome = plan.timed.is_some() || plan.needs_fallible();
        if sig.asyncness.is_some() {
            if !needs_outcome {
                Shape::InPlace
            } else if output.is_some_and(is_never) {
                Shape::AsyncNever
            } else {
                Shape::Async {
                    desugared: !plan.keep_async && desugarable(sig, body),
                }
            }
        } else if let Some(FutureOutput(output)) = output.and_then(future_output) {
            Shape::ReturnedFuture { output }
        } else if plan.needs_fallible() || output.is_some_and(may_be_result) {
            Shape::Closure
        } else {
            Shape::InPlace
        }
    }
}

/// Whether `desugar` keeps the `async fn`'s meaning exactly: no parameter
/// binds by `ref` (the future would borrow a local of the call), and every
/// named one is mentioned in the body or starts with `_`, so that moving
/// them all into the future (to drop them when it ends, in reverse order, as
/// the `async fn` did) is no use that an unused-variable warning would miss.
fn desugarable(sig: &Signature, body: &TokenStream) -> bool {
    fn idents(tokens: &TokenStream, found: &mut std::collections::HashSet<String>) {
        for token in tokens.clone() {
            match token {
                TokenTree::Ident(ident) => {
                    found.insert(ident.to_string());
                }
                TokenTree::Group(group) => idents(&group.stream(), found),
                _ => {}
            }
        }
    }
    let mut mentioned = std::collections::HashSet::new();
    idents(body, &mut mentioned);
    sig.inputs.iter().all(|input| {
        let FnArg::Typed(typed) = input else {
            return true;
        };
        let mut names = Vec::new();
        if by_ref(&typed.pat) {
            return false;
        }
        pattern_bindings(&typed.pat, &mut names);
        names.iter().all(|name| {
            let name = name.to_string();
            name.starts_with('_') || mentioned.contains(&name)
        })
    })
}

/// Whether a pattern binds anything by `ref` or `ref mut`.
fn by_ref(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(pat) => {
            pat.by_ref.is_some() || pat.subpat.as_ref().is_some_and(|(_, p)| by_ref(p))
        }
        Pat::TupleStruct(pat) => pat.elems.iter().any(by_ref),
        Pat::Tuple(pat) => pat.elems.iter().any(by_ref),
        Pat::Struct(pat) => pat.fields.iter().any(|f| by_ref(&f.pat)),
        Pat::Reference(pat) => by_ref(&pat.pat),
        Pat::Type(pat) => by_ref(&pat.pat),
        Pat::Slice(pat) => pat.elems.iter().any(by_ref),
        Pat::Or(pat) => pat.cases.iter().any(by_ref),
        _ => false,
    }
}

/// A returned future's output type, where the signature names it.
struct FutureOutput<'a>(Option<&'a Type>);

/// The output of a return type that is a future, `None` inside where the
/// signature does not name it: `impl Future<Output = T>`, a
/// `Pin<Box<dyn Future<Output = T> + Send>>`, or a `BoxFuture<'_, T>` or
/// `LocalBoxFuture<'_, T>` alias.
fn future_output(ty: &Type) -> Option<FutureOutput<'_>> {
    match ty {
        Type::ImplTrait(bounds) => future_bound(bounds.bounds.iter()),
        Type::Path(path) => {
            let last = path.path.segments.last()?;
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            if last.ident == "BoxFuture" || last.ident == "LocalBoxFuture" {
                let output = args.args.iter().rev().find_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                });
                return Some(FutureOutput(output));
            }
            if last.ident != "Pin" {
                return None;
            }
            let Some(GenericArgument::Type(Type::Path(boxed))) = args.args.first() else {
                return None;
            };
            let boxed = boxed.path.segments.last()?;
            let PathArguments::AngleBracketed(inner) = &boxed.arguments else {
                return None;
            };
            match (boxed.ident == "Box", inner.args.first()) {
                (true, Some(GenericArgument::Type(Type::TraitObject(object)))) => {
                    future_bound(object.bounds.iter())
                }
                _ => None,
            }
        }
        Type::Group(group) => future_output(&group.elem),
        Type::Paren(paren) => future_output(&paren.elem),
        _ => None,
    }
}

fn future_bound<'a>(
    mut bounds: impl Iterator<Item = &'a TypeParamBound>,
) -> Option<FutureOutput<'a>> {
    bounds.find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return Some(FutureOutput(None));
        };
        let output = args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(&assoc.ty),
            _ => None,
        });
        Some(FutureOutput(output))
    })
}

/// Whether a value of this type could be a `Result`, through an alias
/// included. Types that are plainly something else run in place.
fn may_be_result(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return true;
            };
            let plain = [
                "Option", "Vec", "String", "Box", "bool", "char", "str", "u8", "u16", "u32", "u64",
                "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
            ];
            !plain.iter().any(|name| last.ident == name)
        }
        Type::Group(group) => may_be_result(&group.elem),
        Type::Paren(paren) => may_be_result(&paren.elem),
        // `<T as Trait>::Out` may well be a `Result`, as may a macro's type.
        Type::Path(_) | Type::Macro(_) | Type::Verbatim(_) => true,
        // References, tuples, `!`, slices, arrays, pointers, `impl Trait`
        // (whose outcome is opaque, hence `ok`) and trait objects.
        _ => false,
    }
}
