//! `gate_by_area`: every operation behind its area's Cargo feature, every type behind
//! the features of the operations that reach it.
//!
//! The reach of a type is computed on the generated code itself, not on the document,
//! so that it matches exactly what the compiler will need: an operation needs the types
//! its builder names; a type needs the types its definition and its impls name. A type
//! is then compiled when any feature that reaches it is on, which makes every
//! combination of features compile. Types that no operation reaches (parts of webhook
//! payloads, forms of the multipart uploads, models awork does not use in any path)
//! are compiled only with their own feature, [`UNREFERENCED`].

use super::LayoutReport;
use super::tokens::{self, module_mut};
use anyhow::{Result, bail};
use std::collections::{BTreeMap, BTreeSet};

/// The feature of the types that no operation reaches.
pub const UNREFERENCED: &str = "unreferenced-schemas";

/// Gates the operations (method, builder) and types of `file`.
///
/// `assigned` maps each generated method to its area; `order` lists the areas as the
/// table does (the order of the features in a `cfg`).
pub fn by_area(
    file: &mut syn::File,
    assigned: &BTreeMap<String, String>,
    order: &[String],
    report: &mut LayoutReport,
) -> Result<()> {
    let builders = gate_client_methods(&mut file.items, assigned)?;
    let type_names = type_names(&mut file.items);
    let op_refs = gate_operation_builders(&mut file.items, &builders, &type_names)?;
    let graph = type_graph(&mut file.items, &type_names);
    let mut reach = reach(&op_refs, &graph);
    // The types no operation reaches get their own feature, which must also bring every
    // type they hold.
    let unreached: BTreeSet<String> = type_names
        .iter()
        .filter(|t| !reach.contains_key(*t))
        .cloned()
        .collect();
    let pseudo = BTreeMap::from([(UNREFERENCED.to_string(), unreached.clone())]);
    for (ty, areas) in self::reach(&pseudo, &graph) {
        reach.entry(ty).or_default().extend(areas);
    }
    let mut order: Vec<String> = order.to_vec();
    order.push(UNREFERENCED.to_string());
    let order = order.as_slice();

    report.operations_per_area = order
        .iter()
        .filter(|a| *a != UNREFERENCED)
        .map(|area| {
            (
                area.clone(),
                assigned.values().filter(|a| *a == area).count(),
            )
        })
        .collect();
    for areas in reach.values() {
        for area in areas.iter().filter(|a| *a != UNREFERENCED) {
            *report.types_per_area.entry(area.clone()).or_default() += 1;
        }
    }
    report.unreached_types = unreached.into_iter().collect();

    let Some(types) = module_mut(&mut file.items, "types") else {
        return Ok(());
    };
    for item in types.iter_mut() {
        let owners = owners(item, &type_names);
        if owners.is_empty() {
            continue;
        }
        let condition = cfg_for_owners(&owners, &reach, order);
        if let Some(attrs) = tokens::attrs_mut(item) {
            attrs.insert(0, condition);
        }
    }
    Ok(())
}

/// Puts each `Client` method of an operation behind its area and returns
/// builder struct name → area.
fn gate_client_methods(
    items: &mut [syn::Item],
    assigned: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut builders = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_client(&imp.self_ty) {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let name = f.sig.ident.to_string();
            let Some(area) = assigned.get(&name) else {
                continue;
            };
            let Some(builder) = returned_builder(&f.sig.output) else {
                bail!("gate_by_area: Client::{name} does not return a builder");
            };
            f.attrs.insert(0, cfg_any(std::slice::from_ref(area)));
            builders.insert(builder, area.clone());
            seen.insert(name);
        }
    }
    let missing: Vec<&String> = assigned.keys().filter(|m| !seen.contains(*m)).collect();
    if !missing.is_empty() {
        bail!("gate_by_area: no Client method for {missing:?}");
    }
    Ok(builders)
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// `builder::GetX<'_>` → `GetX`.
fn returned_builder(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// The names of the types module's types.
fn type_names(items: &mut [syn::Item]) -> BTreeSet<String> {
    module_mut(items, "types")
        .map(|types| types.iter().filter_map(tokens::declared_name).collect())
        .unwrap_or_default()
}

/// Gates each operation builder (struct and impls) by its area; returns area → the
/// types its operations name.
fn gate_operation_builders(
    items: &mut [syn::Item],
    builders: &BTreeMap<String, String>,
    type_names: &BTreeSet<String>,
) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut refs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Some(module) = module_mut(items, "builder") else {
        return Ok(refs);
    };
    let mut gated = BTreeSet::new();
    for item in module.iter_mut() {
        let name = match &*item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Impl(imp) => tokens::self_type_name(imp),
            _ => continue,
        };
        let Some(area) = builders.get(&name) else {
            continue;
        };
        refs.entry(area.clone())
            .or_default()
            .extend(tokens::referenced(&*item, type_names));
        if let Some(attrs) = tokens::attrs_mut(item) {
            attrs.insert(0, cfg_any(std::slice::from_ref(area)));
        }
        gated.insert(name);
    }
    let missing: Vec<&String> = builders.keys().filter(|b| !gated.contains(*b)).collect();
    if !missing.is_empty() {
        bail!("gate_by_area: no operation builder named {missing:?}");
    }
    Ok(refs)
}

/// The types an item of the types module is about: what it declares, or the known
/// types in an impl's header (`impl From<A> for B` is about A and B).
fn owners(item: &syn::Item, type_names: &BTreeSet<String>) -> BTreeSet<String> {
    match item {
        syn::Item::Impl(imp) => {
            let mut header = tokens::referenced(&*imp.self_ty, type_names);
            if let Some((path, _)) = &imp.trait_ {
                header.extend(tokens::referenced(path, type_names));
            }
            header
        }
        other => tokens::declared_name(other).into_iter().collect(),
    }
}

/// type → the types it needs (its definition's and its impls' references).
fn type_graph(
    items: &mut [syn::Item],
    type_names: &BTreeSet<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Some(types) = module_mut(items, "types") else {
        return graph;
    };
    for item in types.iter() {
        let owners = owners(item, type_names);
        let refs = tokens::referenced(item, type_names);
        for owner in &owners {
            graph
                .entry(owner.clone())
                .or_default()
                .extend(refs.iter().filter(|r| *r != owner).cloned());
        }
    }
    graph
}

/// type → the areas whose operations reach it, transitively.
fn reach(
    op_refs: &BTreeMap<String, BTreeSet<String>>,
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut reach: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (area, roots) in op_refs {
        let mut stack: Vec<&String> = roots.iter().collect();
        while let Some(ty) = stack.pop() {
            let areas = reach.entry(ty.clone()).or_default();
            if !areas.insert(area.clone()) {
                continue;
            }
            if let Some(next) = graph.get(ty) {
                stack.extend(next.iter());
            }
        }
    }
    reach
}

/// The `cfg` of an item about `owners`: each owner's areas (or [`UNREFERENCED`] when
/// no operation reaches it), all of them required.
fn cfg_for_owners(
    owners: &BTreeSet<String>,
    reach: &BTreeMap<String, BTreeSet<String>>,
    order: &[String],
) -> syn::Attribute {
    let conditions: Vec<proc_macro2::TokenStream> = owners
        .iter()
        .map(|owner| ordered(reach.get(owner), order))
        .collect::<BTreeSet<_>>()
        .iter()
        .map(|areas| predicate(areas))
        .collect();
    match conditions.as_slice() {
        [one] => syn::parse_quote!(#[cfg(#one)]),
        many => syn::parse_quote!(#[cfg(all(#(#many),*))]),
    }
}

fn ordered(areas: Option<&BTreeSet<String>>, order: &[String]) -> Vec<String> {
    match areas {
        Some(set) => order.iter().filter(|a| set.contains(*a)).cloned().collect(),
        None => vec![UNREFERENCED.to_string()],
    }
}

fn predicate(areas: &[String]) -> proc_macro2::TokenStream {
    match areas {
        [one] => quote::quote!(feature = #one),
        many => quote::quote!(any(#(feature = #many),*)),
    }
}

fn cfg_any(areas: &[String]) -> syn::Attribute {
    let predicate = predicate(areas);
    syn::parse_quote!(#[cfg(#predicate)])
}
