//! Files of tasks: `POST /tasks/{taskId}/files` takes one `multipart/form-data` upload,
//! `GET /tasks/{taskId}/files` lists them back as awork's `FileInfo`, and
//! `GET /tasks/{taskId}/files/{fileId}/download` answers a file's bytes as they came,
//! with its content type and name.
//!
//! The fake keeps what it was sent (name, content type, bytes) so a test can check that
//! an upload arrived whole; [`crate::FakeAwork::task_files`] reads it. It knows no tasks:
//! any GUID is a task. Uploads may be up to [`MAX_UPLOAD_BYTES`].

use axum::body::Body;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::errors::{ApiError, ValidationError};
use crate::json::json_response;
use crate::paging::PageRequest;
use crate::query::QueryParams;
use crate::state::{AppState, lock};

/// The largest upload the fake takes (axum's default limit is 2 MB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The form part that holds the file, as awork names it (matched case-insensitively,
/// like awork's form binding).
const FILE_PART: &str = "File";

/// A file stored on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFile {
    /// The file's id.
    pub id: Uuid,
    /// The id of its only version.
    pub version_id: Uuid,
    /// The task it belongs to.
    pub task_id: Uuid,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The content type it was uploaded with (`application/octet-stream` when none).
    pub content_type: String,
    /// The bytes received.
    pub content: Vec<u8>,
    /// When it arrived.
    pub created_on: DateTime<Utc>,
    /// Who uploaded it (the user of the API key).
    pub created_by: Uuid,
}

/// What an upload brought.
pub(crate) struct NewFile {
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) content: Vec<u8>,
}

/// awork's `FileInfo`, as much of it as the fake fills.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileInfo<'a> {
    id: Uuid,
    name: &'a str,
    file_name: &'a str,
    mime_type: &'a str,
    task_id: Uuid,
    entity_type: &'static str,
    created_on: DateTime<Utc>,
    created_by: Uuid,
    updated_on: DateTime<Utc>,
    updated_by: Uuid,
    is_comment_file: bool,
    is_hidden_for_connect_users: bool,
    file_versions: [FileVersion; 1],
}

/// awork's `FileVersion`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileVersion {
    id: Uuid,
    file_info_id: Uuid,
    version: f64,
    size: u64,
    created_on: DateTime<Utc>,
    created_by: Uuid,
    updated_on: DateTime<Utc>,
    updated_by: Uuid,
}

impl TaskFile {
    /// The file as awork's `FileInfo`.
    fn info(&self) -> FileInfo<'_> {
        FileInfo {
            id: self.id,
            name: &self.file_name,
            file_name: &self.file_name,
            mime_type: &self.content_type,
            task_id: self.task_id,
            entity_type: "task",
            created_on: self.created_on,
            created_by: self.created_by,
            updated_on: self.created_on,
            updated_by: self.created_by,
            is_comment_file: false,
            is_hidden_for_connect_users: false,
            file_versions: [FileVersion {
                id: self.version_id,
                file_info_id: self.id,
                version: 1.0,
                size: self.content.len() as u64,
                created_on: self.created_on,
                created_by: self.created_by,
                updated_on: self.created_on,
                updated_by: self.created_by,
            }],
        }
    }
}

/// `POST /tasks/{taskId}/files`: stores the `File` part; 200 with its `FileInfo`.
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let task_id = parse_task_id(&raw_id)?;
    let mut form = form.map_err(|rejection| ApiError::invalid_model(rejection.body_text()))?;
    let file = file_part(&mut form).await?;
    let stored = lock(&state.store).add_file(task_id, file, state.user_id);
    Ok(json_response(StatusCode::OK, &stored.info()))
}

/// `GET /tasks/{taskId}/files`: the task's files, paged like every list.
pub(crate) async fn list(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let task_id = parse_task_id(&raw_id)?;
    let params = QueryParams::from_extractor(query)?;
    let paging = PageRequest::from_query(&params)?;
    let files = lock(&state.store).task_files(task_id);
    let page: Vec<FileInfo<'_>> = files[paging.window(files.len(), None)]
        .iter()
        .map(TaskFile::info)
        .collect();
    let mut response = json_response(StatusCode::OK, &page);
    paging.stamp(&mut response, page.len(), files.len());
    Ok(response)
}

/// `GET /tasks/{taskId}/files/{fileId}/download`: the file's bytes; 404 for a file the
/// task does not have.
pub(crate) async fn download(
    State(state): State<AppState>,
    Path((raw_task, raw_file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let task_id = parse_task_id(&raw_task)?;
    let file_id = Uuid::parse_str(&raw_file)
        .map_err(|_| ApiError::not_found(format!("'{raw_file}' is not a file id.")))?;
    let file = lock(&state.store)
        .task_file(task_id, file_id)
        .ok_or_else(|| ApiError::not_found(format!("The task has no file {file_id}.")))?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file.file_name.replace(['"', '\\'], "_")
    );
    let mut response = Response::new(Body::from(file.content));
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, file.content_type.as_str()),
        (header::CONTENT_DISPOSITION, disposition.as_str()),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

/// The form's file part, read whole; other parts are ignored. No file part is a
/// validation error of `File`.
async fn file_part(form: &mut Multipart) -> Result<NewFile, ApiError> {
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        if field
            .name()
            .is_some_and(|name| name.eq_ignore_ascii_case(FILE_PART))
        {
            return read_file(field).await;
        }
    }
    Err(ApiError::validation(vec![ValidationError::new(
        FILE_PART,
        "The form has no file.",
    )]))
}

/// A file part's name, content type and bytes; a part without a file name is not a file.
async fn read_file(field: Field<'_>) -> Result<NewFile, ApiError> {
    let Some(file_name) = field.file_name().map(str::to_owned) else {
        return Err(ApiError::validation(vec![ValidationError::new(
            FILE_PART,
            "The part has no file name.",
        )]));
    };
    let content_type = field
        .content_type()
        .unwrap_or("application/octet-stream")
        .to_owned();
    let content = field.bytes().await.map_err(unreadable)?.to_vec();
    Ok(NewFile {
        file_name,
        content_type,
        content,
    })
}

/// A body that is not a readable multipart form.
fn unreadable(error: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::invalid_model(error.body_text())
}

/// A path id that is not a GUID matches no route, as in awork: 404.
fn parse_task_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found(format!("'{raw}' is not a task id.")))
}
