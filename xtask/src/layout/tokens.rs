//! Small helpers for finding things in progenitor's syntax tree.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::BTreeSet;

/// The module `name` among `items`, mutably.
pub fn module_mut<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Every identifier in `tokens`, groups included.
pub fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                out.insert(ident.to_string());
            }
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// The identifiers in `node` that name one of `known`.
pub fn referenced<T: ToTokens>(node: &T, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    idents(node.to_token_stream(), &mut all);
    all.retain(|name| known.contains(name));
    all
}

/// The name an item declares (struct, enum, type alias, union), if it declares one.
pub fn declared_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Union(u) => Some(u.ident.to_string()),
        _ => None,
    }
}

/// The attributes of an item that can carry them, mutably.
pub fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(s) => Some(&mut s.attrs),
        syn::Item::Enum(e) => Some(&mut e.attrs),
        syn::Item::Type(t) => Some(&mut t.attrs),
        syn::Item::Union(u) => Some(&mut u.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Fn(f) => Some(&mut f.attrs),
        syn::Item::Const(c) => Some(&mut c.attrs),
        _ => None,
    }
}

/// Whether `attrs` hold a `#[derive(...)]` that names `derive`.
pub fn derives(attrs: &[syn::Attribute], derive: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive") && {
            let mut names = BTreeSet::new();
            idents(attr.meta.to_token_stream(), &mut names);
            names.contains(derive)
        }
    })
}

/// The last segment of an impl's self type (`GetX` for `impl<'a> GetX<'a>`), or "".
pub fn self_type_name(imp: &syn::ItemImpl) -> String {
    match &*imp.self_ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}
