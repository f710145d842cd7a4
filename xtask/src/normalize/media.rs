//! Request body media types: progenitor takes one per operation and no multipart.

use super::{Ctx, Excluded};
use crate::json::{self, OpRef};
use serde_json::Value;

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// Request bodies offered as `application/json` and something else (awork adds
/// `application/*+json` to 41 operations) keep only `application/json`.
pub fn json_request_bodies_only(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        let Some(content) = body_content_mut(doc, &op) else {
            continue;
        };
        if content.len() > 1 && content.contains_key(JSON) {
            content.retain(|media, _| media == JSON);
            ctx.places.push(op.to_string());
        }
    }
}

/// Operations whose only request body is `multipart/form-data` are removed and listed
/// as excluded: progenitor cannot generate uploads. `awork-api-ext` serves them
/// (`awork_api_ext::uploads`), from a table that `tests/tests/uploads_table.rs` checks
/// against the document, so the report says where they went.
/// Where multipart is one of several choices, only that choice is dropped.
pub fn exclude_multipart(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        let Some(content) = body_content_mut(doc, &op) else {
            continue;
        };
        if !content.contains_key(MULTIPART) {
            continue;
        }
        if content.len() > 1 {
            content.remove(MULTIPART);
            ctx.places
                .push(format!("{op} (multipart alternative dropped)"));
            continue;
        }
        let operation_id = json::operation_id(doc, &op);
        if let Some(item) = doc
            .pointer_mut(&path_item_pointer(&op))
            .and_then(Value::as_object_mut)
        {
            item.remove(&op.method);
        }
        ctx.places.push(op.to_string());
        ctx.excluded.push(Excluded {
            op,
            operation_id,
            reason: "multipart/form-data upload (progenitor cannot generate it; served by awork_api_ext::uploads from a table checked against this document)".into(),
        });
    }
}

fn path_item_pointer(op: &OpRef) -> String {
    format!("/paths/{}", op.path.replace('~', "~0").replace('/', "~1"))
}

fn body_content_mut<'a>(
    doc: &'a mut Value,
    op: &OpRef,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    json::operation_mut(doc, op)?
        .get_mut("requestBody")?
        .get_mut("content")?
        .as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testutil::run;
    use serde_json::json;

    #[test]
    fn keeps_json_when_offered_with_plus_json() {
        let doc = json!({"paths": {"/a": {"post": {"requestBody": {"content": {
            "application/json": {"schema": {}}, "application/*+json": {"schema": {}}}}}}}});
        let (doc, places, _) = run(json_request_bodies_only, doc);
        assert_eq!(
            doc["paths"]["/a"]["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {}}})
        );
        assert_eq!(places, ["POST /a"]);
    }

    #[test]
    fn a_lone_non_json_body_is_left_alone() {
        let doc =
            json!({"paths": {"/a": {"post": {"requestBody": {"content": {"text/plain": {}}}}}}});
        let (after, places, _) = run(json_request_bodies_only, doc.clone());
        assert_eq!(after, doc);
        assert!(places.is_empty());
    }

    #[test]
    fn multipart_uploads_are_excluded_with_a_reason() {
        let doc = json!({"paths": {"/files": {
            "post": {"operationId": "Upload", "requestBody": {"content": {"multipart/form-data": {}}}},
            "get": {"operationId": "List"}
        }}});
        let (doc, places, ctx) = run(exclude_multipart, doc);
        assert_eq!(
            doc,
            json!({"paths": {"/files": {"get": {"operationId": "List"}}}})
        );
        assert_eq!(places, ["POST /files"]);
        assert_eq!(ctx.excluded[0].operation_id, "Upload");
        assert!(
            ctx.excluded[0]
                .reason
                .starts_with("multipart/form-data upload")
        );
    }
}
