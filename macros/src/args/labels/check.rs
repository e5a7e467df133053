//! The checks of `labels(...)` against the naming rules, the attribute's
//! own labels and the function's parameters, into checked [`Labels`].

use syn::ext::IdentExt;
use syn::{Expr, Type};

use super::{Binding, Dimension, LabelSource, Labels};
use crate::args::Args;
use crate::ast::Function;
use crate::errors::Errors;
use crate::naming::{invalid_identifier, reserved_label};

/// The labels of one attribute, each dimension with its type, and every
/// mistake in them pushed.
pub fn check(args: &Args, function: &Function, errors: &mut Errors) -> Labels {
    check_names(args, function, errors);
    let mut fixed = Vec::new();
    let mut dimensions = Vec::new();
    for label in &args.labels {
        let name = label.key.unraw().to_string();
        match &label.value {
            LabelSource::Fixed(value) => fixed.push((name, value.clone())),
            LabelSource::Call { ty, expr } => {
                if let Some(ty) = ty.as_deref().or_else(|| label_type(function, expr)) {
                    dimensions.push(Dimension {
                        name,
                        ty: ty.clone(),
                        value: (**expr).clone(),
                        binding: None,
                    });
                }
            }
            LabelSource::Binding { ty } => {
                let binding = &label.key;
                if let Some(ty) = ty.as_deref().or_else(|| function.param_type(binding)) {
                    // A name the attribute sets itself is caught with the
                    // group fields' names, where the expansion compares them.
                    let unfit_name = unfit_label_name(args, &name)
                        .filter(|_| !args.attr.own_labels().contains(&name.as_str()));
                    let span = binding.span();
                    dimensions.push(Dimension {
                        name,
                        ty: ty.clone(),
                        value: syn::parse_quote!(#binding),
                        binding: Some(Binding { span, unfit_name }),
                    });
                }
            }
        }
    }
    Labels { fixed, dimensions }
}

fn check_names(args: &Args, function: &Function, errors: &mut Errors) {
    let mut seen: Vec<String> = Vec::new();
    for label in &args.labels {
        let key = label.key.unraw().to_string();
        let span = label.key.span();
        if let LabelSource::Binding { ty } = &label.value {
            // Whether the binding is a group, and its field names, are
            // known only at compile time of the expansion.
            if !function.has_param(&label.key) {
                let binding = &label.key;
                let expr = syn::parse_quote!(#binding);
                errors.push(span, untyped_label(function, &key, &expr, true));
            } else if ty.is_none() && function.param_type(&label.key).is_none() {
                errors.push(
                    span,
                    format!(
                        "cannot tell the type of `{key}`: name it, like `labels({key}: Profile)`"
                    ),
                );
            }
            continue;
        }
        if let Some(problem) = unfit_label_name(args, &key) {
            errors.push(span, problem);
        } else if seen.contains(&key) {
            errors.push(span, format!("duplicate label `{key}`"));
        }
        seen.push(key.clone());
        if let LabelSource::Call { ty: None, expr } = &label.value {
            if label_type(function, expr).is_none() {
                errors.push_spanned(expr, untyped_label(function, &key, expr, false));
            }
        }
    }
}

/// Why `key` cannot name a label of this attribute's metrics, if it cannot.
fn unfit_label_name(args: &Args, key: &str) -> Option<String> {
    if let Some(problem) = invalid_identifier(key) {
        Some(format!("`{key}` is not a valid label name: {problem}"))
    } else if let Some(reason) = reserved_label(key) {
        Some(format!("label name `{key}` is reserved: {reason}"))
    } else if key == "slo" && args.slo.is_some() {
        Some("label `slo` would be overwritten: the objective's recording rules and alerts label their series `slo`; choose another name".to_owned())
    } else if args.attr.own_labels().contains(&key) {
        Some(format!(
            "label `{key}` is set by `{}` itself; choose another name",
            args.attr.display()
        ))
    } else {
        None
    }
}

/// Why a label written `key = expr` has no type we can see.
fn untyped_label(function: &Function, key: &str, expr: &Expr, binding: bool) -> String {
    let named = match expr {
        Expr::Path(path) => path.path.get_ident(),
        _ => None,
    };
    if let Some(ident) = named.filter(|ident| !function.has_param(ident)) {
        let params = function.param_names();
        let params = if params.is_empty() {
            "it has none".to_owned()
        } else {
            format!(
                "they are {}",
                params
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let binding = if binding {
            "; `labels(name)` takes a parameter whose type derives `LabelValue` (the label `name`) or `LabelGroup` (a label per field)"
        } else {
            ""
        };
        return format!(
            "`{ident}` is not a parameter of `{}`; {params}{binding}",
            function.sig.ident
        );
    }
    format!(
        "cannot tell the type of label `{key}`: only a parameter with a declared type can go without one; name it, like `labels({key}: Device = ...)`"
    )
}

/// The type of a label fed by `expr` without `: Type`: that of the
/// parameter `expr` names, if it is one.
pub fn label_type<'f>(function: &'f Function, expr: &Expr) -> Option<&'f Type> {
    let Expr::Path(path) = expr else { return None };
    let ident = path.path.get_ident()?;
    function.param_type(ident)
}
