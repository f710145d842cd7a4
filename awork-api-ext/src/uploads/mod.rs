//! File uploads: the 20 `multipart/form-data` operations the generated client lacks.
//!
//! progenitor cannot generate multipart requests, so `awork-api` leaves awork's uploads
//! out; they are served here, from one table ([`OPERATIONS`]) of what awork's document
//! says about each (path, method, form parts and their types), by one request builder,
//! [`UploadRequest`]. The typed helpers on [`Uploads`] pick the right row:
//!
//! | helper (method of [`Uploads`]) | operations | answer | feature |
//! |---|---|---|---|
//! | `file` | a file of a company, document, project, project template, task, task template, user or workspace (8) | `FileInfo` | `files` |
//! | `file_version` | a new version of such a file (8) | `FileVersion` | `files` |
//! | `image` | `POST /files/images/{entityName}/{entityId}` | `FileInfo` | `files` |
//! | `temporary_file` | `POST /temporaryfiles` | `FileInfo` | `files` |
//! | `document` | `POST /documents` | `DocumentModel` | `documents` |
//! | `document_content` | `PUT /documents/{documentId}/content` | `DocumentModel` | `documents` |
//! | [`operation`](Uploads::operation) | any of the 20, by operationId | JSON | none |
//!
//! Every upload goes through the client's transport like any other request: key, user
//! agent, rate limit, tracing span. Files are streamed ([`UploadFile`]), never read
//! whole into memory, and each chunk is reported to `tracing` and to an optional
//! [`on_progress`](UploadRequest::on_progress) callback.
//!
//! **Retries.** An upload is sent once, whatever happens: its body is a stream, and
//! sending a POST twice could store the file twice. [`retryable`](UploadRequest::retryable)
//! opts in: the client's [`RetryPolicy`](crate::retry::RetryPolicy) then treats the upload
//! like any request of its method (a 429 is always retried; a 5xx or timeout only for
//! the PUT, or when the policy repeats non-idempotent requests), and every attempt sends
//! a fresh body, the file opened again or the bytes reused. An upload from a reader
//! cannot be read twice and cannot opt in.
//!
//! **Bad input** (a missing file, a directory, an empty name, a field the operation does
//! not have, a value of the wrong type, a missing path parameter) is an
//! [`Error::Validation`] naming the field, before anything is sent.
//!
//! ```no_run
//! # #[cfg(feature = "files")]
//! # async fn demo(client: &awork_api_ext::AworkClient, task: uuid::Uuid) -> Result<(), awork_api_ext::Error> {
//! use awork_api_ext::uploads::{FileOwner, UploadFile};
//!
//! let info = client
//!     .uploads()
//!     .file(FileOwner::Task(task), UploadFile::from_path("minutes.pdf"))
//!     .on_progress(|p| eprintln!("{} of {:?} bytes", p.sent, p.total))
//!     .send()
//!     .await?;
//! println!("stored as {:?}", info.file_name);
//! # Ok(()) }
//! ```

mod file;
mod table;

pub use file::{CHUNK_BYTES, Progress, UploadFile};
pub use table::{
    FieldKind, FormField, OPERATIONS, ParamKind, PathParam, UploadMethod, UploadOperation,
};

use crate::client::{Api, AworkClient};
use crate::error::Error;
use file::{Checked, ProgressFn};
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use uuid::Uuid;

/// The uploads of one client: `client.uploads()`.
#[derive(Debug, Clone, Copy)]
pub struct Uploads<'a> {
    client: &'a AworkClient,
}

impl AworkClient {
    /// awork's file uploads (multipart operations), streamed through this client's
    /// transport.
    pub fn uploads(&self) -> Uploads<'_> {
        Uploads { client: self }
    }
}

/// The entities awork keeps files for, each with its id: who a file or a new version
/// belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOwner {
    /// A company (client).
    Company(Uuid),
    /// A document.
    Document(Uuid),
    /// A project.
    Project(Uuid),
    /// A project template.
    ProjectTemplate(Uuid),
    /// A task.
    Task(Uuid),
    /// A task template.
    TaskTemplate(Uuid),
    /// A user.
    User(Uuid),
    /// The workspace.
    Workspace(Uuid),
}

impl FileOwner {
    /// awork's operationIds of this owner's file upload and file-version upload (rows
    /// of [`OPERATIONS`], for [`Uploads::operation`]).
    pub fn operation_ids(self) -> (&'static str, &'static str) {
        match self {
            FileOwner::Company(_) => ("CreateCompanyFile", "CreateCompanyFileVersion"),
            FileOwner::Document(_) => ("CreateDocumentFile", "CreateDocumentFileVersion"),
            FileOwner::Project(_) => ("CreateProjectFile", "CreateProjectFileVersion"),
            FileOwner::ProjectTemplate(_) => (
                "CreateProjectTemplateFile",
                "CreateProjectTemplateFileVersion",
            ),
            FileOwner::Task(_) => ("CreateTaskFile", "CreateTaskFileVersion"),
            FileOwner::TaskTemplate(_) => {
                ("CreateTaskTemplateFile", "CreateTaskTemplateFileVersion")
            }
            FileOwner::User(_) => ("CreateUserFile", "CreateUserFileVersion"),
            FileOwner::Workspace(_) => ("CreateWorkspaceFile", "CreateWorkspaceFileVersion"),
        }
    }

    /// The owner's id.
    pub fn id(self) -> Uuid {
        match self {
            FileOwner::Company(id)
            | FileOwner::Document(id)
            | FileOwner::Project(id)
            | FileOwner::ProjectTemplate(id)
            | FileOwner::Task(id)
            | FileOwner::TaskTemplate(id)
            | FileOwner::User(id)
            | FileOwner::Workspace(id) => id,
        }
    }
}

impl<'a> Uploads<'a> {
    /// An upload by awork's operationId (e.g. `CreateTaskFile`), answering JSON: any of
    /// the 20 rows of [`OPERATIONS`], with no Cargo feature needed. Fill it with
    /// [`path_param`](UploadRequest::path_param), [`file`](UploadRequest::file) and
    /// [`text`](UploadRequest::text); an unknown operationId fails at
    /// [`send`](UploadRequest::send).
    pub fn operation(&self, operation_id: &str) -> UploadRequest<'a, serde_json::Value> {
        self.request(operation_id)
    }

    /// The request for row `operation_id`, answering `T`.
    fn request<T>(&self, operation_id: &str) -> UploadRequest<'a, T> {
        match UploadOperation::find(operation_id) {
            Some(operation) => UploadRequest::new(self.client, operation),
            None => UploadRequest::rejected(
                self.client,
                Error::validation(
                    "operation",
                    format!("{operation_id:?} is not one of awork's multipart operations"),
                ),
            ),
        }
    }

    /// The owner's upload `operation_id` with the owner's id in its path.
    #[cfg(feature = "files")]
    fn owned<T>(&self, operation_id: &str, owner: FileOwner) -> UploadRequest<'a, T> {
        let request = self.request(operation_id);
        let param = request.operation.path_params[0].name;
        request.path_param(param, owner.id())
    }

    /// Adds a file to `owner` (`POST /{owners}/{id}/files`).
    #[cfg(feature = "files")]
    pub fn file(
        &self,
        owner: FileOwner,
        file: UploadFile,
    ) -> UploadRequest<'a, awork_api::types::FileInfo> {
        let (operation_id, _) = owner.operation_ids();
        self.owned(operation_id, owner).file("File", file)
    }

    /// Adds a new version of file `file_id` of `owner`
    /// (`POST /{owners}/{id}/files/{fileId}/versions`).
    #[cfg(feature = "files")]
    pub fn file_version(
        &self,
        owner: FileOwner,
        file_id: Uuid,
        file: UploadFile,
    ) -> UploadRequest<'a, awork_api::types::FileVersion> {
        let (_, operation_id) = owner.operation_ids();
        self.owned(operation_id, owner)
            .path_param("fileId", file_id)
            .file("File", file)
    }

    /// Sets the image of entity `entity_id` of kind `entity_name` (awork's entity name,
    /// letters only, e.g. `users` or `projects`).
    #[cfg(feature = "files")]
    pub fn image(
        &self,
        entity_name: &str,
        entity_id: Uuid,
        file: UploadFile,
    ) -> UploadRequest<'a, awork_api::types::FileInfo> {
        self.request("PostFilesImagesByEntityNameAndEntityId")
            .path_param("entityName", entity_name)
            .path_param("entityId", entity_id)
            .file("file", file)
    }

    /// Uploads a temporary file (`POST /temporaryfiles`), to attach elsewhere later.
    #[cfg(feature = "files")]
    pub fn temporary_file(
        &self,
        file: UploadFile,
    ) -> UploadRequest<'a, awork_api::types::FileInfo> {
        self.request("PostTemporaryFiles").file("file", file)
    }

    /// Creates a document (`POST /documents`). Set its fields with
    /// [`text`](UploadRequest::text) (`name`, `projectId`, `contentFormat`, … as awork
    /// names them; each is checked against the form's type) and its content with
    /// [`file`](UploadRequest::file)`("content", ..)`.
    #[cfg(feature = "documents")]
    pub fn document(&self) -> UploadRequest<'a, awork_api::types::DocumentModel> {
        self.request("PostDocument")
    }

    /// Replaces the content of document `document_id`
    /// (`PUT /documents/{documentId}/content`); `format` is `html` or `markdown`, or
    /// `None` to leave it to awork.
    #[cfg(feature = "documents")]
    pub fn document_content(
        &self,
        document_id: Uuid,
        content: UploadFile,
        format: Option<&str>,
    ) -> UploadRequest<'a, awork_api::types::DocumentModel> {
        let request = self
            .request("PutDocumentContentByDocumentId")
            .path_param("documentId", document_id)
            .file("content", content);
        match format {
            Some(format) => request.text("contentFormat", format),
            None => request,
        }
    }
}

/// A value of one form part.
#[derive(Debug)]
enum PartValue {
    Text(String),
    File(UploadFile),
}

/// One upload, ready to be filled and sent; `T` is awork's answer.
///
/// The setters never fail: the first problem they meet is kept and returned by
/// [`send`](Self::send), before anything is sent.
#[must_use = "an upload does nothing until it is sent"]
pub struct UploadRequest<'a, T> {
    client: &'a AworkClient,
    operation: &'static UploadOperation,
    path_values: Vec<(&'static str, String)>,
    parts: Vec<(&'static str, PartValue)>,
    problem: Option<Error>,
    retryable: bool,
    progress: Option<ProgressFn>,
    answer: PhantomData<fn() -> T>,
}

impl<'a, T> UploadRequest<'a, T> {
    fn new(client: &'a AworkClient, operation: &'static UploadOperation) -> Self {
        Self {
            client,
            operation,
            path_values: Vec::new(),
            parts: Vec::new(),
            problem: None,
            retryable: false,
            progress: None,
            answer: PhantomData,
        }
    }

    /// A request that fails with `problem` when sent (its row is a placeholder).
    fn rejected(client: &'a AworkClient, problem: Error) -> Self {
        let mut request = Self::new(client, &OPERATIONS[0]);
        request.problem = Some(problem);
        request
    }

    /// The operation this request sends. (A request made with an operationId that
    /// is not in the table holds the table's first row here; sending it fails.)
    pub fn operation(&self) -> &'static UploadOperation {
        self.operation
    }

    /// Keeps the first problem a setter found.
    fn note(&mut self, problem: Error) {
        self.problem.get_or_insert(problem);
    }

    /// Fills `{name}` of the path. The value is checked against the parameter's type
    /// (a GUID, or letters) when sent.
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        match self.operation.path_param(name) {
            Some(param) => {
                self.path_values.retain(|(n, _)| *n != param.name);
                self.path_values.push((param.name, value.to_string()));
            }
            None => self.note(unknown("path parameter", name, self.operation)),
        }
        self
    }

    /// Sets text part `name` (e.g. a document's `name` or `contentFormat`), checked
    /// against the type awork's document gives it.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.operation.field(name) {
            Some(field) => match check_text(field, &value) {
                Ok(()) => self.set(field.name, PartValue::Text(value)),
                Err(problem) => self.note(problem),
            },
            None => self.note(unknown("form field", name, self.operation)),
        }
        self
    }

    /// Sets file part `name` (`File`, `file` or `content`, as the operation names it).
    pub fn file(mut self, name: &str, file: UploadFile) -> Self {
        match self.operation.field(name) {
            Some(field) if field.kind == FieldKind::File => {
                self.set(field.name, PartValue::File(file));
            }
            Some(field) => self.note(Error::validation(
                field.name,
                "is a text field: set it with .text(..)",
            )),
            None => self.note(unknown("form field", name, self.operation)),
        }
        self
    }

    fn set(&mut self, name: &'static str, value: PartValue) {
        self.parts.retain(|(n, _)| *n != name);
        self.parts.push((name, value));
    }

    /// Lets the client's retry policy send this upload again, each time with a fresh
    /// body (the file opened again, the bytes reused). Off by default: an upload is
    /// sent once. An upload from a reader cannot be read twice, so `send` rejects it.
    pub fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }

    /// Calls `report` after each chunk of a file part is handed to the HTTP stack.
    pub fn on_progress(mut self, report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }
}

impl<T: DeserializeOwned> UploadRequest<'_, T> {
    /// Checks everything, then sends the upload and decodes awork's answer.
    pub async fn send(mut self) -> Result<T, Error> {
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        let ready = self.check()?;
        let make = || self.form(&ready);
        self.client
            .request(
                Api::V1,
                self.operation.method.to_reqwest(),
                &ready.path,
                self.operation.trace_name,
            )
            .form(&make, self.retryable)
            .read()
            .await
    }
}

impl<T> UploadRequest<'_, T> {
    /// Everything that can be known before sending: the path, the required parts, the
    /// files, the retry opt-in.
    fn check(&self) -> Result<Ready, Error> {
        let path = self.path()?;
        for field in self.operation.fields.iter().filter(|f| f.required) {
            if !self.parts.iter().any(|(name, _)| *name == field.name) {
                return Err(Error::validation(field.name, "is required"));
            }
        }
        let mut files = Vec::new();
        for (name, value) in &self.parts {
            if let PartValue::File(file) = value {
                if self.retryable && !file.is_repeatable() {
                    return Err(Error::validation(
                        *name,
                        "a reader can be read once, so this upload cannot be retryable",
                    ));
                }
                files.push(file.check(name)?);
            }
        }
        Ok(Ready { path, files })
    }

    /// The path with every parameter filled and checked.
    fn path(&self) -> Result<String, Error> {
        let mut path = self.operation.path.to_string();
        for param in self.operation.path_params {
            let value = self
                .path_values
                .iter()
                .find(|(name, _)| *name == param.name)
                .map(|(_, value)| value.as_str())
                .ok_or_else(|| Error::validation(param.name, "is required"))?;
            check_param(param, value)?;
            path = path.replace(&format!("{{{}}}", param.name), value);
        }
        Ok(path)
    }

    /// A fresh multipart body; made once per attempt.
    fn form(&self, ready: &Ready) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        let mut files = ready.files.iter();
        for (name, value) in &self.parts {
            form = match value {
                PartValue::Text(text) => form.text(*name, text.clone()),
                PartValue::File(file) => {
                    let checked = files.next().expect("one check per file part");
                    form.part(*name, file.part(name, checked, self.progress.clone())?)
                }
            };
        }
        Ok(form)
    }
}

impl<T> fmt::Debug for UploadRequest<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadRequest")
            .field("operation", &self.operation.operation_id)
            .field("path_values", &self.path_values)
            .field("parts", &self.parts)
            .field("retryable", &self.retryable)
            .finish_non_exhaustive()
    }
}

/// What [`UploadRequest::check`] established.
struct Ready {
    path: String,
    files: Vec<Checked>,
}

/// An error for a name the operation does not have, listing the ones it has.
fn unknown(what: &str, name: &str, operation: &UploadOperation) -> Error {
    let known: Vec<&str> = if what == "path parameter" {
        operation.path_params.iter().map(|p| p.name).collect()
    } else {
        operation.fields.iter().map(|f| f.name).collect()
    };
    Error::validation(
        name,
        format!(
            "{} has no {what} {name:?} (it has: {})",
            operation.operation_id,
            known.join(", ")
        ),
    )
}

/// A path value of the parameter's type; nothing else can reach the path, so no
/// value needs escaping.
fn check_param(param: &PathParam, value: &str) -> Result<(), Error> {
    let ok = match param.kind {
        ParamKind::Uuid => Uuid::parse_str(value).is_ok_and(|id| !id.is_nil()),
        ParamKind::Letters => !value.is_empty() && value.chars().all(|c| c.is_ascii_alphabetic()),
    };
    if ok {
        return Ok(());
    }
    let expected = match param.kind {
        ParamKind::Uuid => "a GUID other than the nil GUID",
        ParamKind::Letters => "one or more ASCII letters",
    };
    Err(Error::validation(
        param.name,
        format!("{value:?} is not {expected}"),
    ))
}

/// A text part's value of the field's type.
fn check_text(field: &FormField, value: &str) -> Result<(), Error> {
    let problem = match field.kind {
        FieldKind::File => Some("is a file field: set it with .file(..)".to_string()),
        FieldKind::Text => None,
        FieldKind::Uuid => Uuid::parse_str(value)
            .is_err()
            .then(|| format!("{value:?} is not a GUID")),
        FieldKind::Bool => {
            (!matches!(value, "true" | "false")).then(|| format!("{value:?} is not true or false"))
        }
        FieldKind::Number => (!value.parse::<f64>().is_ok_and(f64::is_finite))
            .then(|| format!("{value:?} is not a number")),
        FieldKind::OneOf(values) => (!values.contains(&value))
            .then(|| format!("{value:?} is not one of {}", values.join(", "))),
    };
    match problem {
        Some(problem) => Err(Error::validation(field.name, problem)),
        None => Ok(()),
    }
}
