//! Schemas: the generated types must keep decoding when awork's server grows.

use super::Ctx;
use serde_json::{Map, Value, json};

/// `additionalProperties: false` (on 653 awork schemas) would make typify emit
/// `deny_unknown_fields`, so one new field in a response would fail the whole call.
/// The keyword is removed; unknown fields are then ignored.
pub fn open_objects(doc: &mut Value, ctx: &mut Ctx) {
    walk_schemas(doc, "", &mut |pointer, obj| {
        if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
            obj.remove("additionalProperties");
            ctx.places.push(pointer.to_string());
        }
    });
}

/// A closed `enum` becomes its base type, so a value the server adds later still
/// decodes. The known values move into the schema's documentation.
pub fn open_enums(doc: &mut Value, ctx: &mut Ctx) {
    walk_schemas(doc, "", &mut |pointer, obj| {
        let Some(Value::Array(values)) = obj.get("enum") else {
            return;
        };
        if obj.get("type") == Some(&json!("boolean")) {
            return;
        }
        let known: Vec<String> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| format!("`{}`", display(v)))
            .collect();
        obj.remove("enum");
        if !obj.contains_key("type") {
            obj.insert("type".into(), json!("string"));
        }
        obj.insert(
            "description".into(),
            json!(format!("Known values: {}.", known.join(", "))),
        );
        ctx.places.push(pointer.to_string());
    });
}

/// Keywords that make typify wrap a string in a validating newtype.
const STRING_LIMITS: [&str; 3] = ["minLength", "maxLength", "pattern"];

/// String length and pattern limits (on 430 awork schemas) become validating
/// newtypes that reject, on decode, a value the server later sends longer. awork checks
/// these limits itself and answers `validation-failed`, so the client drops them.
pub fn open_string_limits(doc: &mut Value, ctx: &mut Ctx) {
    walk_schemas(doc, "", &mut |pointer, obj| {
        if obj.get("type") != Some(&json!("string")) {
            return;
        }
        let before = obj.len();
        obj.retain(|key, _| !STRING_LIMITS.contains(&key.as_str()));
        if obj.len() != before {
            ctx.places.push(pointer.to_string());
        }
    });
}

fn display(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

/// Visits every object with its JSON Pointer, skipping extension and data keywords.
fn walk_schemas(
    value: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    match value {
        Value::Object(map) => {
            f(pointer, map);
            for (key, child) in map.iter_mut() {
                if key.starts_with("x-") || key == "default" || key == "example" {
                    continue;
                }
                let escaped = key.replace('~', "~0").replace('/', "~1");
                walk_schemas(child, &format!("{pointer}/{escaped}"), f);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_schemas(child, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testutil::run;

    #[test]
    fn string_limits_are_dropped() {
        let doc = json!({"components": {"schemas": {
            "Code": {"type": "string", "minLength": 1, "maxLength": 14, "pattern": "^a"},
            "Count": {"type": "integer", "minimum": 1},
            "Plain": {"type": "string"}
        }}});
        let (doc, places, _) = run(open_string_limits, doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Code"], json!({"type": "string"}));
        assert_eq!(s["Count"], json!({"type": "integer", "minimum": 1}));
        assert_eq!(places, ["/components/schemas/Code"]);
    }

    #[test]
    fn closed_objects_are_opened() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "additionalProperties": false},
            "B": {"type": "object", "additionalProperties": {"type": "string"}}
        }}});
        let (doc, places, _) = run(open_objects, doc);
        assert_eq!(doc["components"]["schemas"]["A"], json!({"type": "object"}));
        assert_eq!(
            doc["components"]["schemas"]["B"]["additionalProperties"],
            json!({"type": "string"})
        );
        assert_eq!(places, ["/components/schemas/A"]);
    }

    #[test]
    fn enums_become_open_with_known_values_documented() {
        let doc = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["private", "projecttask"]},
            "Alg": {"type": "integer", "enum": [-7, -8]},
            "Flag": {"type": "boolean", "enum": [true]},
            "X": {"type": "object", "properties": {"k": {"type": "string", "enum": ["a"], "nullable": true}}}
        }}});
        let (doc, places, _) = run(open_enums, doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Kind"],
            json!({"type": "string", "description": "Known values: `private`, `projecttask`."})
        );
        assert_eq!(
            s["Alg"],
            json!({"type": "integer", "description": "Known values: `-7`, `-8`."})
        );
        assert_eq!(s["Flag"]["enum"], json!([true]));
        assert_eq!(
            s["X"]["properties"]["k"],
            json!({"type": "string", "nullable": true, "description": "Known values: `a`."})
        );
        assert_eq!(
            places,
            [
                "/components/schemas/Kind",
                "/components/schemas/Alg",
                "/components/schemas/X/properties/k"
            ]
        );
    }
}
