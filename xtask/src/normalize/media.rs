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
/// (`awork_api_ext::uploads`), from a table `regen` writes from what this pass keeps of
/// each (`uploads_table`), so the report says where they went.
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
        let operation = self_contained(doc, &op);
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
            operation,
        });
    }
}

/// Answers awork declares as `application/json` with a `string`/`binary` schema are
/// files (downloads, PDFs): the body is the file's bytes, not a JSON string, so reading
/// it as JSON fails on every real file. They become `application/octet-stream`, which
/// progenitor answers with a streamed `ByteStream`.
pub fn binary_answers_are_files(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        let statuses: Vec<String> = json::operation(doc, &op)
            .and_then(|o| o.get("responses"))
            .and_then(Value::as_object)
            .map(|responses| {
                responses
                    .iter()
                    .filter(|(_, response)| is_binary_json(doc, response))
                    .map(|(status, _)| status.clone())
                    .collect()
            })
            .unwrap_or_default();
        for status in statuses {
            let content = json::operation_mut(doc, &op)
                .and_then(|o| o.get_mut("responses"))
                .and_then(|r| r.get_mut(&status))
                .and_then(|r| r.get_mut("content"))
                .and_then(Value::as_object_mut);
            if let Some(content) = content {
                content.remove(JSON);
                content.insert(
                    OCTET_STREAM.into(),
                    serde_json::json!({"schema": {"type": "string", "format": "binary"}}),
                );
                ctx.places.push(format!("{op} {status}"));
            }
        }
    }
}

const OCTET_STREAM: &str = "application/octet-stream";

/// An inline response whose `application/json` schema is (or refers to) a binary string.
fn is_binary_json(doc: &Value, response: &Value) -> bool {
    let Some(schema) = response.pointer("/content/application~1json/schema") else {
        return false;
    };
    let schema = json::resolve(doc, schema);
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

/// The operation at `op`, with the local `$ref`s it needs to be read alone followed:
/// its parameters and their schemas, its request bodies' schemas and their
/// properties. Its answers keep their `$ref`s, which name the types they return.
fn self_contained(doc: &Value, op: &OpRef) -> Value {
    let Some(operation) = json::operation(doc, op) else {
        return Value::Null;
    };
    let mut operation = Value::Object(operation.clone());
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in parameters {
            *parameter = json::resolve(doc, parameter).clone();
            follow(doc, parameter.get_mut("schema"));
        }
    }
    let bodies = operation
        .pointer_mut("/requestBody/content")
        .and_then(Value::as_object_mut);
    for body in bodies.into_iter().flat_map(|content| content.values_mut()) {
        let schema = body.get_mut("schema");
        follow(doc, schema);
        let properties = body
            .pointer_mut("/schema/properties")
            .and_then(Value::as_object_mut);
        for property in properties.into_iter().flat_map(|p| p.values_mut()) {
            follow(doc, Some(property));
        }
    }
    operation
}

/// Replaces a local `$ref` with what it names.
fn follow(doc: &Value, value: Option<&mut Value>) {
    if let Some(value) = value {
        *value = json::resolve(doc, value).clone();
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
    fn a_binary_json_answer_becomes_a_file_and_other_answers_stay() {
        let binary = json!({"content": {"application/json": {"schema": {"type": "string", "format": "binary"}}}});
        let text = json!({"content": {"application/json": {"schema": {"type": "string"}}}});
        let doc = json!({
            "components": {"schemas": {"Blob": {"type": "string", "format": "binary"}}},
            "paths": {
                "/files/{id}/download": {"get": {"responses": {"200": binary, "401": text}}},
                "/files/{id}/pdf": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Blob"}}}}}}},
                "/name": {"get": {"responses": {"200": text}}}
            }
        });
        let (after, places, _) = run(binary_answers_are_files, doc.clone());
        assert_eq!(
            places,
            ["GET /files/{id}/download 200", "GET /files/{id}/pdf 200"]
        );
        let file =
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
        assert_eq!(
            after["paths"]["/files/{id}/download"]["get"]["responses"]["200"]["content"],
            file
        );
        assert_eq!(
            after["paths"]["/files/{id}/pdf"]["get"]["responses"]["200"]["content"],
            file
        );
        assert_eq!(
            after["paths"]["/files/{id}/download"]["get"]["responses"]["401"],
            text
        );
        assert_eq!(after["paths"]["/name"], doc["paths"]["/name"]);
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

    #[test]
    fn an_excluded_upload_keeps_its_parameters_and_form_readable_alone() {
        let doc = json!({
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path", "schema": {"$ref": "#/components/schemas/Guid"}}},
                "schemas": {
                    "Guid": {"type": "string", "format": "uuid"},
                    "Level": {"type": "string", "enum": ["a", "b"]},
                    "Form": {"type": "object", "properties": {"level": {"$ref": "#/components/schemas/Level"}}},
                    "Info": {"type": "object"}
                }
            },
            "paths": {"/x/{id}": {"post": {
                "operationId": "Upload",
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "requestBody": {"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Form"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Info"}}}}}
            }}}
        });
        let (_, _, ctx) = run(exclude_multipart, doc);
        let kept = &ctx.excluded[0].operation;
        assert_eq!(kept["parameters"][0]["schema"]["format"], "uuid");
        let form = &kept["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(form["properties"]["level"]["enum"], json!(["a", "b"]));
        assert_eq!(
            kept["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Info",
            "answers keep the name of their type"
        );
    }
}
