//! progenitor → prettyplease: from a normalized 3.0 document to Rust source text.

use crate::layout::{LayoutReport, Plan};
use anyhow::{Context, Result, anyhow};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;

/// The generator settings every API version is generated with.
///
/// Builder interface (`client.get_time_bookings().page(2).send()`), every method on
/// one `Client` (method names come from operationIds and are unique), and the
/// hand-written `crate::Hooks` as the client's inner value: its `ClientHooks` impl
/// (in `awork-api/src/hooks.rs`) is where retries, rate limits and tracing plug in.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote_path("crate::Hooks"))
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema");
    for (format, rust_type) in OWN_FORMATS {
        settings.with_conversion(
            string_with_format(format),
            rust_type,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// String formats of our own, set by our corrections where awork's document says
/// `date-time` but the wire carries something else, and the chrono type each becomes.
/// chrono's serde forms match the wire: `2022-03-01T17:21:05` and `09:21:00`.
pub const OWN_FORMATS: [(&str, &str); 2] = [
    // A date and time of day without an offset (awork's `…Local` fields).
    ("local-date-time", "::chrono::naive::NaiveDateTime"),
    // A time of day `HH:MM:SS` without an offset (RFC 3339's "partial-time").
    ("partial-time", "::chrono::naive::NaiveTime"),
];

fn string_with_format(format: &str) -> schemars::schema::SchemaObject {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        format: Some(format.to_string()),
        ..Default::default()
    }
}

fn quote_path(path: &str) -> proc_macro2::TokenStream {
    path.parse().unwrap_or_default()
}

/// Runs progenitor on `doc`, shapes its output (see [`crate::layout`]) and formats it.
/// A panic inside progenitor (it asserts on shapes it does not support) becomes an
/// error carrying its message.
pub fn generate(doc: &Value, origin: &str, plan: &Plan) -> Result<(String, LayoutReport)> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .with_context(|| format!("{origin}: the normalized document is not valid OpenAPI 3.0"))?;
    let tokens = std::panic::catch_unwind(|| Generator::new(&settings()).generate_tokens(&spec))
        .map_err(|panic| anyhow!("{origin}: progenitor panicked: {}", panic_message(&panic)))?
        .map_err(|e| anyhow!("{origin}: progenitor failed: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens)
        .with_context(|| format!("{origin}: progenitor emitted unparsable code"))?;
    let report =
        crate::layout::shape(&mut file, plan).with_context(|| format!("{origin}: layout"))?;
    Ok((prettyplease::unparse(&file), report))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

/// operationIds whose method is missing from `code` (should always be empty: a check
/// that progenitor generated every operation it was given).
pub fn missing_methods<'a>(code: &str, operation_ids: &'a [String]) -> Vec<&'a str> {
    use heck::ToSnakeCase;
    let defined = defined_functions(code);
    operation_ids
        .iter()
        .filter(|id| !defined.contains(id.to_snake_case().as_str()))
        .map(String::as_str)
        .collect()
}

/// The names of every `pub fn` in `code`, collected in one pass.
fn defined_functions(code: &str) -> std::collections::HashSet<&str> {
    code.match_indices("pub fn ")
        .map(|(at, m)| {
            let rest = &code[at + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_without_a_method() {
        let code =
            "impl Client { pub fn get_time_bookings(&self) {} pub fn post_x<'a>(&'a self) {} }";
        let ids = [
            "GetTimeBookings".to_string(),
            "PostX".to_string(),
            "DeleteY".to_string(),
        ];
        assert_eq!(missing_methods(code, &ids), ["DeleteY"]);
    }
}
