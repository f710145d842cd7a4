//! `remove_type_builders`: drop typify's per-type builders.
//!
//! With progenitor's Builder interface, typify writes a builder for every type
//! (`types::builder::TimeBookingForm`), about 90k lines for awork's document, and the
//! operation builders keep a request body as such a builder. Every type already has
//! public fields (and `Default` when no field is required), so a body is written as a
//! struct literal and the type builders are pure build cost. This pass removes them and
//! rewrites each operation builder to hold `Result<types::X, String>`:
//! - `body(value)` is unchanged for callers;
//! - `body_map(|b| …)` now maps the type itself;
//! - a body whose type has no `Default` starts as "not set", so `send()` without
//!   `body(…)` is an `InvalidRequest` error before anything is sent.

use super::LayoutReport;
use super::tokens::{self, module_mut};
use anyhow::{Result, bail};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::visit_mut::VisitMut;

/// Removes the type builders and rewrites the operation builders that used them.
pub fn remove(file: &mut syn::File, report: &mut LayoutReport) -> Result<()> {
    let Some(types) = module_mut(&mut file.items, "types") else {
        return Ok(());
    };
    let builder_count = match types.iter().position(is_builder_mod) {
        Some(at) => count_structs(&types.remove(at)),
        None => 0,
    };
    types.retain_mut(|item| !strip_builder_fn(item));
    let with_default: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if tokens::derives(&s.attrs, "Default") => {
                Some(s.ident.to_string())
            }
            syn::Item::Enum(e) if tokens::derives(&e.attrs, "Default") => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    report.type_builders_removed = builder_count;

    let Some(ops) = module_mut(&mut file.items, "builder") else {
        return Ok(());
    };
    let bodies = body_types(ops);
    let mut rewriter = Rewriter::default();
    for item in ops.iter_mut() {
        rewriter.visit_item_mut(item);
        if let syn::Item::Impl(imp) = item {
            let Some(body_type) = bodies.get(&tokens::self_type_name(imp)) else {
                continue;
            };
            if !with_default.contains(body_type) {
                report.bodies_without_default += 1;
                start_unset(imp);
            }
        }
    }
    if rewriter.left_over > 0 {
        bail!(
            "remove_type_builders: {} references to types::builder remain after the rewrite",
            rewriter.left_over
        );
    }
    Ok(())
}

fn is_builder_mod(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Mod(m) if m.ident == "builder")
}

fn count_structs(item: &syn::Item) -> usize {
    match item {
        syn::Item::Mod(m) => m.content.as_ref().map_or(0, |(_, items)| {
            items
                .iter()
                .filter(|i| matches!(i, syn::Item::Struct(_)))
                .count()
        }),
        _ => 0,
    }
}

/// Removes `pub fn builder() -> builder::X` from an inherent impl; true when the impl
/// is left empty and should go too.
fn strip_builder_fn(item: &mut syn::Item) -> bool {
    let syn::Item::Impl(imp) = item else {
        return false;
    };
    if imp.trait_.is_some() {
        return false;
    }
    let before = imp.items.len();
    imp.items
        .retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
    before != imp.items.len() && imp.items.is_empty()
}

/// Operation builder name → the type of its `body` field, for bodies that were builders.
fn body_types(ops: &[syn::Item]) -> BTreeMap<String, String> {
    ops.iter()
        .filter_map(|item| {
            let syn::Item::Struct(s) = item else {
                return None;
            };
            let body = s
                .fields
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))?;
            let text = body.ty.to_token_stream().to_string().replace(' ', "");
            let name = text
                .strip_prefix("Result<types::builder::")?
                .strip_suffix(",String>")?;
            Some((s.ident.to_string(), name.to_string()))
        })
        .collect()
}

/// In `new()`, the body starts as an error that says it was not set.
fn start_unset(imp: &mut syn::ItemImpl) {
    struct Unset;
    impl VisitMut for Unset {
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if matches!(&field.member, syn::Member::Named(n) if n == "body") {
                field.expr = syn::parse_quote!(Err("body was not set".to_string()));
            }
        }
    }
    for item in &mut imp.items {
        if let syn::ImplItem::Fn(f) = item
            && f.sig.ident == "new"
        {
            Unset.visit_impl_item_fn_mut(f);
        }
    }
}

/// Rewrites `types::builder::X` to `types::X` and drops the builder-to-type
/// conversion in `send()`.
#[derive(Default)]
struct Rewriter {
    left_over: usize,
}

impl VisitMut for Rewriter {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names.len() >= 3 && names[0] == "types" && names[1] == "builder" {
            let segments = std::mem::take(&mut path.segments);
            path.segments = segments
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, s)| s)
                .collect();
        } else if names.iter().any(|n| n == "builder")
            && names.first().is_some_and(|n| n == "types")
        {
            self.left_over += 1;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "and_then"
            && call.args.len() == 1
            && call.args[0]
                .to_token_stream()
                .to_string()
                .contains("try_from")
        {
            let receiver = std::mem::replace(&mut *call.receiver, syn::parse_quote!(()));
            *expr = receiver;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}
