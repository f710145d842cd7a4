//! The decode corpus: for every schema, JSON documents that are valid by it (as the
//! generated types see the document: corrected and normalized), built to probe the
//! edges a server may send, and the table the test uses to decode each schema's
//! documents into its generated type.
//!
//! Documents per schema:
//! - `required only`: every optional property absent;
//! - `all, high`: every property present, integers at their maximum, int64 past 2^53,
//!   empty strings, empty arrays;
//! - `all, low`: every property present, integers at their minimum, one-element arrays;
//! - `nulls`: every nullable property `null`;
//! - `unknown`: a property the document does not know, and strings no enum lists.

use crate::json;
use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// One document of the corpus.
#[derive(Debug, Clone)]
pub struct Document {
    /// Which probe (`required only`, `all, high`, …).
    pub label: &'static str,
    /// The document.
    pub value: Value,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Probe {
    RequiredOnly,
    High,
    Low,
    Nulls,
    Unknown,
}

const PROBES: [(Probe, &str); 5] = [
    (Probe::RequiredOnly, "required only"),
    (Probe::High, "all, high"),
    (Probe::Low, "all, low"),
    (Probe::Nulls, "nulls"),
    (Probe::Unknown, "unknown field and enum value"),
];

/// How deep nested objects are filled; deeper ones get their required properties only.
const DEPTH: usize = 3;

/// The documents for `schema` (a name under `components/schemas` of `doc`).
pub fn documents(doc: &Value, schema: &str) -> Vec<Document> {
    let Some(root) = doc.pointer(&format!("/components/schemas/{schema}")) else {
        return Vec::new();
    };
    PROBES
        .iter()
        .map(|(probe, label)| Document {
            label,
            value: value(doc, root, *probe, 0),
        })
        .collect()
}

fn value(doc: &Value, schema: &Value, probe: Probe, depth: usize) -> Value {
    let schema = json::resolve(doc, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            object(doc, schema, probe, depth)
        }
        Some("object") => match schema.get("additionalProperties") {
            Some(inner) if inner.is_object() && depth < DEPTH => {
                json!({"key": value(doc, inner, probe, depth + 1)})
            }
            _ => json!({}),
        },
        Some("array") => match (probe, schema.get("items")) {
            (Probe::Low | Probe::Unknown, Some(items)) if depth < DEPTH => {
                json!([value(doc, items, probe, depth + 1)])
            }
            _ => json!([]),
        },
        Some("integer") => integer(schema, probe),
        Some("number") => number(schema, probe),
        Some("boolean") => json!(probe != Probe::Low),
        Some("string") => string(schema.get("format").and_then(Value::as_str), probe),
        _ => json!({}),
    }
}

fn object(doc: &Value, schema: &Value, probe: Probe, depth: usize) -> Value {
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, property) in properties.into_iter().flatten() {
        let is_required = required.contains(name.as_str());
        let all = !matches!(probe, Probe::RequiredOnly) && depth < DEPTH;
        if !is_required && !all {
            continue;
        }
        let nullable = json::resolve(doc, property)
            .get("nullable")
            .and_then(Value::as_bool)
            == Some(true)
            || property.get("nullable").and_then(Value::as_bool) == Some(true);
        let v = match probe {
            Probe::Nulls if nullable => Value::Null,
            _ => value(doc, property, probe, depth + 1),
        };
        out.insert(name.clone(), v);
    }
    if probe == Probe::Unknown {
        out.insert(
            "fieldTheDocumentDoesNotKnow".into(),
            json!({"nested": [1, "two"]}),
        );
    }
    Value::Object(out)
}

/// The schema's own bounds when it has them (a valid document stays inside them),
/// else the edges of the integer's format.
fn integer(schema: &Value, probe: Probe) -> Value {
    let bound = match probe {
        Probe::Low => schema.get("minimum"),
        _ => schema.get("maximum"),
    };
    if let Some(bound) = bound.and_then(Value::as_i64) {
        return json!(bound);
    }
    match (schema.get("format").and_then(Value::as_str), probe) {
        (Some("int32"), Probe::Low) => json!(i32::MIN),
        (Some("int32"), _) => json!(i32::MAX),
        (_, Probe::Low) => json!(i64::MIN),
        // Past 2^53: a reader that goes through f64 would lose the last digit.
        _ => json!(9_007_199_254_740_993_i64),
    }
}

/// Near the ends of the number's format: a `float` (32 bits, as awork's C# models hold
/// it) ends near 3.4e38, a `double` near 1.8e308.
fn number(schema: &Value, probe: Probe) -> Value {
    let edge = match schema.get("format").and_then(Value::as_str) {
        Some("float") => 3.0e38,
        _ => 1.5e300,
    };
    match probe {
        Probe::Low => json!(-edge),
        _ => json!(edge),
    }
}

fn string(format: Option<&str>, probe: Probe) -> Value {
    let text = match (format, probe) {
        (Some("uuid"), Probe::Low) => "00000000-0000-0000-0000-000000000000",
        (Some("uuid"), _) => "ffffffff-ffff-4fff-bfff-ffffffffffff",
        (Some("date"), _) => "2024-02-29",
        (Some("date-time"), Probe::Low) => "0001-01-01T00:00:00Z",
        (Some("date-time"), _) => "2024-02-29T23:59:59.9999999+01:00",
        (Some("local-date-time"), _) => "2024-02-29T23:59:59",
        (Some("partial-time"), _) => "23:59:59",
        (_, Probe::Unknown) => "a value the document does not list",
        (_, Probe::Low) => "ünïcödé \u{1F600} \"quoted\" \\ / \n",
        _ => "",
    };
    json!(text)
}

/// `value` pretty-printed, one member or element per line, with the JSON pointer of
/// what each line holds, so that a decoding error's line names the place.
pub fn pretty_with_pointers(value: &Value) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut pointers = vec![String::new()];
    write_pretty(value, "", &mut text, &mut pointers);
    (text, pointers)
}

fn write_pretty(value: &Value, at: &str, text: &mut String, pointers: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            text.push('{');
            for (i, (key, v)) in map.iter().enumerate() {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                newline(text, pointers, pointer.clone());
                text.push_str(&Value::String(key.clone()).to_string());
                text.push(':');
                write_pretty(v, &pointer, text, pointers);
                if i + 1 < map.len() {
                    text.push(',');
                }
            }
            text.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            text.push('[');
            for (i, v) in items.iter().enumerate() {
                let pointer = format!("{at}/{i}");
                newline(text, pointers, pointer.clone());
                write_pretty(v, &pointer, text, pointers);
                if i + 1 < items.len() {
                    text.push(',');
                }
            }
            text.push(']');
        }
        other => text.push_str(&other.to_string()),
    }
}

fn newline(text: &mut String, pointers: &mut Vec<String>, pointer: String) {
    text.push('\n');
    pointers.push(pointer);
}

/// The Rust source of the decode table: schema name → the generated type, for every
/// schema whose type the generated code declares. `types` is the module path of the
/// generated types (`awork_api::types`).
pub fn decode_table(doc: &Value, code: &str, types: &str, origin: &str) -> String {
    let declared = declared_types(code);
    let schemas: Vec<&String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().collect())
        .unwrap_or_default();
    let mut arms = String::new();
    let mut missing = Vec::new();
    for schema in schemas {
        let ty = schema.to_upper_camel_case();
        match declared.contains(&ty) {
            true => arms.push_str(&format!(
                "        {schema:?} => d::<{types}::{ty}>(bytes),\n"
            )),
            false => missing.push(schema.as_str()),
        }
    }
    format!(
        "// @generated by `cargo xtask regen` from {origin}. Do not edit by hand.\n\
         // Schemas without a generated type of the same name: {missing}.\n\n\
         /// Decodes `bytes` as the generated type of schema `name`; `None` when the schema\n\
         /// has no generated type.\n\
         pub fn decode(name: &str, bytes: &[u8]) -> Option<Result<(), serde_json::Error>> {{\n\
         \x20   fn d<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), serde_json::Error> {{\n\
         \x20       serde_json::from_slice::<T>(bytes).map(drop)\n\
         \x20   }}\n\
         \x20   Some(match name {{\n{arms}\
         \x20       _ => return None,\n\
         \x20   }})\n\
         }}\n",
        missing = match missing.is_empty() {
            true => "none".to_string(),
            false => missing.join(", "),
        },
    )
}

/// The names of the structs and enums of the generated `types` module.
fn declared_types(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("    pub struct ")
                .or_else(|| line.strip_prefix("    pub enum "))?;
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            Some(rest[..end].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "count": {"type": "integer", "format": "int32", "nullable": true},
                "days": {"type": "integer", "format": "int32", "minimum": 1},
                "big": {"type": "integer", "format": "int64"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "parent": {"$ref": "#/components/schemas/Thing"}}}
        }}})
    }

    #[test]
    fn each_probe_shapes_the_document() {
        let docs = documents(&doc(), "Thing");
        let by = |label: &str| {
            docs.iter()
                .find(|d| d.label == label)
                .unwrap()
                .value
                .clone()
        };
        assert_eq!(
            by("required only"),
            json!({"id": "ffffffff-ffff-4fff-bfff-ffffffffffff"})
        );
        let high = by("all, high");
        assert_eq!(high["count"], json!(i32::MAX));
        assert_eq!(high["big"], json!(9_007_199_254_740_993_i64));
        assert_eq!(high["tags"], json!([]));
        assert!(
            high["parent"]["parent"].is_object(),
            "nested objects are filled"
        );
        assert_eq!(by("all, low")["count"], json!(i32::MIN));
        assert_eq!(by("all, low")["days"], json!(1), "bounds are kept");
        assert_eq!(by("all, low")["tags"].as_array().unwrap().len(), 1);
        assert_eq!(by("nulls")["count"], Value::Null);
        assert!(
            by("unknown field and enum value")
                .get("fieldTheDocumentDoesNotKnow")
                .is_some()
        );
    }

    #[test]
    fn every_line_knows_its_pointer() {
        let value = json!({"a": {"b/c": [1, {"d": 2}]}, "e": 3});
        let (text, pointers) = pretty_with_pointers(&value);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap();
        assert_eq!(pointers[line_of("\"d\"")], "/a/b~1c/1/d");
        assert_eq!(pointers[line_of("\"e\"")], "/e");
        assert_eq!(pointers.len(), text.lines().count());
    }

    #[test]
    fn the_table_maps_schemas_to_declared_types() {
        let code = "pub mod types {\n    pub struct Thing {\n    }\n}\n";
        let table = decode_table(&doc(), code, "awork_api::types", "t");
        assert!(table.contains("\"Thing\" => d::<awork_api::types::Thing>(bytes),"));
        assert!(table.contains("Schemas without a generated type of the same name: none."));
    }
}
