//! Downloads: the 30 file answers arrive as bytes (not JSON), `.save_to(path)` writes
//! them whole or not at all, and a bad target is refused before the request.

mod common;

use awork_api_ext::clock::ManualClock;
use awork_api_ext::prelude::*;
use awork_api_ext::uploads::UploadFile;
use awork_api_ext::{AworkClient, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "download-test-key";
const TASK: Uuid = Uuid::from_u128(0x7a5c);
const FILE: Uuid = Uuid::from_u128(0xf11e);

/// Bytes no JSON reader would take: a PNG header, a NUL and invalid UTF-8.
fn binary() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\xff\xfe".to_vec();
    bytes.extend((0..50_000u32).map(|i| (i % 251) as u8));
    bytes
}

fn download_path() -> String {
    format!("/api/v1/tasks/{TASK}/files/{FILE}/download")
}

/// Names in `dir` (the part files `save_to` writes would show here).
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A server that answers `times` GETs of `at` with `binary()` as `content_type`, and a
/// client for it.
async fn serving(at: String, content_type: &str, times: u64) -> (MockServer, AworkClient) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(binary(), content_type))
        .expect(times)
        .mount(&server)
        .await;
    let client = common::builder(
        &format!("{}/api/v1", server.uri()),
        KEY,
        &ManualClock::default(),
    )
    .build()
    .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_file_answer_is_its_bytes_and_save_to_writes_them() {
    let (_server, client) = serving(download_path(), "application/octet-stream", 2).await;
    let op = || {
        client
            .api()
            .get_task_file_content_download()
            .task_id(TASK)
            .file_id(FILE)
    };
    // The generated client streams it.
    let mut stream = op().call().await.unwrap().into_inner();
    let mut read = Vec::new();
    while let Some(chunk) = futures::StreamExt::next(&mut stream).await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(read, binary());
    // save_to writes it, and replaces what was there.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("logo.png");
    std::fs::write(&target, b"old").unwrap();
    let written = op().save_to(&target).await.unwrap();
    assert_eq!(written, binary().len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), binary());
    assert_eq!(names(dir.path()), ["logo.png"]);
}

/// A server that promises `promised` bytes, sends `sent` and hangs up.
async fn truncating_server(promised: usize, sent: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
                 content-length: {promised}\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&vec![7u8; sent]).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}/api/v1")
}

#[tokio::test]
async fn a_download_cut_short_leaves_the_target_as_it_was_and_no_part_behind() {
    let base = truncating_server(100_000, 1_000).await;
    let client = common::builder(&base, KEY, &ManualClock::default())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.pdf");
    std::fs::write(&target, b"the previous report").unwrap();
    let err = client
        .api()
        .get_task_file_content_download()
        .task_id(TASK)
        .file_id(FILE)
        .save_to(&target)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.to_string().contains("the answer broke off"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"the previous report");
    assert_eq!(names(dir.path()), ["report.pdf"]);
}

#[tokio::test]
async fn a_target_that_cannot_be_written_is_refused_before_the_request() {
    let server = MockServer::start().await;
    let client = common::builder(
        &format!("{}/api/v1", server.uri()),
        KEY,
        &ManualClock::default(),
    )
    .build()
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (target, says) in [
        (dir.path().to_path_buf(), "is a folder"),
        (dir.path().join("missing/x.pdf"), "does not exist"),
    ] {
        let err = client
            .api()
            .get_task_file_content_download()
            .task_id(TASK)
            .file_id(FILE)
            .save_to(&target)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field, problem } if field == "path" && problem.contains(says)),
            "{err:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_upload_to_the_fake_downloads_back_byte_for_byte() {
    let fake = awork_fake::FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    let uploaded = client
        .uploads()
        .operation("CreateTaskFile")
        .path_param("taskId", TASK)
        .file(
            "File",
            UploadFile::from_bytes("logo.png", binary()).content_type("image/png"),
        )
        .send()
        .await
        .unwrap();
    let file: Uuid = uploaded["id"].as_str().unwrap().parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.png");
    client
        .api()
        .get_task_file_content_download()
        .task_id(TASK)
        .file_id(file)
        .save_to(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), binary());
    // A file the task does not have is awork's 404, and nothing is written.
    let err = client
        .api()
        .get_task_file_content_download()
        .task_id(TASK)
        .file_id(Uuid::from_u128(1))
        .save_to(dir.path().join("none.png"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    assert_eq!(names(dir.path()), ["copy.png"]);
}

#[tokio::test]
async fn a_temporary_file_whose_answer_the_document_leaves_bodiless_is_saved_too() {
    // openapi/corrections-v1.json gives this 200 its file body; without it the bytes
    // would be dropped and `save_to` would not even compile for the operation.
    let at = format!("/api/v1/temporaryfiles/{FILE}/download");
    let (_server, client) = serving(at, "image/png", 1).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("upload.png");
    client
        .api()
        .get_temporary_files_download_by_file_id()
        .file_id(FILE)
        .save_to(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), binary());
}
