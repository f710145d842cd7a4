//! Files: the 20 `multipart/form-data` uploads keep what they were sent, and the
//! downloads of a file answer its bytes as they came, with its content type.
//!
//! An upload that answers a `FileInfo` creates one in the store, in the scope of its
//! route (`POST /tasks/{taskId}/files` makes a file of that task, listed by
//! `GET /tasks/{taskId}/files`); one that answers a `FileVersion` adds a version to the
//! file its path names. The `File` part is required where the contract names it.
//! Downloads (`GET …/{fileId}/download`, `…/versions/{versionId}/download`) answer the
//! last bytes uploaded for that file; a file the store knows but that never had bytes
//! answers an empty body, and a file the store does not know answers 404.
//! [`crate::Files`] reads what arrived.

mod handle;

use std::collections::HashMap;

use axum::http::{Method, StatusCode, header};
use bytes::Bytes;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::contract::{Call, ParamIn};
use crate::store::rest::{self, Env};
use crate::wire::{Answer, ApiError, FormPart};

pub use handle::{Files, UploadedFile};

/// The largest upload the fake takes.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The form part that holds the file, as awork names it.
const FILE_PART: &str = "File";

/// The bytes of every file uploaded, by file id, and the log of uploads.
#[derive(Debug, Default)]
pub(crate) struct FileContents {
    latest: HashMap<Uuid, (String, Bytes)>,
    uploads: Vec<UploadedFile>,
}

impl FileContents {
    /// Forgets every file.
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Serves `call` if it uploads or downloads a file; `None` leaves it to others.
pub(crate) fn serve(
    call: &Call,
    contents: &mut FileContents,
    env: Env<'_>,
) -> Option<Result<Answer, ApiError>> {
    let op = call.op;
    let answers = op
        .success()
        .and_then(|r| r.json_schema())
        .and_then(crate::contract::validate::referenced);
    let is_upload = op.body.as_ref().is_some_and(|b| b.is_multipart());
    match answers {
        Some("FileInfo") if is_upload => Some(upload(call, contents, env)),
        Some("FileVersion") if is_upload => Some(new_version(call, contents, env)),
        _ if op.method == Method::GET && is_download(call) => Some(download(call, contents, env)),
        _ => None,
    }
}

/// `POST …/files` (and the image and temporary-file uploads): a new `FileInfo`.
fn upload(call: &Call, contents: &mut FileContents, env: Env<'_>) -> Result<Answer, ApiError> {
    let file = file_part(call)?;
    let file_name = file
        .as_ref()
        .and_then(|f| f.file_name.clone())
        .unwrap_or_else(|| "upload".into());
    let content_type = content_type_of(file.as_ref());
    let bytes = file.map(|f| f.bytes.clone()).unwrap_or_default();
    let entity = call
        .op
        .template
        .split('/')
        .nth(1)
        .unwrap_or_default()
        .trim_end_matches('s')
        .to_owned();
    let file_id = Uuid::new_v4();
    let stamp = call
        .now
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    let fields = json!({
        "id": file_id,
        "name": file_name,
        "fileName": file_name,
        "mimeType": content_type,
        "entityType": entity,
        "fileVersions": [{
            "id": Uuid::new_v4(),
            "fileInfoId": file_id,
            "version": 1.0,
            "size": bytes.len(),
            "createdOn": stamp,
            "createdBy": call.actor,
            "updatedOn": stamp,
            "updatedBy": call.actor,
        }],
    });
    let answer = rest::create_with(
        call,
        env,
        "FileInfo",
        fields.as_object().expect("an object"),
    )?;
    contents.keep(call, file_id, &file_name, &content_type, bytes);
    Ok(answer)
}

/// `POST …/files/{fileId}/versions`: a new version of a file.
fn new_version(call: &Call, contents: &mut FileContents, env: Env<'_>) -> Result<Answer, ApiError> {
    let file = file_part(call)?;
    let file_id = call.path_id("fileId")?;
    let file_name = file
        .as_ref()
        .and_then(|f| f.file_name.clone())
        .unwrap_or_else(|| "upload".into());
    let content_type = content_type_of(file.as_ref());
    let bytes = file.map(|f| f.bytes.clone()).unwrap_or_default();
    let version = contents
        .uploads
        .iter()
        .filter(|u| u.file_id == file_id)
        .count()
        + 1;
    let fields = json!({ "fileInfoId": file_id, "version": version as f64, "size": bytes.len() });
    let answer = rest::create_with(
        call,
        env,
        "FileVersion",
        fields.as_object().expect("an object"),
    )?;
    contents.keep(call, file_id, &file_name, &content_type, bytes);
    Ok(answer)
}

/// A download: the file's latest bytes.
fn download(call: &Call, contents: &FileContents, env: Env<'_>) -> Result<Answer, ApiError> {
    let file_id = call.path_id("fileId")?;
    if let Some((content_type, bytes)) = contents.latest.get(&file_id) {
        let name = contents
            .uploads
            .iter()
            .rev()
            .find(|u| u.file_id == file_id)
            .map(|u| u.file_name.replace(['"', '\\'], "_"))
            .unwrap_or_default();
        return Ok(
            Answer::bytes(StatusCode::OK, content_type, bytes.clone()).header(
                header::CONTENT_DISPOSITION,
                &format!("attachment; filename=\"{name}\""),
            ),
        );
    }
    let known = env
        .store
        .get(call.op.api, "FileInfo", &file_id.to_string())
        .is_some();
    match known {
        true => Ok(Answer::bytes(
            StatusCode::OK,
            "application/octet-stream",
            Bytes::new(),
        )),
        false => Err(ApiError::not_found(format!(
            "There is no file with id '{file_id}'."
        ))),
    }
}

/// A `GET` whose answer is a file's bytes and whose path names the file.
fn is_download(call: &Call) -> bool {
    let binary = call
        .op
        .success()
        .and_then(|r| r.body.as_ref())
        .is_some_and(|(media, schema)| {
            !media.contains("json")
                || schema
                    .as_ref()
                    .and_then(|s| s.get("format"))
                    .and_then(Value::as_str)
                    == Some("binary")
        });
    binary && call.op.parameter(ParamIn::Path, "fileId").is_some()
}

/// The `File` part; required when the contract's form declares it.
fn file_part(call: &Call) -> Result<Option<FormPart>, ApiError> {
    let part = call.body.part(FILE_PART).cloned();
    let declared = call
        .op
        .body
        .as_ref()
        .and_then(|b| b.media.iter().find(|(m, _)| m.starts_with("multipart/")))
        .and_then(|(_, schema)| schema.as_ref())
        .and_then(|s| s.get("properties"))
        .is_some_and(|p| p.get(FILE_PART).is_some());
    match (&part, declared) {
        (None, true) => Err(ApiError::invalid(FILE_PART, "The form has no file.")),
        (Some(p), _) if p.file_name.is_none() => {
            Err(ApiError::invalid(FILE_PART, "The part has no file name."))
        }
        _ => Ok(part),
    }
}

fn content_type_of(part: Option<&FormPart>) -> String {
    part.and_then(|p| p.content_type.clone())
        .unwrap_or_else(|| "application/octet-stream".into())
}

impl FileContents {
    /// Keeps an upload's bytes as the file's latest, and logs it.
    fn keep(
        &mut self,
        call: &Call,
        file_id: Uuid,
        file_name: &str,
        content_type: &str,
        bytes: Bytes,
    ) {
        self.latest
            .insert(file_id, (content_type.to_owned(), bytes.clone()));
        self.uploads.push(UploadedFile {
            file_id,
            route: format!("{}{}", call.op.api.base_path(), call.op.template),
            path: call.path.clone(),
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            content: bytes.to_vec(),
            at: call.now,
            by: call.actor,
        });
    }
}
