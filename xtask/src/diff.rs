//! `cargo xtask diff [OLD] NEW`: what changed between two of awork's documents, and
//! which changes break code written against the generated Rust crate.
//!
//! Operations are matched by method and path, so a changed operationId shows up as a
//! renamed method. Method names are compared after normalization (the names the crate
//! really has: synthesized, deduplicated, reserved names avoided). Parameters, schema
//! fields and enum values are compared on the documents as awork wrote them.
//!
//! What breaks a Rust user, and so is marked breaking: a removed or renamed method, a
//! removed parameter or field, a new required parameter or field (every struct literal
//! and every call must now set it), a parameter turned required, a field whose type
//! changed. Not breaking: new operations, optional parameters and fields, parameters
//! turned optional, enum values added or removed (the crate reads enums as strings).

use crate::json::{self, OpRef};
use crate::pipeline::{self, Inputs};
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One change between the documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code written against the old crate stops compiling (or means less).
    pub breaking: bool,
    /// What kind of change (`operation added`, `field removed`, …).
    pub kind: &'static str,
    /// Where (`GET /timebookings`, `TimeBooking.projectId`, …).
    pub place: String,
    /// Details (`get_x → get_y`, `string(date-time) → string`, …).
    pub detail: String,
}

/// Every change from `old` to `new` (both already parsed), breaking ones first.
pub fn diff(old: &Value, new: &Value) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    operations(old, new, &mut changes)?;
    schemas(old, new, &mut changes);
    changes.sort();
    changes.sort_by_key(|c| !c.breaking);
    Ok(changes)
}

fn change(
    breaking: bool,
    kind: &'static str,
    place: impl Into<String>,
    detail: impl Into<String>,
) -> Change {
    Change {
        breaking,
        kind,
        place: place.into(),
        detail: detail.into(),
    }
}

/// The generated method name of each operation, after normalization.
fn method_names(doc: &Value) -> Result<BTreeMap<OpRef, String>> {
    use heck::ToSnakeCase;
    let bytes = serde_json::to_vec(doc)?;
    let (normalized, _) = pipeline::prepare(&Inputs {
        spec: &bytes,
        spec_origin: "diff",
        corrections: None,
        areas: None,
    })?;
    Ok(json::operations(&normalized)
        .into_iter()
        .map(|op| {
            let name = json::operation_id(&normalized, &op).to_snake_case();
            (op, name)
        })
        .collect())
}

fn operations(old: &Value, new: &Value, out: &mut Vec<Change>) -> Result<()> {
    let (old_names, new_names) = (method_names(old)?, method_names(new)?);
    let old_ops: BTreeSet<OpRef> = json::operations(old).into_iter().collect();
    let new_ops: BTreeSet<OpRef> = json::operations(new).into_iter().collect();
    for op in new_ops.difference(&old_ops) {
        let name = new_names.get(op).cloned().unwrap_or_default();
        out.push(change(false, "operation added", op.to_string(), name));
    }
    for op in old_ops.difference(&new_ops) {
        let name = old_names.get(op).cloned().unwrap_or_default();
        out.push(change(true, "operation removed", op.to_string(), name));
    }
    for op in old_ops.intersection(&new_ops) {
        if let (Some(before), Some(after)) = (old_names.get(op), new_names.get(op))
            && before != after
        {
            out.push(change(
                true,
                "method renamed",
                op.to_string(),
                format!("{before} → {after}"),
            ));
        }
        parameters(old, new, op, out);
    }
    Ok(())
}

/// `(in, name)` → required, for the operation's parameters (path-level ones included).
fn parameter_map(doc: &Value, op: &OpRef) -> BTreeMap<(String, String), bool> {
    let item = doc.pointer(&format!("/paths/{}", pointer_escape(&op.path)));
    let shared = item
        .and_then(|i| i.get("parameters"))
        .and_then(Value::as_array);
    let own = json::operation(doc, op)
        .and_then(|o| o.get("parameters"))
        .and_then(Value::as_array);
    shared
        .into_iter()
        .chain(own)
        .flatten()
        .map(|p| json::resolve(doc, p))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?.to_string();
            let location = p.get("in")?.as_str()?.to_string();
            let required = p.get("required").and_then(Value::as_bool) == Some(true);
            Some(((location, name), required))
        })
        .collect()
}

fn parameters(old: &Value, new: &Value, op: &OpRef, out: &mut Vec<Change>) {
    let (before, after) = (parameter_map(old, op), parameter_map(new, op));
    for (key, required) in &after {
        let place = format!("{op} {} parameter `{}`", key.0, key.1);
        match before.get(key) {
            None => out.push(change(
                *required,
                "parameter added",
                place,
                if *required { "required" } else { "optional" },
            )),
            Some(false) if *required => out.push(change(true, "parameter now required", place, "")),
            Some(true) if !*required => {
                out.push(change(false, "parameter now optional", place, ""))
            }
            _ => {}
        }
    }
    for key in before.keys().filter(|k| !after.contains_key(*k)) {
        let place = format!("{op} {} parameter `{}`", key.0, key.1);
        out.push(change(true, "parameter removed", place, ""));
    }
}

fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn schemas(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let empty = serde_json::Map::new();
    let all = |doc: &Value| {
        doc.pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (before, after) = (all(old), all(new));
    for (name, schema) in &after {
        match before.get(name) {
            None => out.push(change(false, "schema added", name.clone(), "")),
            Some(old_schema) => schema_changes(name, old_schema, schema, out),
        }
    }
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        out.push(change(true, "schema removed", name.clone(), ""));
    }
}

fn schema_changes(name: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    enum_changes(name, old, new, out);
    let props = |s: &Value| {
        s.get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (before, after) = (props(old), props(new));
    let now_required = required(new);
    for (field, schema) in &after {
        let place = format!("{name}.{field}");
        match before.get(field) {
            None => {
                let req = now_required.contains(field);
                out.push(change(
                    req,
                    "field added",
                    place,
                    if req { "required" } else { "optional" },
                ));
            }
            Some(old_field) => {
                let (was, is) = (type_of(old_field), type_of(schema));
                if was != is {
                    out.push(change(
                        true,
                        "field retyped",
                        place.clone(),
                        format!("{was} → {is}"),
                    ));
                }
                enum_changes(&place, old_field, schema, out);
            }
        }
    }
    for field in before.keys().filter(|f| !after.contains_key(*f)) {
        out.push(change(true, "field removed", format!("{name}.{field}"), ""));
    }
}

/// A field's type in one word: `string(date-time)`, `ref TimeBooking`, `array of int32`.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return format!("ref {}", r.rsplit('/').next().unwrap_or(r));
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array)
        && all.len() == 1
    {
        return type_of(&all[0]);
    }
    let ty = schema.get("type").map(|t| match t {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let format = schema.get("format").and_then(Value::as_str);
    match (ty.as_deref(), format) {
        (Some("array"), _) => format!(
            "array of {}",
            type_of(schema.get("items").unwrap_or(&json!({})))
        ),
        (Some(t), Some(f)) => format!("{t}({f})"),
        (Some(t), None) => t.to_string(),
        (None, _) => "any".to_string(),
    }
}

fn enum_changes(place: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let values = |s: &Value| -> BTreeSet<String> {
        s.get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default()
    };
    let (before, after) = (values(old), values(new));
    for v in after.difference(&before) {
        out.push(change(false, "enum value added", place, v.clone()));
    }
    for v in before.difference(&after) {
        out.push(change(false, "enum value removed", place, v.clone()));
    }
}

/// The changes as text: a count line, then the breaking ones, then the rest.
pub struct Summary<'a>(pub &'a [Change]);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let breaking = self.0.iter().filter(|c| c.breaking).count();
        writeln!(
            f,
            "{} changes, {breaking} breaking for users of the Rust crate",
            self.0.len()
        )?;
        for (title, flag) in [("breaking", true), ("not breaking", false)] {
            let mut listed = self.0.iter().filter(|c| c.breaking == flag).peekable();
            if listed.peek().is_none() {
                continue;
            }
            writeln!(f, "{title}:")?;
            for c in listed {
                match c.detail.is_empty() {
                    true => writeln!(f, "  {}: {}", c.kind, c.place)?,
                    false => writeln!(f, "  {}: {} ({})", c.kind, c.place, c.detail)?,
                }
            }
        }
        Ok(())
    }
}

/// The changes as JSON, for tools.
pub fn to_json(changes: &[Change]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|c| json!({"breaking": c.breaking, "kind": c.kind, "place": c.place, "detail": c.detail}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    fn ok() -> Value {
        json!({"200": {"description": ""}})
    }

    #[test]
    fn each_kind_of_change_is_found_and_classified() {
        let old = doc(
            json!({
                "/a": {"get": {"operationId": "GetA", "responses": ok(), "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "gone", "in": "query", "schema": {"type": "string"}}]}},
                "/b": {"get": {"operationId": "GetB", "responses": ok()}},
                "/old": {"get": {"operationId": "GetOld", "responses": ok()}}
            }),
            json!({"Thing": {"type": "object", "properties": {
                "id": {"type": "string", "format": "uuid"},
                "when": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "dropped": {"type": "string"}}}}),
        );
        let new = doc(
            json!({
                "/a": {"get": {"operationId": "GetA", "responses": ok(), "parameters": [
                    {"name": "page", "in": "query", "required": true, "schema": {"type": "integer"}},
                    {"name": "userId", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "note", "in": "query", "schema": {"type": "string"}}]}},
                "/b": {"get": {"operationId": "ListB", "responses": ok()}},
                "/new": {"get": {"operationId": "GetNew", "responses": ok()}}
            }),
            json!({"Thing": {"type": "object", "required": ["must"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "when": {"type": "string"},
                "kind": {"type": "string", "enum": ["a", "c"]},
                "must": {"type": "integer"},
                "may": {"type": "boolean"}}}}),
        );
        let changes = diff(&old, &new).unwrap();
        let find = |kind: &str, place: &str| {
            changes
                .iter()
                .find(|c| c.kind == kind && c.place.contains(place))
                .unwrap_or_else(|| panic!("no {kind} at {place}: {changes:#?}"))
                .clone()
        };
        assert!(!find("operation added", "GET /new").breaking);
        assert!(find("operation removed", "GET /old").breaking);
        assert_eq!(find("method renamed", "GET /b").detail, "get_b → list_b");
        assert!(find("parameter added", "`userId`").breaking);
        assert!(!find("parameter added", "`note`").breaking);
        assert!(find("parameter now required", "`page`").breaking);
        assert!(find("parameter removed", "`gone`").breaking);
        assert!(find("field removed", "Thing.dropped").breaking);
        assert!(find("field added", "Thing.must").breaking);
        assert!(!find("field added", "Thing.may").breaking);
        assert_eq!(
            find("field retyped", "Thing.when").detail,
            "string(date-time) → string"
        );
        assert!(!find("enum value added", "Thing.kind").breaking);
        assert_eq!(find("enum value removed", "Thing.kind").detail, "\"b\"");
        assert_eq!(changes.len(), 13, "{changes:#?}");
        assert!(
            changes[..8].iter().all(|c| c.breaking),
            "breaking ones first"
        );
        assert!(changes[8..].iter().all(|c| !c.breaking));
    }

    #[test]
    fn identical_documents_have_no_changes() {
        let d = doc(
            json!({"/a": {"get": {"operationId": "GetA", "responses": ok()}}}),
            json!({}),
        );
        assert_eq!(diff(&d, &d).unwrap(), []);
        assert_eq!(
            Summary(&[]).to_string(),
            "0 changes, 0 breaking for users of the Rust crate\n"
        );
    }
}
