//! `derive_by_direction`: each type derives the serde traits its operations use.
//!
//! typify derives `Serialize` and `Deserialize` on every type, but a response model is
//! only ever read and a request form only ever written; the unused half is about a
//! third of the crate's build cost. Like async-stripe, we derive what the operations
//! need and let users opt into the rest:
//! - a type reached from a request (body or parameter) derives `Serialize`;
//! - a type reached from a response (success or error body) derives `Deserialize`;
//! - types no operation reaches are read-only models (webhook payload parts, …);
//! - feature `serialize-responses` adds `Serialize` everywhere, `deserialize-requests`
//!   adds `Deserialize` everywhere, and `schemars` adds `JsonSchema`.

use super::LayoutReport;
use super::tokens::{self, module_mut};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use syn::punctuated::Punctuated;

/// Which way a type travels.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Direction {
    sent: bool,
    received: bool,
}

/// Rewrites the derives of every type in the types module by direction.
pub fn by_direction(file: &mut syn::File, report: &mut LayoutReport) -> Result<()> {
    let names: BTreeSet<String> = match module_mut(&mut file.items, "types") {
        Some(types) => types.iter().filter_map(tokens::declared_name).collect(),
        None => return Ok(()),
    };
    let (sent_roots, mut received_roots) = roots(&mut file.items, &names);
    let fields = field_graph(&mut file.items, &names);
    let sent = closure(&sent_roots, &fields);
    // Types no operation reaches are read as models, and so is everything they hold.
    let reached = closure(
        &sent_roots.union(&received_roots).cloned().collect(),
        &fields,
    );
    received_roots.extend(names.difference(&reached).cloned());
    let received = closure(&received_roots, &fields);
    let Some(types) = module_mut(&mut file.items, "types") else {
        return Ok(());
    };
    for item in types.iter_mut() {
        let Some(name) = tokens::declared_name(item) else {
            continue;
        };
        let direction = Direction {
            sent: sent.contains(&name),
            received: received.contains(&name),
        };
        match (direction.sent, direction.received) {
            (true, true) => report.types_both_ways += 1,
            (true, false) => report.types_sent_only += 1,
            _ => report.types_received_only += 1,
        }
        if let Some(attrs) = tokens::attrs_mut(item) {
            rewrite_derives(attrs, direction);
        }
    }
    Ok(())
}

/// The types named by operation builders' fields (sent) and by their `send()`
/// return types (received).
fn roots(
    items: &mut [syn::Item],
    names: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut sent = BTreeSet::new();
    let mut received = BTreeSet::new();
    let Some(ops) = module_mut(items, "builder") else {
        return (sent, received);
    };
    for item in ops.iter() {
        match item {
            syn::Item::Struct(s) => sent.extend(tokens::referenced(&s.fields, names)),
            syn::Item::Impl(imp) => {
                for member in &imp.items {
                    if let syn::ImplItem::Fn(f) = member
                        && f.sig.ident == "send"
                    {
                        received.extend(tokens::referenced(&f.sig.output, names));
                    }
                }
            }
            _ => {}
        }
    }
    (sent, received)
}

/// type → the types its definition (fields, variants, alias) names.
fn field_graph(
    items: &mut [syn::Item],
    names: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let Some(types) = module_mut(items, "types") else {
        return BTreeMap::new();
    };
    types
        .iter()
        .filter_map(|item| {
            let name = tokens::declared_name(item)?;
            let refs = match item {
                syn::Item::Struct(s) => tokens::referenced(&s.fields, names),
                syn::Item::Enum(e) => tokens::referenced(&e.variants, names),
                syn::Item::Type(t) => tokens::referenced(&t.ty, names),
                other => tokens::referenced(other, names),
            };
            Some((name, refs))
        })
        .collect()
}

fn closure(
    roots: &BTreeSet<String>,
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&String> = roots.iter().collect();
    while let Some(ty) = stack.pop() {
        if seen.insert(ty.clone())
            && let Some(next) = graph.get(ty)
        {
            stack.extend(next.iter());
        }
    }
    seen
}

/// Replaces `#[derive(…)]`: keeps the std derives, adds the serde derives the
/// direction needs, and puts the others behind their features.
fn rewrite_derives(attrs: &mut Vec<syn::Attribute>, direction: Direction) {
    let Some(at) = attrs.iter().position(|a| a.path().is_ident("derive")) else {
        return;
    };
    let Ok(paths) =
        attrs[at].parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
    else {
        return;
    };
    let last = |p: &syn::Path| {
        p.segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default()
    };
    let has = |name: &str| paths.iter().any(|p| last(p) == name);
    let mut kept: Vec<syn::Path> = Vec::new();
    if has("Deserialize") && direction.received {
        kept.push(syn::parse_quote!(::serde::Deserialize));
    }
    if has("Serialize") && direction.sent {
        kept.push(syn::parse_quote!(::serde::Serialize));
    }
    kept.extend(
        paths
            .iter()
            .filter(|p| !matches!(last(p).as_str(), "Deserialize" | "Serialize" | "JsonSchema"))
            .cloned(),
    );
    let mut new_attrs: Vec<syn::Attribute> = vec![syn::parse_quote!(#[derive(#(#kept),*)])];
    if has("Serialize") && !direction.sent {
        new_attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = "serialize-responses", derive(::serde::Serialize))]
        ));
    }
    if has("Deserialize") && !direction.received {
        new_attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = "deserialize-requests", derive(::serde::Deserialize))]
        ));
    }
    if has("JsonSchema") {
        new_attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        ));
    }
    attrs.splice(at..=at, new_attrs);
}
