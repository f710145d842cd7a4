//! Small helpers for walking an OpenAPI document held as `serde_json::Value`.

use serde_json::{Map, Value};

/// HTTP methods that may appear as keys of an OpenAPI path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a document, addressed by path and method.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpRef {
    /// The templated path, e.g. `/timebookings/{timeBookingId}`.
    pub path: String,
    /// Lower-case HTTP method.
    pub method: String,
}

impl std::fmt::Display for OpRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation of the document, in document order.
pub fn operations(doc: &Value) -> Vec<OpRef> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(move |m| item.get(**m).is_some_and(Value::is_object))
                .map(move |m| OpRef {
                    path: path.clone(),
                    method: (*m).to_string(),
                })
        })
        .collect()
}

/// The operation object at `op`, if present.
pub fn operation<'a>(doc: &'a Value, op: &OpRef) -> Option<&'a Map<String, Value>> {
    doc.get("paths")?
        .get(&op.path)?
        .get(&op.method)?
        .as_object()
}

/// The operation object at `op`, mutably.
pub fn operation_mut<'a>(doc: &'a mut Value, op: &OpRef) -> Option<&'a mut Map<String, Value>> {
    doc.get_mut("paths")?
        .get_mut(&op.path)?
        .get_mut(&op.method)?
        .as_object_mut()
}

/// The operationId of `op`, or an empty string.
pub fn operation_id(doc: &Value, op: &OpRef) -> String {
    operation(doc, op)
        .and_then(|o| o.get("operationId"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Follows a local `$ref` (`#/components/...`) one level; other values are returned as they are.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) if r.starts_with("#/") => doc.pointer(&r[1..]).unwrap_or(value),
        _ => value,
    }
}

/// Calls `f` on every JSON object nested in `value` (pre-order, the value itself included).
pub fn for_each_object_mut(value: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            f(map);
            for child in map.values_mut() {
                for_each_object_mut(child, f);
            }
        }
        Value::Array(items) => {
            for child in items {
                for_each_object_mut(child, f);
            }
        }
        _ => {}
    }
}
