//! Responses: progenitor gives each operation one success type and one error type, and
//! aborts when the document declares more.

use super::Ctx;
use crate::json::{self, OpRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// What progenitor would make of one response's body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum BodyKind {
    /// An `application/json` body with this schema (serialized, for comparison).
    Json(String),
    /// Some other media type: an untyped byte stream.
    Raw,
    /// No body.
    None,
}

/// When 2xx responses have different bodies (awork: 200 with JSON beside 204 without,
/// on 16 operations), keep the typed JSON one(s) and drop the rest. A dropped 204 then
/// reaches the caller as an unexpected-status error; the operation keeps the dropped
/// bodiless statuses under [`BODILESS_SUCCESS`], so that its docs say so, and
/// awork-api-ext's `.call_optional()` reads such an answer as `None`.
pub fn one_success_type(doc: &mut Value, ctx: &mut Ctx) {
    reduce_to_one_kind(doc, ctx, is_success, Some(BODILESS_SUCCESS));
}

/// The operation's extension that lists the 2xx statuses without a body that
/// [`one_success_type`] dropped (our name; awork's documents do not use it).
pub const BODILESS_SUCCESS: &str = "x-awork-rs-bodiless-success";

/// When error responses have different bodies, keep the most common JSON body (awork's
/// `ErrorResponse`) and drop the others; the hand-written error type still sees their
/// status, headers and body.
pub fn one_error_type(doc: &mut Value, ctx: &mut Ctx) {
    reduce_to_one_kind(doc, ctx, |status| !is_success(status), None);
}

/// OpenAPI 3.0 requires a `description` on every response, and the vendored document
/// carries none (they are awork's prose): each response gets an empty one.
pub fn response_descriptions(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        let responses = json::operation_mut(doc, &op)
            .and_then(|o| o.get_mut("responses"))
            .and_then(Value::as_object_mut);
        let Some(responses) = responses else { continue };
        let mut added = 0;
        for response in responses.values_mut().filter_map(Value::as_object_mut) {
            if !response.contains_key("description") && !response.contains_key("$ref") {
                response.insert("description".into(), Value::String(String::new()));
                added += 1;
            }
        }
        if added > 0 {
            ctx.places.push(op.to_string());
        }
    }
    if let Some(shared) = doc
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in shared.iter_mut() {
            if let Some(r) = response
                .as_object_mut()
                .filter(|r| !r.contains_key("description"))
            {
                r.insert("description".into(), Value::String(String::new()));
                ctx.places.push(format!("#/components/responses/{name}"));
            }
        }
    }
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Keeps the selected responses of one kind; with `mark`, the dropped statuses that had
/// no body are listed on the operation under that extension.
fn reduce_to_one_kind(
    doc: &mut Value,
    ctx: &mut Ctx,
    select: fn(&str) -> bool,
    mark: Option<&str>,
) {
    for op in json::operations(doc) {
        let kinds = body_kinds(doc, &op, select);
        let Some(keep) = kind_to_keep(&kinds) else {
            continue;
        };
        let drop: Vec<String> = kinds
            .iter()
            .filter(|(_, k)| **k != keep)
            .map(|(s, _)| s.clone())
            .collect();
        let bodiless: Vec<Value> = drop
            .iter()
            .filter(|s| kinds.get(*s) == Some(&BodyKind::None))
            .map(|s| Value::String(s.clone()))
            .collect();
        let Some(operation) = json::operation_mut(doc, &op) else {
            continue;
        };
        if let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for status in &drop {
                responses.remove(status);
            }
            ctx.places
                .push(format!("{op}: dropped {}", drop.join(", ")));
        }
        if let Some(mark) = mark.filter(|_| !bodiless.is_empty()) {
            operation.insert(mark.to_string(), Value::Array(bodiless));
        }
    }
}

/// `None` when the selected responses already agree on one kind.
fn kind_to_keep(kinds: &BTreeMap<String, BodyKind>) -> Option<BodyKind> {
    let mut counts: BTreeMap<&BodyKind, usize> = BTreeMap::new();
    for kind in kinds.values() {
        *counts.entry(kind).or_default() += 1;
    }
    if counts.len() < 2 {
        return None;
    }
    // JSON sorts first; among JSON bodies the most used wins, ties by first in order.
    counts
        .iter()
        .max_by(|(ka, ca), (kb, cb)| {
            let json_a = matches!(ka, BodyKind::Json(_));
            let json_b = matches!(kb, BodyKind::Json(_));
            (json_a, *ca).cmp(&(json_b, *cb)).then(kb.cmp(ka))
        })
        .map(|(k, _)| (*k).clone())
}

fn body_kinds(doc: &Value, op: &OpRef, select: fn(&str) -> bool) -> BTreeMap<String, BodyKind> {
    let Some(responses) = json::operation(doc, op)
        .and_then(|o| o.get("responses"))
        .and_then(Value::as_object)
    else {
        return BTreeMap::new();
    };
    responses
        .iter()
        .filter(|(status, _)| select(status))
        .map(|(status, response)| (status.clone(), body_kind(json::resolve(doc, response))))
        .collect()
}

fn body_kind(response: &Value) -> BodyKind {
    let Some(content) = response
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return BodyKind::None;
    };
    let json_media = content
        .iter()
        .find(|(media, _)| media.starts_with("application/json"));
    match json_media {
        Some((_, media)) => BodyKind::Json(
            media
                .get("schema")
                .map(Value::to_string)
                .unwrap_or_default(),
        ),
        None => BodyKind::Raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testutil::run;
    use serde_json::json;

    fn typed(name: &str) -> Value {
        json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}})
    }

    #[test]
    fn responses_get_the_description_openapi_30_requires() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {}, "400": {"description": "x"}}}}}});
        let (doc, places, _) = run(response_descriptions, doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"],
            json!({"200": {"description": ""}, "400": {"description": "x"}})
        );
        assert_eq!(places, ["GET /a"]);
    }

    #[test]
    fn a_bodiless_204_beside_a_typed_200_is_dropped() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": typed("A"), "204": {}, "401": typed("E")}}}}});
        let (doc, places, _) = run(one_success_type, doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"],
            json!({"200": typed("A"), "401": typed("E")})
        );
        assert_eq!(places, ["GET /a: dropped 204"]);
        assert_eq!(doc["paths"]["/a"]["get"][BODILESS_SUCCESS], json!(["204"]));
    }

    #[test]
    fn a_dropped_raw_body_is_not_marked_bodiless() {
        let raw = json!({"content": {"application/octet-stream": {}}});
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": typed("A"), "202": raw}}}}});
        let (doc, places, _) = run(one_success_type, doc);
        assert_eq!(places, ["GET /a: dropped 202"]);
        assert!(doc["paths"]["/a"]["get"].get(BODILESS_SUCCESS).is_none());
    }

    #[test]
    fn agreeing_responses_are_left_alone() {
        let doc = json!({"paths": {"/a": {"post": {"responses": {"204": {}, "207": {}, "400": typed("E"), "401": typed("E")}}}}});
        let (after, places, _) = run(one_success_type, doc.clone());
        assert_eq!(after, doc);
        assert!(places.is_empty());
        let (after, places, _) = run(one_error_type, doc.clone());
        assert_eq!(after, doc);
        assert!(places.is_empty());
    }

    #[test]
    fn errors_keep_the_most_common_json_body() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": typed("A"), "400": typed("E"), "401": typed("E"), "404": typed("Other"), "500": {}}}}}});
        let (doc, places, _) = run(one_error_type, doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"],
            json!({"200": typed("A"), "400": typed("E"), "401": typed("E")})
        );
        assert_eq!(places, ["GET /a: dropped 404, 500"]);
    }
}
