//! OpenAPI 3.0 schemas as JSON Schema (draft 7), for the `jsonschema` crate.
//!
//! OpenAPI 3.0 speaks a dialect of JSON Schema; the differences awork's documents use
//! are few, and each is translated without loosening anything:
//!
//! * `nullable: true` adds `null` to `type` (and to `enum`);
//! * `format: int32` / `int64` become the bounds of those integers;
//! * boolean `exclusiveMinimum` / `exclusiveMaximum` become draft 7's numeric form;
//! * `#/components/schemas/…` references become absolute (`urn:awork:v1#/…`), so that a
//!   schema taken out of the document (a parameter's, a response's array) still finds
//!   them in the registry.

use serde_json::{Map, Value, json};

/// Translates `schema` (and everything below it); `base` is the document's schema URI.
pub(crate) fn to_json_schema(schema: &Value, base: &str) -> Value {
    match schema {
        Value::Object(map) => Value::Object(translate_object(map, base)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|s| to_json_schema(s, base)).collect())
        }
        other => other.clone(),
    }
}

/// The registry resource for a document's named schemas: `{"components": {"schemas": …}}`.
pub(crate) fn registry_resource(schemas: &Map<String, Value>, base: &str) -> Value {
    let translated: Map<String, Value> = schemas
        .iter()
        .map(|(name, schema)| (name.clone(), to_json_schema(schema, base)))
        .collect();
    json!({ "components": { "schemas": translated } })
}

fn translate_object(map: &Map<String, Value>, base: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            "$ref" => absolute_ref(value, base),
            "properties" | "patternProperties" | "definitions" => members(value, base),
            "items" | "additionalProperties" | "not" | "allOf" | "anyOf" | "oneOf" => {
                to_json_schema(value, base)
            }
            "nullable" | "exclusiveMinimum" | "exclusiveMaximum" => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        allow_null(&mut out);
    }
    integer_bounds(&mut out);
    exclusive_bound(map, &mut out, "exclusiveMinimum", "minimum");
    exclusive_bound(map, &mut out, "exclusiveMaximum", "maximum");
    out
}

fn members(value: &Value, base: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(name, schema)| (name.clone(), to_json_schema(schema, base)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn absolute_ref(value: &Value, base: &str) -> Value {
    match value.as_str() {
        Some(local) if local.starts_with("#/") => Value::String(format!("{base}{local}")),
        _ => value.clone(),
    }
}

/// `nullable: true` → `null` is one more allowed type (and enum value).
fn allow_null(out: &mut Map<String, Value>) {
    match out.get_mut("type") {
        Some(Value::String(single)) => {
            let single = std::mem::take(single);
            out.insert("type".into(), json!([single, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(options)) = out.get_mut("enum")
        && !options.contains(&Value::Null)
    {
        options.push(Value::Null);
    }
}

/// `format: int32`/`int64` on an integer: the range of that integer, unless the schema
/// already bounds it more tightly.
fn integer_bounds(out: &mut Map<String, Value>) {
    let (low, high) = match out.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        Some("int64") => (i64::MIN, i64::MAX),
        _ => return,
    };
    out.entry("minimum").or_insert(json!(low));
    out.entry("maximum").or_insert(json!(high));
}

/// OpenAPI 3.0's `exclusiveMinimum: true` next to `minimum: n` is draft 7's
/// `exclusiveMinimum: n`.
fn exclusive_bound(
    source: &Map<String, Value>,
    out: &mut Map<String, Value>,
    flag: &str,
    bound: &str,
) {
    if source.get(flag) != Some(&Value::Bool(true)) {
        return;
    }
    if let Some(limit) = out.remove(bound) {
        out.insert(flag.into(), limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "urn:awork:v1";

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        let out = to_json_schema(
            &json!({"type": "string", "enum": ["a"], "nullable": true}),
            BASE,
        );
        assert_eq!(
            out,
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        let plain = to_json_schema(&json!({"type": "boolean"}), BASE);
        assert_eq!(plain, json!({"type": "boolean"}));
    }

    #[test]
    fn int32_becomes_bounds_and_refs_become_absolute() {
        let out = to_json_schema(
            &json!({"type": "object", "properties": {
                "n": {"type": "integer", "format": "int32", "minimum": 1},
                "child": {"$ref": "#/components/schemas/Child"},
                "list": {"type": "array", "items": {"$ref": "#/components/schemas/Child"}}
            }}),
            BASE,
        );
        assert_eq!(
            out["properties"]["n"],
            json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": i32::MAX})
        );
        assert_eq!(
            out["properties"]["child"]["$ref"],
            "urn:awork:v1#/components/schemas/Child"
        );
        assert_eq!(
            out["properties"]["list"]["items"]["$ref"],
            "urn:awork:v1#/components/schemas/Child"
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_kept() {
        let out = to_json_schema(
            &json!({"type": "object", "properties": {"nullable": {"type": "boolean"}}}),
            BASE,
        );
        assert_eq!(out["properties"]["nullable"], json!({"type": "boolean"}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let out = to_json_schema(
            &json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
            BASE,
        );
        assert_eq!(out, json!({"type": "number", "exclusiveMinimum": 0}));
    }
}
