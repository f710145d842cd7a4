//! [`Files`]: what was uploaded to a running fake.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::FileContents;
use crate::sync::lock;

/// One upload, as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadedFile {
    /// The file it belongs to (a new `FileInfo`, or the file a new version was added to).
    pub file_id: Uuid,
    /// The route template it came through, e.g. `/api/v1/tasks/{taskId}/files`.
    pub route: String,
    /// The path parameters of the request, e.g. `[("taskId", "…")]`.
    pub path: Vec<(String, String)>,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The content type it was uploaded with (`application/octet-stream` when none).
    pub content_type: String,
    /// The bytes received.
    pub content: Vec<u8>,
    /// When it arrived, on the fake's clock.
    pub at: DateTime<Utc>,
    /// Who uploaded it.
    pub by: Uuid,
}

impl UploadedFile {
    /// The value of path parameter `name` (any letter case).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The uploads of a running fake; from [`crate::FakeAwork::files`].
#[derive(Debug, Clone, Copy)]
pub struct Files<'f> {
    pub(crate) contents: &'f Mutex<FileContents>,
}

impl Files<'_> {
    /// Every upload, in arrival order.
    pub fn uploads(&self) -> Vec<UploadedFile> {
        lock(self.contents).uploads.clone()
    }

    /// The uploads to one task (`POST /tasks/{taskId}/files` and its versions).
    pub fn of_task(&self, task_id: Uuid) -> Vec<UploadedFile> {
        let task = task_id.to_string();
        self.uploads()
            .into_iter()
            .filter(|u| {
                u.path_param("taskId")
                    .is_some_and(|id| id.eq_ignore_ascii_case(&task))
            })
            .collect()
    }
}
