//! Making values fit a schema: the store keeps every record valid for its kind, so what
//! a client or a test sends is projected onto the kind's schema before it is kept.
//!
//! This is a projection, not a judge: requests have been judged by the contract
//! already, and the fake's answers are judged again on the way out. It answers one
//! question for the store: which of these properties can the record take over as they
//! are? A body's `name` fits a `Project`'s `name`; a form's `tags` (strings) do not fit
//! a model's `tags` (objects) and are left out.

use serde_json::{Map, Value};

use crate::contract::{Document, formats};

/// `value` made valid for `schema`, or `None` if it cannot be: objects lose the
/// properties that do not fit (and fail if a required one is missing or unfit), arrays
/// fail if an item does, scalars fit or fail as they are.
pub(crate) fn fit(doc: &Document, schema: &Value, value: &Value) -> Option<Value> {
    let schema = doc.resolve(schema);
    if value.is_null() {
        return allows_null(schema).then_some(Value::Null);
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        return options.contains(value).then(|| value.clone());
    }
    match schema.get("type").and_then(Value::as_str) {
        None => Some(value.clone()),
        Some("object") => object(doc, schema, value.as_object()?).map(Value::Object),
        Some("array") => {
            let items = &schema["items"];
            value
                .as_array()?
                .iter()
                .map(|item| fit(doc, items, item))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
        }
        Some("string") => string(schema, value.as_str()?).then(|| value.clone()),
        Some("integer") => integer(schema, value).then(|| value.clone()),
        Some("number") => number(schema, value).then(|| value.clone()),
        Some("boolean") => value.is_boolean().then(|| value.clone()),
        Some(_) => None,
    }
}

/// `base` (a value valid for the object schema) with every property of `patch` that
/// fits laid over it. Returns the result and the names of properties left out.
pub(crate) fn overlay(
    doc: &Document,
    schema: &Value,
    base: &Value,
    patch: &Map<String, Value>,
) -> (Value, Vec<String>) {
    let schema = doc.resolve(schema);
    let mut out = base.as_object().cloned().unwrap_or_default();
    let mut refused = Vec::new();
    for (name, value) in patch {
        let Some((key, property)) = find_property(schema, name) else {
            refused.push(name.clone());
            continue;
        };
        match fit(doc, property, value) {
            Some(fitted) => {
                out.insert(key, fitted);
            }
            None => refused.push(name.clone()),
        }
    }
    (Value::Object(out), refused)
}

/// The property `name` of an object schema (its spelling in the schema, and its
/// schema), compared without regard to case as awork's model binding does.
pub(crate) fn find_property<'s>(schema: &'s Value, name: &str) -> Option<(String, &'s Value)> {
    let properties = schema.get("properties")?.as_object()?;
    properties
        .get_key_value(name)
        .or_else(|| {
            properties
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
        })
        .map(|(key, property)| (key.clone(), property))
}

fn object(
    doc: &Document,
    schema: &Value,
    value: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for (name, item) in value {
        match find_property(schema, name) {
            Some((key, property)) => {
                if let Some(fitted) = fit(doc, property, item) {
                    out.insert(key, fitted);
                }
            }
            None if schema.get("additionalProperties") != Some(&Value::Bool(false)) => {
                out.insert(name.clone(), item.clone());
            }
            None => {}
        }
    }
    let required = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    for name in required {
        if !out.contains_key(name) {
            return None;
        }
    }
    Some(out)
}

fn allows_null(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || (schema.get("type").is_none() && schema.get("enum").is_none())
}

fn string(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let long_enough = schema["minLength"].as_u64().is_none_or(|min| length >= min);
    let short_enough = schema["maxLength"].as_u64().is_none_or(|max| length <= max);
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    long_enough && short_enough && formats::is_valid(format, text)
}

fn integer(schema: &Value, value: &Value) -> bool {
    let Some(n) = value.as_i64() else {
        return false;
    };
    let (low, high) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let low = schema["minimum"].as_i64().unwrap_or(low).max(low);
    let high = schema["maximum"].as_i64().unwrap_or(high).min(high);
    (low..=high).contains(&n)
}

fn number(schema: &Value, value: &Value) -> bool {
    let Some(n) = value.as_f64() else {
        return false;
    };
    schema["minimum"].as_f64().is_none_or(|min| n >= min)
        && schema["maximum"].as_f64().is_none_or(|max| n <= max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Api, contract};
    use serde_json::json;

    fn doc() -> &'static Document {
        contract().document(Api::V1)
    }

    #[test]
    fn keeps_what_fits_and_names_what_does_not() {
        let schema = json!({"$ref": "#/components/schemas/Project"});
        let base = json!({"name": "old"});
        let patch = json!({"NAME": "Website", "tags": ["design"], "isBillableByDefault": "yes", "nonsense": 1});
        let (value, refused) = overlay(doc(), &schema, &base, patch.as_object().unwrap());
        assert_eq!(
            value["name"], "Website",
            "names match without regard to case"
        );
        assert!(!refused.contains(&"NAME".to_owned()));
        assert!(
            refused.contains(&"tags".to_owned()),
            "strings do not fit tag models"
        );
        assert!(refused.contains(&"nonsense".to_owned()));
    }

    #[test]
    fn scalars_fit_their_type_format_and_bounds() {
        let d = doc();
        assert!(
            fit(
                d,
                &json!({"type": "string", "format": "uuid"}),
                &json!("nope")
            )
            .is_none()
        );
        assert!(
            fit(
                d,
                &json!({"type": "integer", "format": "int32"}),
                &json!(3_000_000_000_i64)
            )
            .is_none()
        );
        assert!(
            fit(
                d,
                &json!({"type": "string", "nullable": true}),
                &Value::Null
            )
            .is_some()
        );
        assert!(fit(d, &json!({"type": "string"}), &Value::Null).is_none());
        assert!(fit(d, &json!({"type": "string", "enum": ["a"]}), &json!("b")).is_none());
        assert_eq!(
            fit(
                d,
                &json!({"type": "array", "items": {"type": "integer"}}),
                &json!([1, 2])
            ),
            Some(json!([1, 2]))
        );
    }
}
