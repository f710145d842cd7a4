//! A file to upload: where its bytes come from, its name and its content type, and the
//! streamed form part made from it.
//!
//! Nothing is read into memory: a path is opened when the request is built and read in
//! chunks of [`CHUNK_BYTES`] while the request is sent, bytes are handed out in slices
//! of the same size (sharing the buffer), and a reader is read the same way. Every chunk
//! is counted: a `tracing` event at TRACE level (target `awork_api_ext::uploads`) and
//! the caller's progress callback, if any, see how far the upload got.

use crate::error::Error;
use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

/// The size of the pieces a file is read and sent in.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// How far an upload got, as reported to [`UploadRequest::on_progress`](super::UploadRequest::on_progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The form part being sent, e.g. `File`.
    pub field: &'static str,
    /// Bytes of this part handed to the HTTP stack so far, in this attempt.
    pub sent: u64,
    /// The part's size, when known (always for paths and bytes; for a reader only
    /// when given with [`UploadFile::with_length`]).
    pub total: Option<u64>,
}

/// A progress callback, shared by every attempt of an upload.
pub(crate) type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

type BoxReader = Box<dyn AsyncRead + Send + Unpin>;

/// Where a file's bytes come from.
enum Source {
    /// Opened when the request is built; opened again for each retry.
    Path(PathBuf),
    /// Shared, never copied.
    Bytes(Bytes),
    /// Read once: an upload from a reader cannot be retried.
    Reader {
        reader: Mutex<Option<BoxReader>>,
        length: Option<u64>,
    },
}

/// A file to send: from a path, from bytes, or from an async reader, never read whole
/// into memory.
///
/// Its name is the path's last component (or the one given) and its content type is
/// guessed from that name (`application/octet-stream` when the extension says
/// nothing), unless set with [`content_type`](Self::content_type).
///
/// ```
/// use awork_api_ext::uploads::UploadFile;
/// let report = UploadFile::from_path("reports/2024-05.pdf");
/// let notes = UploadFile::from_bytes("notes.md", "# Notes\n").content_type("text/markdown");
/// # let _ = (report, notes);
/// ```
pub struct UploadFile {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl UploadFile {
    /// The file at `path`, named after its last component. The path is checked when
    /// the upload is sent (it must exist and be a file), before anything goes out.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Self {
            source: Source::Path(path.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// `bytes`, sent as a file called `name`. The buffer is shared, not copied, so a
    /// retry costs no memory.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            source: Source::Bytes(bytes.into()),
            file_name: Some(name.into()),
            content_type: None,
        }
    }

    /// What `reader` yields, sent as a file called `name`. Without
    /// [`with_length`](Self::with_length) the request goes out with chunked transfer
    /// encoding. A reader can be read once, so such an upload is never retried.
    pub fn from_reader(
        name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self {
            source: Source::Reader {
                reader: Mutex::new(Some(Box::new(reader))),
                length: None,
            },
            file_name: Some(name.into()),
            content_type: None,
        }
    }

    /// The number of bytes a reader will yield, so the request can state its length
    /// (and progress its total). Ignored for paths and bytes, whose size is known.
    pub fn with_length(mut self, bytes: u64) -> Self {
        if let Source::Reader { length, .. } = &mut self.source {
            *length = Some(bytes);
        }
        self
    }

    /// Sends the file under this name instead.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sends the file with this content type (e.g. `image/png`) instead of the one
    /// guessed from its name.
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    /// Whether the file can be read again for a retry.
    pub(crate) fn is_repeatable(&self) -> bool {
        !matches!(self.source, Source::Reader { .. })
    }

    /// Checks everything that can be checked before sending: the path is a readable
    /// file, the name is usable, the content type is one. `field` names the form part
    /// in the error.
    pub(crate) fn check(&self, field: &str) -> Result<Checked, Error> {
        let length = self.length(field)?;
        let name = self.resolved_name(field)?;
        check_name(field, &name)?;
        let content_type = match &self.content_type {
            Some(given) => checked_mime(field, given)?,
            None => mime_guess::from_path(&name)
                .first_or_octet_stream()
                .to_string(),
        };
        Ok(Checked {
            name,
            content_type,
            length,
        })
    }

    /// The size: from the file system for a path (which must be a file), the buffer's
    /// for bytes, the given one for a reader.
    fn length(&self, field: &str) -> Result<Option<u64>, Error> {
        match &self.source {
            Source::Path(path) => file_size(field, path).map(Some),
            Source::Bytes(bytes) => Ok(Some(bytes.len() as u64)),
            Source::Reader { length, .. } => Ok(*length),
        }
    }

    /// The given name, else the path's last component.
    fn resolved_name(&self, field: &str) -> Result<String, Error> {
        if let Some(name) = &self.file_name {
            return Ok(name.clone());
        }
        let Source::Path(path) = &self.source else {
            return Ok(String::new());
        };
        match path.file_name().map(|name| name.to_str()) {
            Some(Some(name)) => Ok(name.to_string()),
            Some(None) => Err(Error::validation(
                field,
                format!(
                    "the name of {} is not UTF-8: give one with .file_name(..)",
                    path.display()
                ),
            )),
            None => Err(Error::validation(
                field,
                format!("{} names no file", path.display()),
            )),
        }
    }

    /// The form part: the file's bytes as a stream, with its name, content type and,
    /// when known, length. Paths are opened here, so each call reads the file afresh;
    /// a reader is handed out once.
    pub(crate) fn part(
        &self,
        field: &'static str,
        checked: &Checked,
        progress: Option<ProgressFn>,
    ) -> Result<reqwest::multipart::Part, Error> {
        let chunks = self.chunks(field)?;
        let counted = count_chunks(chunks, field, checked.length, progress);
        let body = reqwest::Body::wrap_stream(counted);
        let part = match checked.length {
            Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
            None => reqwest::multipart::Part::stream(body),
        };
        part.file_name(checked.name.clone())
            .mime_str(&checked.content_type)
            .map_err(|_| {
                Error::validation(
                    field,
                    format!("{:?} is not a content type", checked.content_type),
                )
            })
    }

    /// The bytes, chunk by chunk.
    fn chunks(
        &self,
        field: &str,
    ) -> Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static, Error> {
        let reader: BoxReader = match &self.source {
            Source::Path(path) => Box::new(open(field, path)?),
            Source::Bytes(bytes) => {
                return Ok(slices(bytes.clone()).map(Ok).left_stream());
            }
            Source::Reader { reader, .. } => reader
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or_else(|| {
                    Error::validation(field, "the reader was already read by an earlier send")
                })?,
        };
        Ok(ReaderStream::with_capacity(reader, CHUNK_BYTES).right_stream())
    }
}

impl fmt::Debug for UploadFile {
    /// The source's kind and path or size; never the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("UploadFile");
        match &self.source {
            Source::Path(path) => out.field("path", path),
            Source::Bytes(bytes) => out.field("bytes", &bytes.len()),
            Source::Reader { length, .. } => out.field("reader_length", length),
        };
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// What [`UploadFile::check`] found: the name, content type and size to send.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    name: String,
    content_type: String,
    length: Option<u64>,
}

/// The size of the file at `path`; a clear error when there is none, it is a directory
/// or it cannot be read.
fn file_size(field: &str, path: &Path) -> Result<u64, Error> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::validation(field, format!("there is no file at {}", path.display()))
        }
        _ => Error::validation(field, format!("cannot read {}: {e}", path.display())),
    })?;
    if metadata.is_dir() {
        return Err(Error::validation(
            field,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    Ok(metadata.len())
}

/// Opens `path` for reading on the runtime's blocking pool.
fn open(field: &str, path: &Path) -> Result<tokio::fs::File, Error> {
    std::fs::File::open(path)
        .map(tokio::fs::File::from_std)
        .map_err(|e| Error::validation(field, format!("cannot open {}: {e}", path.display())))
}

/// A file name awork can store: not empty, no path separators, no control characters
/// (which a multipart header cannot carry).
fn check_name(field: &str, name: &str) -> Result<(), Error> {
    if name.trim().is_empty() {
        return Err(Error::validation(field, "the file name is empty"));
    }
    if name.contains(['/', '\\']) {
        return Err(Error::validation(
            field,
            format!("the file name {name:?} contains a path separator"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            format!("the file name {name:?} contains a control character"),
        ));
    }
    Ok(())
}

/// `given` if it is a content type (`type/subtype`, parameters allowed).
fn checked_mime(field: &str, given: &str) -> Result<String, Error> {
    match given.parse::<mime_guess::mime::Mime>() {
        Ok(mime) => Ok(mime.to_string()),
        Err(_) => Err(Error::validation(
            field,
            format!("{given:?} is not a content type"),
        )),
    }
}

/// `bytes` in slices of [`CHUNK_BYTES`], each sharing the buffer.
fn slices(bytes: Bytes) -> impl Stream<Item = Bytes> + Send + 'static {
    let count = bytes.len().div_ceil(CHUNK_BYTES);
    futures::stream::iter((0..count).map(move |i| {
        let start = i * CHUNK_BYTES;
        bytes.slice(start..bytes.len().min(start + CHUNK_BYTES))
    }))
}

/// Passes `chunks` through, telling tracing and `progress` about each one.
fn count_chunks(
    chunks: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    field: &'static str,
    total: Option<u64>,
    progress: Option<ProgressFn>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let mut sent: u64 = 0;
    chunks.inspect_ok(move |chunk| {
        sent = sent.saturating_add(chunk.len() as u64);
        tracing::trace!(
            target: "awork_api_ext::uploads",
            field,
            chunk = chunk.len(),
            sent,
            total,
            "upload chunk"
        );
        if let Some(report) = &progress {
            report(Progress { field, sent, total });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(result: Result<Checked, Error>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn the_name_comes_from_the_path_and_the_type_from_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.pdf");
        std::fs::write(&path, b"%PDF-").unwrap();
        let checked = UploadFile::from_path(&path).check("File").unwrap();
        assert_eq!(checked.name, "plan.pdf");
        assert_eq!(checked.content_type, "application/pdf");
        assert_eq!(checked.length, Some(5));
        let unknown = UploadFile::from_bytes("data.zzz-unknown", vec![1, 2])
            .check("File")
            .unwrap();
        assert_eq!(unknown.content_type, "application/octet-stream");
    }

    #[test]
    fn a_given_type_wins_and_must_be_a_type() {
        let file =
            UploadFile::from_bytes("a.txt", "x").content_type("text/markdown; charset=utf-8");
        assert_eq!(
            file.check("File").unwrap().content_type,
            "text/markdown; charset=utf-8"
        );
        assert_eq!(
            problem(
                UploadFile::from_bytes("a.txt", "x")
                    .content_type("not a type")
                    .check("File")
            ),
            "invalid File: \"not a type\" is not a content type"
        );
    }

    #[test]
    fn missing_files_directories_and_bad_names_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pdf");
        assert_eq!(
            problem(UploadFile::from_path(&missing).check("File")),
            format!("invalid File: there is no file at {}", missing.display())
        );
        assert_eq!(
            problem(UploadFile::from_path(dir.path()).check("file")),
            format!(
                "invalid file: {} is a directory, not a file",
                dir.path().display()
            )
        );
        assert_eq!(
            problem(UploadFile::from_bytes("  ", "x").check("File")),
            "invalid File: the file name is empty"
        );
        assert!(
            problem(UploadFile::from_bytes("a/b.txt", "x").check("File"))
                .contains("path separator")
        );
        assert!(
            problem(UploadFile::from_bytes("a\r\nb.txt", "x").check("File"))
                .contains("control character")
        );
        assert_eq!(
            problem(UploadFile::from_reader("", tokio::io::empty()).check("content")),
            "invalid content: the file name is empty"
        );
    }

    #[test]
    fn bytes_are_sliced_without_copying() {
        let bytes = Bytes::from(vec![7u8; CHUNK_BYTES * 2 + 10]);
        let parts: Vec<Bytes> = futures::executor::block_on(slices(bytes.clone()).collect());
        assert_eq!(
            parts.iter().map(Bytes::len).collect::<Vec<_>>(),
            [CHUNK_BYTES, CHUNK_BYTES, 10]
        );
        assert_eq!(parts[1].as_ptr(), bytes[CHUNK_BYTES..].as_ptr());
        assert!(futures::executor::block_on(slices(Bytes::new()).collect::<Vec<_>>()).is_empty());
    }

    #[tokio::test]
    async fn progress_counts_every_chunk() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let progress: ProgressFn = Arc::new(move |p| record.lock().unwrap().push(p.sent));
        let file = UploadFile::from_bytes("a.bin", vec![0u8; CHUNK_BYTES + 1]);
        let chunks = file.chunks("File").unwrap();
        let total: usize =
            count_chunks(chunks, "File", Some(CHUNK_BYTES as u64 + 1), Some(progress))
                .map_ok(|c| c.len())
                .try_fold(0, |sum, n| async move { Ok(sum + n) })
                .await
                .unwrap();
        assert_eq!(total, CHUNK_BYTES + 1);
        assert_eq!(
            *seen.lock().unwrap(),
            [CHUNK_BYTES as u64, CHUNK_BYTES as u64 + 1]
        );
    }

    #[test]
    fn a_reader_is_handed_out_once_and_debug_shows_no_content() {
        let file = UploadFile::from_reader("a.txt", &b"secret content"[..]).with_length(14);
        assert!(!file.is_repeatable());
        assert!(file.chunks("File").is_ok());
        assert!(file.chunks("File").is_err());
        let bytes = UploadFile::from_bytes("b.txt", "secret content");
        assert!(bytes.is_repeatable());
        assert!(!format!("{bytes:?}").contains("secret"));
    }
}
