//! `cargo xtask vendor`: keep the API's facts, drop awork's prose.
//!
//! The vendored document keeps paths, operations, operationIds, parameters, schemas,
//! types, formats, nullability, required lists, enums, defaults, `deprecated` and the
//! `x-*` permission facts. It removes every human sentence: `description`, `summary`,
//! `example`/`examples`, `externalDocs`, `title`, the texts of `info` and tags, and the
//! explanations of OAuth scopes (the scope names stay). Where our SDK needs words, we
//! write our own in `openapi/corrections-*.json`.
//!
//! The walk knows where keys are *names* (properties, paths, media types, status codes)
//! rather than keywords, so a property that happens to be called `description` stays.

use crate::spec;
use anyhow::Result;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Keywords whose values are prose.
const PROSE_KEYS: [&str; 7] = [
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "title",
    "x-codeSamples",
];

/// `info` fields that are contact details or legal text rather than API facts.
const INFO_PROSE_KEYS: [&str; 3] = ["termsOfService", "contact", "license"];

/// Keywords whose object value maps *names* to OpenAPI objects.
const NAME_MAP_KEYS: [&str; 16] = [
    "paths",
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "responses",
    "content",
    "encoding",
    "headers",
    "links",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "webhooks",
    "pathItems",
];

/// Keywords whose values are data, never walked: enum members, defaults, constants.
const DATA_KEYS: [&str; 4] = ["enum", "default", "const", "mapping"];

/// Where the vendored document came from; stored under `info.x-provenance`.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The path or URL it was read from, as given.
    pub source: String,
    /// The upstream publication date, when known (`YYYY-MM-DD`).
    pub upstream_date: Option<String>,
}

/// Turns awork's document into our vendored form. Deterministic: the same bytes and
/// provenance give the same output bytes.
pub fn vendor(upstream: &[u8], provenance: &Provenance) -> Result<String> {
    let (mut doc, _) = spec::parse(upstream, &provenance.source)?;
    strip_prose(&mut doc);
    record_provenance(&mut doc, upstream, provenance);
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

/// A date `YYYY-MM-DD` found in a file name such as `openapi-v1-2026-01-07.json`.
pub fn date_in_name(source: &str) -> Option<String> {
    let name = source.rsplit('/').next()?;
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let cand = &name[i..i + 10];
        let shape_ok = cand.bytes().enumerate().all(|(j, b)| match j {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        shape_ok.then(|| cand.to_string())
    })
}

/// The hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn record_provenance(doc: &mut Value, upstream: &[u8], provenance: &Provenance) {
    let upstream_openapi = doc.get("openapi").cloned().unwrap_or(Value::Null);
    let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    let mut record = json!({
        "source": provenance.source,
        "sha256": sha256_hex(upstream),
        "upstreamOpenapi": upstream_openapi,
        "upstreamVersion": info.get("version").cloned().unwrap_or(Value::Null),
    });
    if let Some(date) = &provenance.upstream_date {
        record["upstreamDate"] = json!(date);
    }
    info.insert("x-provenance".into(), record);
}

/// Removes awork's prose from the whole document, in place.
pub fn strip_prose(doc: &mut Value) {
    // The API's name is a fact that OpenAPI requires; the generic walk would drop it.
    let title = doc.pointer("/info/title").cloned();
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        for key in INFO_PROSE_KEYS {
            info.remove(key);
        }
    }
    if let Some(servers) = doc.get_mut("servers").and_then(Value::as_array_mut) {
        for server in servers.iter_mut().filter_map(Value::as_object_mut) {
            server.remove("description");
        }
    }
    strip_keyword_value(doc);
    if let (Some(title), Some(info)) = (title, doc.get_mut("info").and_then(Value::as_object_mut)) {
        info.insert("title".into(), title);
    }
}

fn strip_keyword_value(value: &mut Value) {
    match value {
        Value::Object(map) => strip_keyword_object(map),
        Value::Array(items) => items.iter_mut().for_each(strip_keyword_value),
        _ => {}
    }
}

fn strip_keyword_object(map: &mut Map<String, Value>) {
    map.retain(|key, _| !PROSE_KEYS.contains(&key.as_str()));
    for (key, child) in map.iter_mut() {
        if key.starts_with("x-") || DATA_KEYS.contains(&key.as_str()) {
            continue;
        }
        if key == "scopes" {
            blank_scope_texts(child);
        } else if key == "callbacks" {
            strip_callbacks(child);
        } else if NAME_MAP_KEYS.contains(&key.as_str()) && child.is_object() {
            strip_name_map(child);
        } else {
            strip_keyword_value(child);
        }
    }
}

fn strip_name_map(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.values_mut().for_each(strip_keyword_value);
    }
}

/// Callbacks map names to maps of expressions to path items: two levels of names.
fn strip_callbacks(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.values_mut().for_each(strip_name_map);
    }
}

/// OAuth scopes map a scope name (a fact) to an explanation (prose): keep the names.
fn blank_scope_texts(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.values_mut()
            .for_each(|text| *text = Value::String(String::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_prose_but_keeps_properties_named_like_keywords() {
        let mut doc = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1", "description": "d", "contact": {"email": "e"}},
            "tags": [{"name": "TimeBookings", "description": "words"}],
            "paths": {"/x": {"get": {
                "summary": "s", "description": "d", "operationId": "GetX", "tags": ["TimeBookings"],
                "parameters": [{"name": "page", "in": "query", "description": "d", "schema": {"type": "integer", "default": 1, "example": 3}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}},
                "x-access": {"any": "true"}
            }}},
            "components": {"schemas": {"X": {
                "type": "object", "description": "a model", "additionalProperties": false,
                "properties": {
                    "description": {"type": "string", "nullable": true, "description": "text", "example": "ex"},
                    "summary": {"type": "string", "enum": ["a", "b"]}
                }
            }},
            "securitySchemes": {"oauth2": {"type": "oauth2", "description": "d", "flows": {"authorizationCode": {
                "authorizationUrl": "u", "tokenUrl": "t", "scopes": {"full_access": "Grants everything"}}}}}}
        });
        strip_prose(&mut doc);
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.0",
                "info": {"version": "1", "title": "t"},
                "tags": [{"name": "TimeBookings"}],
                "paths": {"/x": {"get": {
                    "operationId": "GetX", "tags": ["TimeBookings"],
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}},
                    "x-access": {"any": "true"}
                }}},
                "components": {"schemas": {"X": {
                    "type": "object", "additionalProperties": false,
                    "properties": {
                        "description": {"type": "string", "nullable": true},
                        "summary": {"type": "string", "enum": ["a", "b"]}
                    }
                }},
                "securitySchemes": {"oauth2": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "u", "tokenUrl": "t", "scopes": {"full_access": ""}}}}}}
            })
        );
    }

    #[test]
    fn output_is_deterministic_and_records_provenance() {
        let input = br#"{"openapi":"3.0.0","info":{"title":"t","version":"1.3.0"},"paths":{}}"#;
        let prov = Provenance {
            source: "in.json".into(),
            upstream_date: Some("2026-08-20".into()),
        };
        let a = vendor(input, &prov).unwrap();
        assert_eq!(a, vendor(input, &prov).unwrap());
        let doc: Value = serde_json::from_str(&a).unwrap();
        let p = &doc["info"]["x-provenance"];
        assert_eq!(p["sha256"], sha256_hex(input));
        assert_eq!(p["upstreamVersion"], "1.3.0");
        assert_eq!(p["upstreamOpenapi"], "3.0.0");
        assert_eq!(p["upstreamDate"], "2026-08-20");
    }

    #[test]
    fn finds_a_date_in_a_file_name() {
        assert_eq!(
            date_in_name("../h/openapi-v1-2026-01-07.json").as_deref(),
            Some("2026-01-07")
        );
        assert_eq!(date_in_name("openapi-v1.json"), None);
    }
}
