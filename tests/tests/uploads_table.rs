//! The table of awork's multipart uploads (`awork_api_ext::uploads`), which `regen`
//! writes, read back through the ext crate and held against the vendored document by a
//! reading of its own: every multipart operation of `openapi/awork-v1.json` has a row
//! with its path, method, path parameters, form fields (names, types, required) and
//! answer, and every row is such an operation. When awork changes an upload and the
//! table was not regenerated, or the table's writer misreads the document, this fails
//! and names the operation; the normalization report lists the same operations as
//! excluded from the generated client.

use awork_api_ext::uploads::{
    FieldKind, FormField, OPERATIONS, ParamKind, PathParam, UploadMethod, UploadOperation,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use xtask::pipeline::{self, Inputs};

const MULTIPART: &str = "multipart/form-data";

fn spec_bytes() -> Vec<u8> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::read(repo.join("openapi/awork-v1.json")).unwrap()
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(pointer) => doc
            .pointer(pointer.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {pointer}")),
        None => value,
    }
}

/// The multipart operations of the document: (method, path, operation).
fn multipart_operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_some_and(|content| content.contains_key(MULTIPART))
            {
                found.push((method.to_uppercase(), path.clone(), operation));
            }
        }
    }
    found
}

/// A form field as the test compares it: name, kind in words, required.
type Field = (String, String, bool);

/// The table's kind in the words [`document_kind`] uses.
fn table_kind(kind: FieldKind) -> String {
    match kind {
        FieldKind::File => "file".into(),
        FieldKind::Text => "text".into(),
        FieldKind::Uuid => "uuid".into(),
        FieldKind::Bool => "bool".into(),
        FieldKind::Number => "number".into(),
        FieldKind::OneOf(values) => format!("one of {}", values.join(",")),
    }
}

/// What the document says a form field is, in the same words.
fn document_kind(schema: &Value) -> String {
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<&str> = values.iter().map(|v| v.as_str().unwrap()).collect();
        return format!("one of {}", values.join(","));
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("string"), Some("binary")) => "file".into(),
        (Some("string"), Some("uuid")) => "uuid".into(),
        (Some("string"), None) => "text".into(),
        (Some("boolean"), _) => "bool".into(),
        (Some("number" | "integer"), _) => "number".into(),
        other => panic!("a form field of a type the table cannot hold: {other:?}"),
    }
}

fn table_fields(fields: &[FormField]) -> Vec<Field> {
    fields
        .iter()
        .map(|f| (f.name.to_string(), table_kind(f.kind), f.required))
        .collect()
}

/// The form of an operation as the document states it.
fn document_fields(doc: &Value, operation: &Value) -> Vec<Field> {
    let schema = resolve(
        doc,
        &operation["requestBody"]["content"][MULTIPART]["schema"],
    );
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .map(|list| list.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default();
    schema["properties"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, property)| {
            let kind = document_kind(resolve(doc, property));
            (name.clone(), kind, required.contains(name.as_str()))
        })
        .collect()
}

fn table_params(params: &[PathParam]) -> Vec<(String, ParamKind)> {
    params
        .iter()
        .map(|p| (p.name.to_string(), p.kind))
        .collect()
}

/// The path parameters as the document states them, in path order.
fn document_params(doc: &Value, operation: &Value) -> Vec<(String, ParamKind)> {
    let declared = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    declared
        .iter()
        .map(|p| resolve(doc, p))
        .filter(|p| p["in"] == "path")
        .map(|p| {
            let kind = match (
                p["schema"]["format"].as_str(),
                p["schema"]["pattern"].as_str(),
            ) {
                (Some("uuid"), _) => ParamKind::Uuid,
                (None, Some("^[A-Za-z]*$")) => ParamKind::Letters,
                other => panic!("a path parameter the table cannot hold: {other:?}"),
            };
            (p["name"].as_str().unwrap().to_string(), kind)
        })
        .collect()
}

/// The schema name of the 200 answer.
fn returns(operation: &Value) -> String {
    operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

/// `CreateTaskFile` → `create_task_file`, as the generated operations are named.
fn snake(operation_id: &str) -> String {
    let mut out = String::new();
    for (i, c) in operation_id.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn row(operation_id: &str) -> &'static UploadOperation {
    UploadOperation::find(operation_id)
        .unwrap_or_else(|| panic!("{operation_id} is a multipart operation of awork's document but has no row in uploads::OPERATIONS"))
}

#[test]
fn every_multipart_operation_of_the_document_has_a_matching_row_and_no_other() {
    let doc: Value = serde_json::from_slice(&spec_bytes()).unwrap();
    let operations = multipart_operations(&doc);
    assert_eq!(operations.len(), 20);
    let mut seen = BTreeSet::new();
    for (method, path, operation) in operations {
        let id = operation["operationId"].as_str().unwrap();
        let row = row(id);
        seen.insert(id.to_string());
        let method = match method.as_str() {
            "POST" => UploadMethod::Post,
            "PUT" => UploadMethod::Put,
            other => panic!("{id}: an upload by {other}"),
        };
        assert_eq!(row.method, method, "{id}: method");
        assert_eq!(row.path, path, "{id}: path");
        assert_eq!(
            table_params(row.path_params),
            document_params(&doc, operation),
            "{id}: path parameters"
        );
        assert_eq!(
            table_fields(row.fields),
            document_fields(&doc, operation),
            "{id}: form fields"
        );
        assert_eq!(row.returns, returns(operation), "{id}: answer");
        assert_eq!(row.trace_name, snake(id), "{id}: trace name");
        let content = operation["requestBody"]["content"].as_object().unwrap();
        assert_eq!(content.len(), 1, "{id}: multipart is its only body");
    }
    let rows: BTreeSet<String> = OPERATIONS
        .iter()
        .map(|op| op.operation_id.to_string())
        .collect();
    assert_eq!(
        rows, seen,
        "rows without a multipart operation in the document"
    );
}

#[test]
fn the_operations_the_generator_excludes_are_the_ones_the_table_serves() {
    let spec = spec_bytes();
    let (_, report) = pipeline::prepare(&Inputs {
        spec: &spec,
        spec_origin: "openapi/awork-v1.json",
        corrections: None,
        areas: None,
    })
    .unwrap();
    let excluded: BTreeSet<&str> = report
        .excluded
        .iter()
        .map(|e| e.operation_id.as_str())
        .collect();
    let rows: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.operation_id).collect();
    assert_eq!(excluded, rows);
    for e in &report.excluded {
        assert!(e.reason.contains("awork_api_ext::uploads"), "{}", e.reason);
    }
}

/// The typed helpers pick their rows (no request is sent: only the row is read).
#[test]
fn the_typed_helpers_pick_their_rows() {
    use awork_api_ext::uploads::{FileOwner, UploadFile};
    let client = awork_api_ext::AworkClient::builder()
        .api_key("k")
        .base_url("http://127.0.0.1:9/api/v1")
        .build()
        .unwrap();
    let uploads = client.uploads();
    let id = uuid::Uuid::from_u128(1);
    let owners = [
        FileOwner::Company(id),
        FileOwner::Document(id),
        FileOwner::Project(id),
        FileOwner::ProjectTemplate(id),
        FileOwner::Task(id),
        FileOwner::TaskTemplate(id),
        FileOwner::User(id),
        FileOwner::Workspace(id),
    ];
    let mut picked = BTreeSet::new();
    for owner in owners {
        let file = uploads.file(owner, UploadFile::from_bytes("a.txt", "a"));
        let version = uploads.file_version(owner, id, UploadFile::from_bytes("a.txt", "a"));
        assert_eq!(file.operation().returns, "FileInfo");
        assert_eq!(version.operation().returns, "FileVersion");
        picked.insert(file.operation().operation_id);
        picked.insert(version.operation().operation_id);
    }
    picked.insert(
        uploads
            .image("users", id, UploadFile::from_bytes("a.png", "a"))
            .operation()
            .operation_id,
    );
    picked.insert(
        uploads
            .temporary_file(UploadFile::from_bytes("a.txt", "a"))
            .operation()
            .operation_id,
    );
    picked.insert(uploads.document().operation().operation_id);
    picked.insert(
        uploads
            .document_content(id, UploadFile::from_bytes("a.md", "a"), Some("markdown"))
            .operation()
            .operation_id,
    );
    let rows: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.operation_id).collect();
    assert_eq!(
        picked, rows,
        "each of the 20 is reachable through exactly one helper"
    );
}
