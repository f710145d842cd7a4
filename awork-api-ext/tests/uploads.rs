//! Uploads on the wire: every one of awork's 20 multipart operations sends exactly the
//! body its table row describes; bad input never reaches the server; an upload is sent
//! once unless it opts in to retries; a real round trip through the fake.

mod common;

use awork_api_ext::clock::ManualClock;
use awork_api_ext::retry::RetryPolicy;
use awork_api_ext::uploads::{
    CHUNK_BYTES, FieldKind, OPERATIONS, ParamKind, UploadFile, UploadMethod, UploadOperation,
};
use awork_api_ext::{AworkClient, Error};
use std::sync::{Arc, Mutex};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "upload-test-key";

async fn client_for(server: &MockServer) -> (AworkClient, ManualClock) {
    let clock = ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), KEY, &clock)
        .build()
        .unwrap();
    (client, clock)
}

/// Answers `method path` with `status` and an empty JSON object.
async fn answer(server: &MockServer, verb: &str, route: String, status: u16) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(serde_json::json!({})))
        .mount(server)
        .await;
}

/// One part as the test expects it on the wire.
struct Expected {
    name: &'static str,
    file: Option<(String, &'static str)>,
    content: Vec<u8>,
}

/// The body reqwest must send for `parts` with `boundary`, byte for byte.
fn expected_body(boundary: &str, parts: &[Expected]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut header = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some((file_name, content_type)) = &part.file {
            header.push_str(&format!(
                "; filename=\"{file_name}\"\r\nContent-Type: {content_type}"
            ));
        }
        body.extend_from_slice(header.as_bytes());
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(&part.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

fn boundary(request: &Request) -> String {
    let content_type = request.headers["content-type"].to_str().unwrap();
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .to_string()
}

/// A value of `kind` for text fields, as the test sends it.
fn sample_text(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Release notes",
        FieldKind::Uuid => "0a3c0de0-fa4e-4a11-8000-00000000000f",
        FieldKind::Bool => "true",
        FieldKind::Number => "2.5",
        FieldKind::OneOf(values) => values[values.len() - 1],
        FieldKind::File => unreachable!("files are not text"),
    }
}

/// The path of `op` with its parameters filled as the test fills them.
fn filled(op: &UploadOperation, ids: &[(&str, String)]) -> String {
    ids.iter().fold(op.path.to_string(), |path, (name, value)| {
        path.replace(&format!("{{{name}}}"), value)
    })
}

#[tokio::test]
async fn every_multipart_operation_sends_exactly_its_form() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server).await;
    assert_eq!(OPERATIONS.len(), 20);
    for (n, op) in OPERATIONS.iter().enumerate() {
        let ids: Vec<(&str, String)> = op
            .path_params
            .iter()
            .enumerate()
            .map(|(i, p)| match p.kind {
                ParamKind::Uuid => (
                    p.name,
                    Uuid::from_u128((n * 10 + i + 1) as u128).to_string(),
                ),
                ParamKind::Letters => (p.name, "projects".to_string()),
            })
            .collect();
        let route = format!("/api/v1{}", filled(op, &ids));
        answer(&server, op.method.as_str(), route.clone(), 200).await;

        let mut request = client.uploads().operation(op.operation_id);
        for (name, value) in &ids {
            request = request.path_param(name, value);
        }
        let mut expected = Vec::new();
        for field in op.fields {
            if field.kind == FieldKind::File {
                let file_name = format!("{}.md", op.operation_id);
                let content = format!("# {}\n\nbody of upload {n}\n", op.operation_id).into_bytes();
                request = request.file(
                    field.name,
                    UploadFile::from_bytes(file_name.clone(), content.clone()),
                );
                expected.push(Expected {
                    name: field.name,
                    file: Some((file_name, "text/markdown")),
                    content,
                });
            } else {
                let value = sample_text(field.kind);
                request = request.text(field.name, value);
                expected.push(Expected {
                    name: field.name,
                    file: None,
                    content: value.as_bytes().to_vec(),
                });
            }
        }
        let answer = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.operation_id));
        assert_eq!(answer, serde_json::json!({}));

        let received = server.received_requests().await.unwrap();
        let sent = received.last().unwrap();
        assert_eq!(
            sent.method.as_str(),
            op.method.as_str(),
            "{}",
            op.operation_id
        );
        assert_eq!(sent.url.path(), route, "{}", op.operation_id);
        let body = expected_body(&boundary(sent), &expected);
        assert_eq!(
            String::from_utf8_lossy(&sent.body),
            String::from_utf8_lossy(&body),
            "{}",
            op.operation_id
        );
        assert_eq!(
            sent.headers["content-length"],
            body.len().to_string().as_str()
        );
        assert_eq!(
            sent.headers["authorization"],
            format!("Bearer {KEY}").as_str()
        );
        assert!(
            sent.headers["user-agent"]
                .to_str()
                .unwrap()
                .starts_with("awork-rs/")
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 20);
}

/// The validation error of `result`: its field and problem.
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    match result {
        Err(Error::Validation { field, problem }) => (field, problem),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_is_refused_by_field_before_any_request() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let task = Uuid::from_u128(42).to_string();
    let upload = || {
        client
            .uploads()
            .operation("CreateTaskFile")
            .path_param("taskId", &task)
    };

    let missing = dir.path().join("missing.pdf");
    let (field, problem) = refused(
        upload()
            .file("File", UploadFile::from_path(&missing))
            .send()
            .await,
    );
    assert_eq!(
        (field.as_str(), problem),
        ("File", format!("there is no file at {}", missing.display()))
    );

    let (field, problem) = refused(
        upload()
            .file("File", UploadFile::from_path(dir.path()))
            .send()
            .await,
    );
    assert_eq!(field, "File");
    assert!(problem.ends_with("is a directory, not a file"), "{problem}");

    let (field, problem) = refused(
        upload()
            .file("File", UploadFile::from_bytes("", "x"))
            .send()
            .await,
    );
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("File", "the file name is empty")
    );

    let (field, problem) = refused(upload().send().await);
    assert_eq!((field.as_str(), problem.as_str()), ("File", "is required"));

    let (field, problem) = refused(
        upload()
            .file("file", UploadFile::from_bytes("a.txt", "x"))
            .send()
            .await,
    );
    assert_eq!(field, "file");
    assert_eq!(
        problem,
        "CreateTaskFile has no form field \"file\" (it has: File)"
    );

    let (field, _) = refused(
        client
            .uploads()
            .operation("CreateTaskFile")
            .file("File", UploadFile::from_bytes("a.txt", "x"))
            .send()
            .await,
    );
    assert_eq!(field, "taskId");

    let (field, problem) = refused(
        client
            .uploads()
            .operation("CreateTaskFile")
            .path_param("taskId", "42")
            .file("File", UploadFile::from_bytes("a.txt", "x"))
            .send()
            .await,
    );
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("taskId", "\"42\" is not a GUID other than the nil GUID")
    );

    let (field, _) = refused(
        client
            .uploads()
            .operation("PostFilesImagesByEntityNameAndEntityId")
            .path_param("entityName", "../users")
            .path_param("entityId", &task)
            .file("file", UploadFile::from_bytes("a.png", "x"))
            .send()
            .await,
    );
    assert_eq!(field, "entityName");

    let (field, problem) = refused(
        client
            .uploads()
            .operation("PostDocument")
            .text("isPrivate", "yes")
            .send()
            .await,
    );
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("isPrivate", "\"yes\" is not true or false")
    );
    let (field, problem) = refused(
        client
            .uploads()
            .operation("PostDocument")
            .text("contentFormat", "pdf")
            .send()
            .await,
    );
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("contentFormat", "\"pdf\" is not one of html, markdown")
    );

    let (field, problem) = refused(
        upload()
            .file("File", UploadFile::from_reader("a.txt", &b"abc"[..]))
            .retryable()
            .send()
            .await,
    );
    assert_eq!(field, "File");
    assert!(problem.contains("cannot be retryable"), "{problem}");

    let (field, _) = refused(client.uploads().operation("UploadEverything").send().await);
    assert_eq!(field, "operation");

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

/// Answers the first request with 429 (wait 1 s), every later one with 200.
async fn rate_limit_once(server: &MockServer, verb: &str, route: &str) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    answer(server, verb, route.to_string(), 200).await;
}

#[tokio::test]
async fn an_upload_is_sent_once_unless_it_opts_in_and_then_each_attempt_is_whole() {
    let server = MockServer::start().await;
    let (client, clock) = client_for(&server).await;
    let task = Uuid::from_u128(42);
    let route = format!("/api/v1/tasks/{task}/files");
    rate_limit_once(&server, "POST", &route).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("minutes.txt");
    std::fs::write(&file, "minutes of the meeting\n".repeat(10_000)).unwrap();
    let upload = || {
        client
            .uploads()
            .operation("CreateTaskFile")
            .path_param("taskId", task)
            .file("File", UploadFile::from_path(&file))
    };

    let err = upload().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(clock.waits().is_empty());

    server.reset().await;
    rate_limit_once(&server, "POST", &route).await;
    upload().retryable().send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "the 429 is retried with a fresh body");
    assert_eq!(clock.waits(), [std::time::Duration::from_secs(1)]);
    let content = std::fs::read(&file).unwrap();
    for request in &received {
        let body = expected_body(
            &boundary(request),
            &[Expected {
                name: "File",
                file: Some(("minutes.txt".into(), "text/plain")),
                content: content.clone(),
            }],
        );
        assert!(request.body == body, "every attempt carries the whole file");
    }
}

#[tokio::test]
async fn an_opted_in_post_is_not_repeated_after_a_server_error_but_a_put_is() {
    let server = MockServer::start().await;
    let clock = ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), KEY, &clock)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_jitter(false),
        )
        .build()
        .unwrap();
    let document = Uuid::from_u128(9);
    answer(&server, "POST", "/api/v1/temporaryfiles".into(), 503).await;
    answer(
        &server,
        "PUT",
        format!("/api/v1/documents/{document}/content"),
        503,
    )
    .await;

    let err = client
        .uploads()
        .operation("PostTemporaryFiles")
        .file("file", UploadFile::from_bytes("a.txt", "abc"))
        .retryable()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.attempts()),
        (Some(503), Some(1))
    );

    let err = client
        .uploads()
        .operation("PutDocumentContentByDocumentId")
        .path_param("documentId", document)
        .file("content", UploadFile::from_bytes("doc.html", "<p>hi</p>"))
        .retryable()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.attempts()),
        (Some(503), Some(2))
    );
    let puts = server.received_requests().await.unwrap();
    assert_eq!(
        puts.iter().filter(|r| r.method.as_str() == "PUT").count(),
        2
    );
}

#[tokio::test]
async fn progress_is_reported_chunk_by_chunk_up_to_the_total() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server).await;
    answer(&server, "POST", "/api/v1/temporaryfiles".into(), 200).await;
    let size = CHUNK_BYTES * 3 + 100;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    client
        .uploads()
        .operation("PostTemporaryFiles")
        .file(
            "file",
            UploadFile::from_reader("big.bin", std::io::Cursor::new(vec![1u8; size]))
                .with_length(size as u64),
        )
        .on_progress(move |p| record.lock().unwrap().push((p.field, p.sent, p.total)))
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].1 < w[1].1));
    assert_eq!(seen.last(), Some(&("file", size as u64, Some(size as u64))));
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(sent.headers.contains_key("content-length"));
}

#[tokio::test]
async fn a_reader_without_a_length_goes_out_chunked() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server).await;
    answer(&server, "POST", "/api/v1/temporaryfiles".into(), 200).await;
    client
        .uploads()
        .operation("PostTemporaryFiles")
        .file("file", UploadFile::from_reader("log.txt", &b"line\n"[..]))
        .send()
        .await
        .unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(!sent.headers.contains_key("content-length"));
    let body = expected_body(
        &boundary(sent),
        &[Expected {
            name: "file",
            file: Some(("log.txt".into(), "text/plain")),
            content: b"line\n".to_vec(),
        }],
    );
    assert_eq!(sent.body, body);
}

#[tokio::test]
async fn awork_errors_and_odd_answers_keep_their_details() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": "validation-failed", "description": "no", "validationErrors": [{"property": "File", "message": "too large"}]
        })))
        .mount(&server)
        .await;
    let err = client
        .uploads()
        .operation("PostTemporaryFiles")
        .file("file", UploadFile::from_bytes("a.txt", "abc"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("validation-failed"));
    assert!(err.to_string().contains("File: too large"), "{err}");
}

#[tokio::test]
async fn the_fake_stores_uploads_to_a_task_and_lists_them_back() {
    use awork_api_ext::prelude::*;
    let fake = awork_fake::FakeAwork::start().await;
    let (client, _) = common::fake_client(&fake);
    let task = Uuid::from_u128(0x7a5c);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.csv");
    std::fs::write(&file, "day,hours\nmon,7.5\n").unwrap();

    let from_path = client
        .uploads()
        .operation("CreateTaskFile")
        .path_param("taskId", task)
        .file("File", UploadFile::from_path(&file))
        .send()
        .await
        .unwrap();
    let from_reader = client
        .uploads()
        .operation("CreateTaskFile")
        .path_param("taskId", task)
        .file(
            "File",
            UploadFile::from_reader("notes.txt", &b"streamed"[..])
                .content_type("text/plain; charset=utf-8"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(from_path["fileName"], "plan.csv");
    assert_eq!(from_reader["mimeType"], "text/plain; charset=utf-8");

    let listed = client
        .api()
        .get_task_files()
        .task_id(task)
        .call()
        .await
        .unwrap();
    let names: Vec<_> = listed
        .iter()
        .map(|f| f.file_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["plan.csv", "notes.txt"]);
    assert_eq!(listed[0].mime_type.as_deref(), Some("text/csv"));
    assert_eq!(listed[0].task_id, Some(task));
    let stored = fake.files().of_task(task);
    assert_eq!(stored[0].content, b"day,hours\nmon,7.5\n");
    assert_eq!(stored[1].content, b"streamed");
}

#[test]
fn the_table_describes_awork_uploads_as_methods_and_forms() {
    assert_eq!(
        OPERATIONS
            .iter()
            .filter(|op| op.method == UploadMethod::Put)
            .count(),
        1
    );
    for op in &OPERATIONS {
        assert_eq!(UploadOperation::find(op.operation_id), Some(op));
        assert!(
            op.fields.iter().any(|f| f.kind == FieldKind::File),
            "{}",
            op.operation_id
        );
        for param in op.path_params {
            assert!(
                op.path.contains(&format!("{{{}}}", param.name)),
                "{}",
                op.operation_id
            );
        }
    }
}
