//! `implement_operation_traits`: every operation builder implements `crate::Operation`,
//! and those of paged lists `crate::PagedOperation<Item>`.
//!
//! The builders are unrelated types, each with an inherent `send`; these impls are what
//! lets hand-written code treat them alike (`.call()`, `.stream(..)` in awork-api-ext)
//! without one function per operation. An operation is paged when its builder has both
//! a `page` and a `page_size` setter and its answer is a list. The impls carry the
//! builder's own `cfg`, so they exist exactly when the builder does.

use super::LayoutReport;
use super::tokens::{module_mut, self_type_name};
use anyhow::{Result, bail};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// What the trait impls need to know about one builder struct.
struct BuilderShape {
    cfgs: Vec<syn::Attribute>,
    fields: BTreeSet<String>,
}

/// Adds the impls after each builder's inherent impl.
pub fn implement(file: &mut syn::File, report: &mut LayoutReport) -> Result<()> {
    let Some(items) = module_mut(&mut file.items, "builder") else {
        return Ok(());
    };
    let shapes = builder_shapes(items);
    let mut out = Vec::with_capacity(items.len() * 2);
    for item in items.drain(..) {
        let added = match &item {
            syn::Item::Impl(imp) if imp.trait_.is_none() => trait_impls(imp, &shapes, report)?,
            _ => Vec::new(),
        };
        out.push(item);
        out.extend(added);
    }
    *items = out;
    Ok(())
}

/// Builder struct name → its `cfg` attributes and field names.
fn builder_shapes(items: &[syn::Item]) -> BTreeMap<String, BuilderShape> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((
                s.ident.to_string(),
                BuilderShape {
                    cfgs: s
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("cfg"))
                        .cloned()
                        .collect(),
                    fields: s
                        .fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect(),
                },
            )),
            _ => None,
        })
        .collect()
}

/// The trait impls for the builder `imp` is the inherent impl of; none when it has no
/// `send`.
fn trait_impls(
    imp: &syn::ItemImpl,
    shapes: &BTreeMap<String, BuilderShape>,
    report: &mut LayoutReport,
) -> Result<Vec<syn::Item>> {
    let Some(send) = imp.items.iter().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    }) else {
        return Ok(Vec::new());
    };
    let name = self_type_name(imp);
    let Some(shape) = shapes.get(&name) else {
        bail!("builder impl {name} has no struct");
    };
    let (output, error_body) = send_result(&send.sig.output).ok_or_else(|| {
        anyhow::anyhow!("{name}::send does not return Result<ResponseValue<_>, Error<_>>")
    })?;
    let self_ty = &imp.self_ty;
    let generics = &imp.generics;
    let cfgs = &shape.cfgs;
    let mut impls = vec![syn::parse2(quote! {
        #(#cfgs)*
        impl #generics crate::Operation for #self_ty {
            type Output = #output;
            type ErrorBody = #error_body;
            fn send_operation(
                self,
            ) -> impl ::std::future::Future<
                Output = Result<ResponseValue<Self::Output>, Error<Self::ErrorBody>>,
            > + Send {
                self.send()
            }
        }
    })?];
    report.operations_with_traits += 1;
    let paged = shape.fields.contains("page") && shape.fields.contains("page_size");
    if let (true, Some(item)) = (paged, vec_item(&output)) {
        impls.push(syn::parse2(quote! {
            #(#cfgs)*
            impl #generics crate::PagedOperation<#item> for #self_ty {
                fn with_page(self, page: u32, page_size: u32) -> Self {
                    self.page(page).page_size(page_size)
                }
            }
        })?);
        report.paged_operations += 1;
    }
    Ok(impls)
}

/// `T` and `E` of `-> Result<ResponseValue<T>, Error<E>>`.
fn send_result(output: &syn::ReturnType) -> Option<(syn::Type, syn::Type)> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let [ok, err] = generic_args(ty, "Result")?.try_into().ok()?;
    let [value] = generic_args(&ok, "ResponseValue")?.try_into().ok()?;
    let [body] = generic_args(&err, "Error")?.try_into().ok()?;
    Some((value, body))
}

/// `T` of a `Vec<T>` (written with any path, e.g. `::std::vec::Vec<T>`).
fn vec_item(ty: &syn::Type) -> Option<syn::Type> {
    let [item] = generic_args(ty, "Vec")?.try_into().ok()?;
    Some(item)
}

/// The type arguments of `ty` when its last path segment is `name`.
fn generic_args(ty: &syn::Type, name: &str) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A type as text, spaced the way `quote` prints it.
    fn text(ty: &syn::Type) -> String {
        quote!(#ty).to_string()
    }

    #[test]
    fn the_result_of_send_names_output_and_error_body() {
        let output: syn::ReturnType =
            syn::parse_str("-> Result<ResponseValue<::std::vec::Vec<types::User>>, Error<()>>")
                .unwrap();
        let (value, body) = send_result(&output).unwrap();
        assert_eq!(text(&value), ":: std :: vec :: Vec < types :: User >");
        assert_eq!(text(&body), "()");
        assert_eq!(
            vec_item(&value).map(|t| text(&t)).as_deref(),
            Some("types :: User")
        );
        let other: syn::ReturnType = syn::parse_str("-> Option<u8>").unwrap();
        assert!(send_result(&other).is_none());
    }
}
