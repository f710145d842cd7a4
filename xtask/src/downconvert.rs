//! OpenAPI 3.1 → 3.0.3, on the JSON value, before anything reads it as 3.0.
//!
//! progenitor (through `openapiv3`) reads 3.0 only. A 3.1 document differs in a handful
//! of schema spellings; each is rewritten by its own function below, applied to every
//! schema-like object. The result generates the same code as a hand-written 3.0 twin.

use crate::json::for_each_object_mut;
use serde_json::{Map, Value, json};

/// One rewrite of a schema-like object.
type Rewrite = fn(&mut Map<String, Value>);

/// The rewrites, in the order they run on each object, with their names for tests.
const REWRITES: [(&str, Rewrite); 6] = [
    ("null_in_type_array", null_in_type_array),
    ("null_branch_in_union", null_branch_in_union),
    ("examples_to_example", examples_to_example),
    ("const_to_enum", const_to_enum),
    ("numeric_exclusive_bounds", numeric_exclusive_bounds),
    ("ref_with_siblings", ref_with_siblings),
];

/// Converts a 3.1 document to 3.0.3 in place.
pub fn to_openapi_30(doc: &mut Value) {
    if let Some(top) = doc.as_object_mut() {
        top.insert("openapi".into(), json!("3.0.3"));
        top.remove("jsonSchemaDialect");
        top.remove("webhooks");
        if let Some(license) = top
            .get_mut("info")
            .and_then(|i| i.get_mut("license"))
            .and_then(Value::as_object_mut)
        {
            license.remove("identifier");
        }
    }
    for_each_object_mut(doc, &mut |obj| {
        obj.remove("$schema");
        for (_, rewrite) in REWRITES {
            rewrite(obj);
        }
    });
}

/// `"type": ["string", "null"]` → `"type": "string", "nullable": true`; several
/// non-null types become an `anyOf` of single-typed schemas.
pub fn null_in_type_array(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type").cloned() else {
        return;
    };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    obj.remove("type");
    match rest.as_slice() {
        [] => {}
        [one] => {
            obj.insert("type".into(), one.clone());
        }
        many => {
            let branches = many.iter().map(|t| json!({ "type": t })).collect();
            obj.insert("anyOf".into(), Value::Array(branches));
        }
    }
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
}

/// `anyOf`/`oneOf` with a `{"type": "null"}` branch → the other branch(es), nullable.
/// A lone remaining `$ref` is wrapped in `allOf`, because 3.0 ignores siblings of `$ref`.
pub fn null_branch_in_union(obj: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = obj.get(key) else {
            continue;
        };
        let is_null = |b: &Value| {
            b.get("type") == Some(&json!("null")) && b.as_object().is_some_and(|m| m.len() == 1)
        };
        if !branches.iter().any(is_null) {
            continue;
        }
        let rest: Vec<Value> = branches.iter().filter(|b| !is_null(b)).cloned().collect();
        obj.remove(key);
        obj.insert("nullable".into(), json!(true));
        match rest.as_slice() {
            [only] if only.get("$ref").is_some() => {
                obj.insert("allOf".into(), json!([only]));
            }
            [only] => {
                if let Some(inner) = only.as_object() {
                    for (k, v) in inner {
                        obj.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// A schema's `examples` array → the 3.0 `example` (the first one). Media-type
/// `examples` (an object) is a valid 3.0 keyword and stays.
pub fn examples_to_example(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(list)) = obj.get("examples") {
        let first = list.first().cloned();
        obj.remove("examples");
        if let Some(first) = first {
            obj.entry("example").or_insert(first);
        }
    }
}

/// `const: v` → `enum: [v]`.
pub fn const_to_enum(obj: &mut Map<String, Value>) {
    if let Some(value) = obj.remove("const") {
        obj.insert("enum".into(), json!([value]));
    }
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and maximum).
pub fn numeric_exclusive_bounds(obj: &mut Map<String, Value>) {
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = obj.get(exclusive).filter(|v| v.is_number()).cloned() {
            obj.insert(inclusive.into(), bound);
            obj.insert(exclusive.into(), json!(true));
        }
    }
}

/// `{"$ref": …, "nullable": true, …}` → `{"allOf": [{"$ref": …}], "nullable": true, …}`:
/// 3.1 lets keywords stand beside `$ref`, 3.0 ignores them.
/// The prose siblings 3.1 allows on any reference (`summary`, `description`) are dropped.
pub fn ref_with_siblings(obj: &mut Map<String, Value>) {
    if !obj.contains_key("$ref") {
        return;
    }
    obj.remove("summary");
    obj.remove("description");
    if obj.len() < 2 {
        return;
    }
    let Some(reference) = obj.remove("$ref") else {
        return;
    };
    obj.insert("allOf".into(), json!([{ "$ref": reference }]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rewrite: fn(&mut Map<String, Value>), input: Value) -> Value {
        let mut obj = input.as_object().unwrap().clone();
        rewrite(&mut obj);
        Value::Object(obj)
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            run(null_in_type_array, json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            run(null_in_type_array, json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            run(null_in_type_array, json!({"type": "string"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn null_branches_become_nullable() {
        assert_eq!(
            run(
                null_branch_in_union,
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})
            ),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            run(
                null_branch_in_union,
                json!({"oneOf": [{"type": "integer"}, {"type": "null"}]})
            ),
            json!({"nullable": true, "type": "integer"})
        );
    }

    #[test]
    fn examples_const_and_bounds() {
        assert_eq!(
            run(examples_to_example, json!({"examples": [1, 2]})),
            json!({"example": 1})
        );
        assert_eq!(
            run(examples_to_example, json!({"examples": {"a": {}}})),
            json!({"examples": {"a": {}}})
        );
        assert_eq!(
            run(const_to_enum, json!({"const": "x"})),
            json!({"enum": ["x"]})
        );
        assert_eq!(
            run(
                numeric_exclusive_bounds,
                json!({"exclusiveMinimum": 0, "exclusiveMaximum": 10})
            ),
            json!({"exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
    }

    #[test]
    fn siblings_of_ref_are_kept_through_allof() {
        assert_eq!(
            run(ref_with_siblings, json!({"$ref": "#/x", "nullable": true})),
            json!({"nullable": true, "allOf": [{"$ref": "#/x"}]})
        );
        assert_eq!(
            run(ref_with_siblings, json!({"$ref": "#/x"})),
            json!({"$ref": "#/x"})
        );
        assert_eq!(
            run(
                ref_with_siblings,
                json!({"$ref": "#/x", "description": "d"})
            ),
            json!({"$ref": "#/x"})
        );
    }

    #[test]
    fn the_document_header_becomes_303() {
        let mut doc = json!({"openapi": "3.1.0", "jsonSchemaDialect": "x", "webhooks": {}, "info": {"license": {"name": "n", "identifier": "MIT"}}});
        to_openapi_30(&mut doc);
        assert_eq!(
            doc,
            json!({"openapi": "3.0.3", "info": {"license": {"name": "n"}}})
        );
    }
}
