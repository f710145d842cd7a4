//! Cutting a document down to a few operations, for small fixtures and snapshots.

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Keeps only the operations on the given paths, and of `components` only what they
/// reference (transitively). The result is a complete, smaller document.
pub fn keep_paths(doc: &Value, keep: &[&str]) -> Value {
    let mut out = doc.clone();
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        paths.retain(|path, _| keep.contains(&path.as_str()));
    }
    let used = referenced_components(&out);
    if let Some(components) = out.get_mut("components").and_then(Value::as_object_mut) {
        for (section, entries) in components.iter_mut() {
            if section == "securitySchemes" {
                continue;
            }
            if let Some(map) = entries.as_object_mut() {
                map.retain(|name, _| used.contains(&format!("#/components/{section}/{name}")));
            }
        }
    }
    out
}

/// Every `#/components/...` reference reachable from the paths.
fn referenced_components(doc: &Value) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    collect_refs(doc.get("paths").unwrap_or(&Value::Null), &mut queue);
    while let Some(reference) = queue.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            collect_refs(target, &mut queue);
        }
    }
    seen
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => collect_refs_in_object(map, out),
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn collect_refs_in_object(map: &Map<String, Value>, out: &mut Vec<String>) {
    if let Some(Value::String(r)) = map.get("$ref") {
        out.push(r.clone());
    }
    map.values().for_each(|v| collect_refs(v, out));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_the_paths_and_what_they_reference() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}, "/b": {}},
            "components": {"schemas": {"A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {}, "C": {}}}
        });
        let out = keep_paths(&doc, &["/a"]);
        assert_eq!(out["paths"].as_object().unwrap().len(), 1);
        let names: Vec<&String> = out["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["A", "B"]);
    }
}
