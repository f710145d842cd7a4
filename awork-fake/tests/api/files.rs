//! Task files: a multipart upload is stored whole and listed back as `FileInfo`.

use crate::support::Api;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use uuid::Uuid;

fn file_form(name: &str, bytes: &[u8]) -> Form {
    let part = Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str("text/plain")
        .unwrap();
    Form::new().part("File", part)
}

#[tokio::test]
async fn an_upload_is_stored_whole_and_listed_back() {
    let api = Api::start().await;
    let task = Uuid::from_u128(7);
    let path = format!("/tasks/{task}/files");
    let response = api
        .request(Method::POST, &path)
        .multipart(file_form("notes.txt", b"first line\nsecond line\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let info: Value = response.json().await.unwrap();
    assert_eq!(info["fileName"], "notes.txt");
    assert_eq!(info["mimeType"], "text/plain");
    assert_eq!(info["taskId"], task.to_string());
    assert_eq!(info["fileVersions"][0]["size"], 23);

    let stored = api.fake.files().of_task(task);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content, b"first line\nsecond line\n");
    assert_eq!(stored[0].by, api.fake.user_id());

    let listed = api.get(&path).send().await.unwrap();
    assert_eq!(listed.headers()["aw-totalitems"], "1");
    let listed: Vec<Value> = listed.json().await.unwrap();
    assert_eq!(listed, vec![info]);
    let other: Vec<Value> = api
        .get(&format!("/tasks/{}/files", Uuid::from_u128(8)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(other.is_empty());
}

#[tokio::test]
async fn a_form_without_a_file_and_a_bad_task_id_are_refused() {
    let api = Api::start().await;
    let path = format!("/tasks/{}/files", Uuid::from_u128(7));
    let no_file = api
        .request(Method::POST, &path)
        .multipart(Form::new().text("name", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_file.status(), 400);
    let body: Value = no_file.json().await.unwrap();
    assert_eq!(body["code"], "validation-failed");
    assert_eq!(body["validationErrors"][0]["property"], "File");

    let json = api
        .request(Method::POST, &path)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);

    let bad_id = api
        .request(Method::POST, "/tasks/not-a-guid/files")
        .multipart(file_form("a.txt", b"a"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad_id.status(),
        400,
        "the contract refuses a task id that is no GUID"
    );

    let anonymous = api
        .http
        .post(api.url(&path))
        .multipart(file_form("a.txt", b"a"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(api.fake.files().of_task(Uuid::from_u128(7)).is_empty());
}
