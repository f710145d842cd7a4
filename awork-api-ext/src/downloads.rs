//! Saving awork's files to disk: the 30 operations that answer a file (file contents and
//! versions, PDFs, images, shared and temporary files) answer a stream of bytes, and
//! `.save_to(path)` writes it.
//!
//! ```no_run
//! use awork_api_ext::prelude::*;
//! # async fn demo(client: awork_api_ext::AworkClient, task: uuid::Uuid, file: uuid::Uuid) -> Result<(), awork_api_ext::Error> {
//! let written = client
//!     .api()
//!     .get_task_file_content_download()
//!     .task_id(task)
//!     .file_id(file)
//!     .save_to("spec.pdf")
//!     .await?;
//! println!("{written} bytes");
//! # Ok(()) }
//! ```
//!
//! The file is streamed chunk by chunk (memory stays flat however large it is) into a
//! temporary file beside the target, flushed to disk, and only then renamed over it: the
//! target holds the whole download or is left as it was, never a part of it. Where the
//! target cannot be written (its folder is missing, or it is a folder) the error comes
//! before the request is sent.

use crate::error::{Error, TypedErrorBody, settle_generated};
use awork_api::{ByteStream, Operation, ResponseValue};
use futures::StreamExt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::AsyncWriteExt;

/// `.save_to(path)` on every operation that answers a file.
pub trait DownloadExt: Operation<Output = ByteStream> + Send
where
    Self::ErrorBody: TypedErrorBody + Send,
{
    /// Sends the request and writes the answer's bytes to `path` (see the [module
    /// docs](self)); returns how many bytes were written.
    fn save_to(self, path: impl AsRef<Path>) -> impl Future<Output = Result<u64, Error>> + Send {
        let path = path.as_ref().to_path_buf();
        async move {
            check_target(&path)?;
            let download = settle_generated(self.send_operation()).await?;
            write_into_place(download, &path).await
        }
    }
}

impl<O> DownloadExt for O
where
    O: Operation<Output = ByteStream> + Send,
    O::ErrorBody: TypedErrorBody + Send,
{
}

/// Writes a download the caller already has (from `send()`) to `path`, the same way as
/// [`DownloadExt::save_to`].
pub async fn save(download: ResponseValue<ByteStream>, path: &Path) -> Result<u64, Error> {
    check_target(path)?;
    write_into_place(download, path).await
}

/// Writes the download into a part file beside the checked `path` and renames it over.
async fn write_into_place(download: ResponseValue<ByteStream>, path: &Path) -> Result<u64, Error> {
    let part = part_path(path);
    let written = write_part(download.into_inner(), &part).await;
    let renamed = match written {
        Ok(bytes) => tokio::fs::rename(&part, path)
            .await
            .map(|()| bytes)
            .map_err(|e| Error::file("cannot move the download into place at", path, e)),
        Err(e) => Err(e),
    };
    if renamed.is_err() {
        // Best effort: the part is ours and of no use now.
        let _ = tokio::fs::remove_file(&part).await;
    }
    renamed
}

/// Streams `bytes` into a new file at `part` and flushes it to disk.
async fn write_part(bytes: ByteStream, part: &Path) -> Result<u64, Error> {
    let mut bytes = bytes.into_inner();
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(part)
        .await
        .map_err(|e| Error::file("cannot create", part, e))?;
    let mut written = 0u64;
    while let Some(chunk) = bytes.next().await {
        let chunk = chunk.map_err(Error::from_reqwest)?;
        file.write_all(&chunk)
            .await
            .map_err(|e| Error::file("cannot write", part, e))?;
        written += chunk.len() as u64;
    }
    file.flush()
        .await
        .map_err(|e| Error::file("cannot write", part, e))?;
    file.sync_all()
        .await
        .map_err(|e| Error::file("cannot flush to disk", part, e))?;
    Ok(written)
}

/// The target must be a file name in a folder that exists.
fn check_target(path: &Path) -> Result<(), Error> {
    if path.file_name().is_none() {
        return Err(Error::validation(
            "path",
            format!("{} names no file", path.display()),
        ));
    }
    if path.is_dir() {
        return Err(Error::validation(
            "path",
            format!("{} is a folder; name the file to write", path.display()),
        ));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(Error::validation(
            "path",
            format!("the folder {} does not exist", folder.display()),
        ));
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A fresh hidden name beside `path` for the download in progress.
fn part_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    folder_of(path).join(format!(".{name}.{unique}.part"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_and_parts_sit_beside_them() {
        let dir = std::env::temp_dir();
        assert!(check_target(&dir.join("fine.pdf")).is_ok());
        let folder = check_target(&dir).unwrap_err().to_string();
        assert!(folder.contains("is a folder"), "{folder}");
        let missing = check_target(&dir.join("no-such-folder-4711/x.pdf"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("does not exist"), "{missing}");
        let part = part_path(&dir.join("report.pdf"));
        assert_eq!(part.parent(), Some(dir.as_path()));
        let name = part.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".report.pdf.") && name.ends_with(".part"),
            "{name}"
        );
        assert_ne!(part, part_path(&dir.join("report.pdf")), "each part is new");
        assert_eq!(folder_of(Path::new("plain.pdf")), Path::new("."));
    }
}
