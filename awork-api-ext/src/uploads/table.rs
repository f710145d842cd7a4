//! The 20 `multipart/form-data` operations of awork's API v1, as data.
//!
//! progenitor cannot generate multipart requests, so `awork-api` leaves these operations
//! out and this table describes them instead: where each one goes, which path
//! parameters it takes, and the parts of its form with their types, all as awork's
//! document (`openapi/awork-v1.json`) states them. One request builder serves every row
//! ([`Uploads::operation`](super::Uploads::operation)); the typed helpers pick their row
//! by operationId.
//!
//! The types of a row are declared here; the rows themselves, [`OPERATIONS`], are
//! written by `cargo xtask regen` from the operations the generator leaves out
//! (`table_rows.rs`, included below), so a change of awork's uploads reaches this table
//! with the next regen, and `regen --check` fails until it has.

/// The HTTP method of an upload: awork's uploads are POSTs, except the replacement of a
/// document's content, a PUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadMethod {
    /// `POST`: creates a file, a version, an image or a document.
    Post,
    /// `PUT`: replaces a document's content.
    Put,
}

impl UploadMethod {
    /// The method as reqwest sends it.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            UploadMethod::Post => reqwest::Method::POST,
            UploadMethod::Put => reqwest::Method::PUT,
        }
    }

    /// `POST` or `PUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadMethod::Post => "POST",
            UploadMethod::Put => "PUT",
        }
    }
}

/// What a path parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A GUID (`format: uuid`).
    Uuid,
    /// ASCII letters only (`pattern: ^[A-Za-z]*$`), e.g. an entity name.
    Letters,
}

/// One `{name}` of an operation's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathParam {
    /// The name in the path template, e.g. `taskId`.
    pub name: &'static str,
    /// What it holds.
    pub kind: ParamKind,
}

/// What a part of the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// File content (`format: binary`), sent with a file name and a content type.
    File,
    /// Free text.
    Text,
    /// A GUID.
    Uuid,
    /// `true` or `false`.
    Bool,
    /// A decimal number.
    Number,
    /// One of these values.
    OneOf(&'static [&'static str]),
}

/// One part of an operation's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The part's name, exactly as awork spells it (the file part is `File` on most
    /// operations and `file` on some).
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether awork's document lists it as required.
    pub required: bool,
}

/// One of awork's multipart operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadOperation {
    /// awork's operationId, e.g. `CreateTaskFile`.
    pub operation_id: &'static str,
    /// The name traces show (`operation_id` of the `awork.request` span), in the
    /// generated operations' snake case, e.g. `create_task_file`.
    pub trace_name: &'static str,
    /// The HTTP method.
    pub method: UploadMethod,
    /// The path template under the v1 base URL, e.g. `/tasks/{taskId}/files`.
    pub path: &'static str,
    /// The path's parameters, in the order they appear.
    pub path_params: &'static [PathParam],
    /// The parts of the form.
    pub fields: &'static [FormField],
    /// The schema of the 200 answer in awork's document, e.g. `FileInfo`.
    pub returns: &'static str,
}

impl UploadOperation {
    /// The row with this operationId, if there is one.
    pub fn find(operation_id: &str) -> Option<&'static UploadOperation> {
        OPERATIONS.iter().find(|op| op.operation_id == operation_id)
    }

    /// The form field called `name`, if the operation has one.
    pub fn field(&self, name: &str) -> Option<&'static FormField> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// The path parameter called `name`, if the operation has one.
    pub fn path_param(&self, name: &str) -> Option<&'static PathParam> {
        self.path_params.iter().find(|param| param.name == name)
    }
}

// The rows: written by `cargo xtask regen` from awork's document, checked by
// `regen --check`.
include!("table_rows.rs");
