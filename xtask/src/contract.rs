//! The contract the fake server judges requests by: awork's document with our
//! corrections, as strict as awork states it.
//!
//! `awork-api` is generated from a *loosened* document (open enums, open objects, no
//! string limits), so that new values from the server never fail decoding. Requests
//! must be judged the other way round: what awork's document forbids, the fake refuses.
//! So the fake gets its own copy, taken before [`crate::normalize`]: corrections applied,
//! 3.1 down-converted, undeclared path parameters declared (a missing fact, not a
//! loosening), parameter `$ref`s inlined, and everything the fake does not read dropped
//! (tags, security, `x-*` extensions, summaries and descriptions).
//!
//! The file is written with one line per path and per schema, so that `git diff` after a
//! `vendor` + `regen` shows which operations and models changed.

use crate::json;
use crate::normalize::{self, Ctx};
use serde_json::{Map, Value};

/// Keys of an operation object the fake reads.
const OPERATION_KEYS: [&str; 4] = ["operationId", "parameters", "requestBody", "responses"];

/// Keys that carry prose or tooling hints, dropped at every depth of a schema.
const PROSE_KEYS: [&str; 5] = ["description", "summary", "example", "examples", "title"];

/// The contract document for an already corrected (and down-converted) document.
pub fn contract(corrected: &Value) -> Value {
    let mut doc = corrected.clone();
    normalize::declare_missing_path_params(&mut doc, &mut Ctx::default());
    let mut paths = Map::new();
    for op in json::operations(&doc) {
        let Some(operation) = json::operation(&doc, &op) else {
            continue;
        };
        let kept = keep_operation(&doc, &op, operation);
        paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("path items are objects")
            .insert(op.method.clone(), kept);
    }
    let schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .map(strip_prose)
        .unwrap_or_else(|| Value::Object(Map::new()));
    let mut out = Map::new();
    out.insert(
        "openapi".into(),
        doc.get("openapi").cloned().unwrap_or(Value::Null),
    );
    if let Some(provenance) = doc.pointer("/info/x-provenance") {
        out.insert("x-provenance".into(), provenance.clone());
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    components.insert("schemas".into(), schemas);
    out.insert("components".into(), Value::Object(components));
    Value::Object(out)
}

/// The operation's routing and validation facts, parameter `$ref`s resolved and
/// path-item parameters merged in (an operation's own declaration wins).
fn keep_operation(doc: &Value, op: &json::OpRef, operation: &Map<String, Value>) -> Value {
    let mut kept = Map::new();
    for key in OPERATION_KEYS {
        let Some(value) = operation.get(key) else {
            continue;
        };
        let value = match key {
            "parameters" => Value::Array(parameters(doc, op)),
            "requestBody" | "responses" => resolve_refs_one_level(doc, value),
            _ => value.clone(),
        };
        kept.insert(key.into(), strip_prose(value));
    }
    if !kept.contains_key("parameters") {
        let params = parameters(doc, op);
        if !params.is_empty() {
            kept.insert("parameters".into(), strip_prose(Value::Array(params)));
        }
    }
    Value::Object(kept)
}

/// Every parameter of `op` (path item's and operation's), `$ref`s resolved.
fn parameters(doc: &Value, op: &json::OpRef) -> Vec<Value> {
    let item = doc.get("paths").and_then(|p| p.get(&op.path));
    let from_item = item.and_then(|i| i.get("parameters"));
    let from_op = json::operation(doc, op).and_then(|o| o.get("parameters"));
    let mut out: Vec<Value> = Vec::new();
    for list in [from_item, from_op].into_iter().flatten() {
        for param in list.as_array().into_iter().flatten() {
            let param = json::resolve(doc, param).clone();
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            out.retain(|existing| key(existing) != key(&param));
            out.push(param);
        }
    }
    out
}

/// Resolves `$ref`s of request bodies and responses (`#/components/requestBodies/…`,
/// `#/components/responses/…`) so that the contract only refers to schemas.
fn resolve_refs_one_level(doc: &Value, value: &Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key("$ref") => {
            let target = json::resolve(doc, value);
            match std::ptr::eq(target, value) {
                true => value.clone(),
                false => resolve_refs_one_level(doc, target),
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, child)| {
                    let child = match key.as_str() {
                        "schema" => child.clone(),
                        _ => resolve_refs_one_level(doc, child),
                    };
                    (key.clone(), child)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Drops prose and `x-*` extensions at every depth. A property *named* like a prose
/// key (a model's `description` field) is kept: only keys of schema objects go.
fn strip_prose(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| !PROSE_KEYS.contains(&key.as_str()) && !key.starts_with("x-"))
                .map(|(key, child)| {
                    let child = match key.as_str() {
                        "properties" | "schemas" | "paths" => strip_prose_of_members(child),
                        _ => strip_prose(child),
                    };
                    (key, child)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_prose).collect()),
        other => other,
    }
}

/// For maps whose keys are names (properties, schemas, paths): keep every key, strip
/// the values.
fn strip_prose_of_members(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, child)| (key, strip_prose(child)))
                .collect(),
        ),
        other => strip_prose(other),
    }
}

/// The contract as text: one line per path and per schema, keys in document order.
pub fn to_text(contract: &Value) -> String {
    let mut out = String::from("{\n");
    let mut first_top = true;
    for (key, value) in contract.as_object().into_iter().flatten() {
        if !first_top {
            out.push_str(",\n");
        }
        first_top = false;
        out.push_str(&compact(&Value::String(key.clone())));
        out.push_str(": ");
        match key.as_str() {
            "paths" => write_members(&mut out, value, 0),
            "components" => {
                out.push_str("{\n  \"schemas\": ");
                write_members(&mut out, value.get("schemas").unwrap_or(&Value::Null), 1);
                out.push_str("\n}");
            }
            _ => out.push_str(&compact(value)),
        }
    }
    out.push_str("\n}\n");
    out
}

/// Writes an object with one member per line, indented by `depth` steps of two.
fn write_members(out: &mut String, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    let Some(map) = value.as_object() else {
        out.push_str(&compact(value));
        return;
    };
    out.push_str("{\n");
    let lines: Vec<String> = map
        .iter()
        .map(|(key, child)| {
            format!(
                "{indent}  {}: {}",
                compact(&Value::String(key.clone())),
                compact(child)
            )
        })
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push('\n');
    out.push_str(&indent);
    out.push('}');
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).expect("JSON values always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "x-provenance": {"sha256": "abc"}},
            "paths": {
                "/items/{itemId}": {
                    "parameters": [{"$ref": "#/components/parameters/itemId"}],
                    "get": {
                        "tags": ["Items"],
                        "summary": "prose",
                        "operationId": "GetItem",
                        "x-access": {"any": "true"},
                        "parameters": [{"name": "expand", "in": "query", "schema": {"type": "boolean"}}],
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}
                    }
                },
                "/bundles/{bundleId}/items": {
                    "post": {"operationId": "Post", "responses": {"204": {"description": "x"}}}
                }
            },
            "components": {
                "parameters": {"itemId": {"name": "itemId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}},
                "schemas": {"Item": {"type": "object", "description": "prose", "additionalProperties": false,
                    "properties": {"description": {"type": "string", "description": "prose", "maxLength": 5}}}}
            }
        })
    }

    #[test]
    fn keeps_facts_and_drops_prose_and_extensions() {
        let out = contract(&document());
        let get = &out["paths"]["/items/{itemId}"]["get"];
        assert_eq!(get["operationId"], "GetItem");
        assert!(get.get("tags").is_none() && get.get("summary").is_none());
        assert!(get.get("x-access").is_none());
        assert!(get["responses"]["200"].get("description").is_none());
        let item = &out["components"]["schemas"]["Item"];
        assert!(item.get("description").is_none());
        assert_eq!(item["additionalProperties"], false);
        assert_eq!(
            item["properties"]["description"],
            json!({"type": "string", "maxLength": 5}),
            "a property named `description` stays, its prose goes"
        );
        assert_eq!(out["x-provenance"]["sha256"], "abc");
    }

    #[test]
    fn inlines_parameter_refs_and_merges_path_item_parameters() {
        let out = contract(&document());
        let params = out["paths"]["/items/{itemId}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["itemId", "expand"]);
        assert_eq!(params[0]["schema"]["format"], "uuid");
    }

    #[test]
    fn declares_path_parameters_the_document_forgot() {
        let out = contract(&document());
        let params = &out["paths"]["/bundles/{bundleId}/items"]["post"]["parameters"];
        assert_eq!(params[0]["name"], "bundleId");
        assert_eq!(params[0]["in"], "path");
    }

    #[test]
    fn text_has_one_line_per_path_and_schema_and_reads_back() {
        let out = contract(&document());
        let text = to_text(&out);
        assert!(
            text.lines()
                .any(|l| l.starts_with("  \"/items/{itemId}\": {"))
        );
        assert!(text.lines().any(|l| l.starts_with("    \"Item\": {")));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, out);
    }
}
