//! `redact_secret_fields`: a generated type that holds a secret does not print it.
//!
//! typify derives `Debug` on every type, so `{:?}` of a token answer, a client
//! application's secret or a webhook form with its auth header would print the secret:
//! into a log line, a panic message, an `Error`'s text. For a struct with secret fields
//! the pass swaps the derived `Debug` for an impl that prints every other field as the
//! derive would and each secret through `crate::Redacted` (`"<redacted>"`, or `None`
//! when unset). Serialization is untouched: the secret still goes on the wire.
//!
//! Operation builders get the same treatment for their parameters (a shared file's
//! access token is a query parameter).
//!
//! A field is secret when it holds a string and either its name says so (it ends in
//! one of [`SECRET_SUFFIXES`]) or it is one of the [`SECRET_FIELDS`] whose names do not
//! tell (a webhook's `authentication` header value, one-time codes named `code`). The
//! report lists every redacted field, so a field that a new document renames shows up
//! in the snapshot instead of silently printing again.

use super::LayoutReport;
use super::tokens::module_mut;
use anyhow::Result;
use quote::quote;
use syn::punctuated::Punctuated;

/// Name endings (snake case) of fields that hold a credential or a code that grants
/// access: passwords, client secrets, access/refresh/reset tokens, invitation and
/// password-reset codes.
pub const SECRET_SUFFIXES: &[&str] = &[
    "password",
    "passcode",
    "secret",
    "token",
    "authorization_code",
    "invite_code",
    "invitation_code",
    "reset_code",
    "delete_workspace_code",
];

/// Secret fields whose names do not say so: (type, field).
pub const SECRET_FIELDS: &[(&str, &str)] = &[
    // The header value awork sends with every delivery; it is what the receiver checks.
    ("WebhookConfig", "authentication"),
    ("WebhookConfigForm", "authentication"),
    // One-time codes: OAuth codes of connected apps, e-mail and reset confirmations.
    ("WebhookSlackConfigForm", "code"),
    ("SocialConnectForm", "code"),
    ("PasswordResetModel", "code"),
    ("ValidatePasswordResetModel", "code"),
    ("VerifyEmailForm", "code"),
    // An `otpauth://` URL carries the second factor's shared seed.
    ("ConfigureMfaResponse", "authenticator_url"),
];

/// Redacts the secret fields of every struct in the types module, and of every
/// operation builder (a query or path parameter can be a token too).
pub fn redact(file: &mut syn::File, report: &mut LayoutReport) -> Result<()> {
    for module in ["types", "builder"] {
        let Some(items) = module_mut(&mut file.items, module) else {
            continue;
        };
        let mut out = Vec::with_capacity(items.len());
        for mut item in items.drain(..) {
            let added = match &mut item {
                syn::Item::Struct(s) => redact_struct(s, report),
                _ => None,
            };
            out.push(item);
            out.extend(added);
        }
        *items = out;
    }
    Ok(())
}

/// For a struct with secret fields: drops `Debug` from its derive and returns the
/// hand-formatted impl that replaces it.
fn redact_struct(s: &mut syn::ItemStruct, report: &mut LayoutReport) -> Option<syn::Item> {
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    let name = s.ident.to_string();
    let secrets: Vec<String> = named
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(|i| (i.to_string(), &f.ty)))
        .filter(|(field, ty)| holds_string(ty) && is_secret(&name, field))
        .map(|(field, _)| field)
        .collect();
    if secrets.is_empty() || !drop_derived_debug(&mut s.attrs) {
        return None;
    }
    let ident = &s.ident;
    let label = ident.to_string();
    let (impl_generics, type_generics, where_clause) = s.generics.split_for_impl();
    let fields = named.named.iter().filter_map(|f| {
        let field = f.ident.as_ref()?;
        let key = field.to_string();
        Some(if secrets.contains(&key) {
            quote!(.field(#key, &crate::Redacted(&self.#field)))
        } else {
            quote!(.field(#key, &self.#field))
        })
    });
    report
        .redacted_fields
        .extend(secrets.iter().map(|field| format!("{name}.{field}")));
    Some(syn::parse_quote! {
        impl #impl_generics ::std::fmt::Debug for #ident #type_generics #where_clause {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    })
}

/// Whether the field `field` of type `ty` is secret by its name or by our list.
pub fn is_secret(ty: &str, field: &str) -> bool {
    SECRET_SUFFIXES
        .iter()
        .any(|suffix| field == *suffix || field.ends_with(&format!("_{suffix}")))
        || SECRET_FIELDS.contains(&(ty, field))
}

/// `String`, `Option<String>` or a builder's `Result<String, String>`, however the path
/// is spelled.
fn holds_string(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    match last.ident.to_string().as_str() {
        "String" => true,
        "Option" | "Result" => match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => matches!(
                args.args.first(),
                Some(syn::GenericArgument::Type(inner)) if holds_string(inner)
            ),
            _ => false,
        },
        _ => false,
    }
}

/// Removes `Debug` from the struct's `#[derive(…)]`; false when it derived none.
fn drop_derived_debug(attrs: &mut [syn::Attribute]) -> bool {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let is_debug = |p: &syn::Path| p.segments.last().is_some_and(|s| s.ident == "Debug");
        if !paths.iter().any(is_debug) {
            continue;
        }
        let kept = paths.iter().filter(|p| !is_debug(p));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_say_secret_are_secret_and_lookalikes_are_not() {
        for field in [
            "password",
            "new_password",
            "client_secret",
            "access_token",
            "token",
            "invite_code",
            "password_reset_code",
        ] {
            assert!(is_secret("Any", field), "{field}");
        }
        for field in [
            "token_type",
            "token_endpoint_auth_method",
            "password_is_auto_generated",
            "country_code",
            "zip_code",
            "code",
            "authentication",
        ] {
            assert!(!is_secret("Any", field), "{field}");
        }
        assert!(is_secret("WebhookConfigForm", "authentication"));
        assert!(is_secret("VerifyEmailForm", "code"));
    }

    #[test]
    fn a_builder_with_a_token_parameter_keeps_its_lifetime_and_hides_the_token() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                #[derive(Debug, Clone)]
                pub struct GetShared<'a> {
                    client: &'a super::Client,
                    token: Result<::std::string::String, String>,
                }
            }
        };
        let mut report = LayoutReport::default();
        redact(&mut file, &mut report).unwrap();
        let code = quote!(#file).to_string();
        assert_eq!(report.redacted_fields, ["GetShared.token"]);
        assert!(code.contains("impl < 'a > :: std :: fmt :: Debug for GetShared < 'a >"));
        assert!(code.contains(". field (\"token\" , & crate :: Redacted (& self . token))"));
        assert!(code.contains(". field (\"client\" , & self . client)"));
    }

    #[test]
    fn a_struct_with_a_secret_gets_a_debug_that_redacts_only_it() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, Default)]
                pub struct TokenAnswer {
                    pub access_token: ::std::option::Option<::std::string::String>,
                    pub expires_in: i64,
                    pub token_type: ::std::string::String,
                }
                #[derive(Clone, Debug)]
                pub struct Plain {
                    pub name: ::std::string::String,
                }
            }
        };
        let mut report = LayoutReport::default();
        redact(&mut file, &mut report).unwrap();
        let code = quote!(#file).to_string();
        assert_eq!(report.redacted_fields, ["TokenAnswer.access_token"]);
        assert!(code.contains("# [derive (Clone , Default)] pub struct TokenAnswer"));
        assert!(code.contains("# [derive (Clone , Debug)] pub struct Plain"));
        assert!(
            code.contains(
                ". field (\"access_token\" , & crate :: Redacted (& self . access_token))"
            )
        );
        assert!(code.contains(". field (\"token_type\" , & self . token_type)"));
    }
}
