//! `document_from_facts`: our doc lines under progenitor's on each operation's method.

use super::LayoutReport;
use std::collections::BTreeMap;

/// Appends `docs[method]` (one paragraph a line) to the docs of each `Client` method.
pub fn add_facts(
    file: &mut syn::File,
    docs: &BTreeMap<String, Vec<String>>,
    report: &mut LayoutReport,
) {
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some()
            || !matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let Some(lines) = docs.get(&f.sig.ident.to_string()) else {
                continue;
            };
            let at = f
                .attrs
                .iter()
                .rposition(|a| a.path().is_ident("doc"))
                .map_or(0, |i| i + 1);
            let attrs: Vec<syn::Attribute> = lines
                .iter()
                .flat_map(|line| {
                    [
                        syn::parse_quote!(#[doc = ""]),
                        syn::parse_quote!(#[doc = #line]),
                    ]
                })
                .collect();
            f.attrs.splice(at..at, attrs);
            report.operations_documented += 1;
        }
    }
}
