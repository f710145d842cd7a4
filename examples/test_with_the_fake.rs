//! Testing your own code against `awork-fake`: a small function that sets up a project
//! with its first tasks, and the checks a test of it would make, run here as a program.
//!
//! ```sh
//! cargo run -p awork-examples --example test_with_the_fake --features tasks
//! ```
//!
//! In a project of your own, put the function in your crate, `awork-fake` in your
//! `[dev-dependencies]`, and the body of `main` in a `#[tokio::test]`.
//!
//! The fake judges every request by awork's own OpenAPI document (a request awork would
//! refuse is a 400 naming the property), stores what the routes create, answers lists
//! with awork's paging and filters, and lets a test seed data, read what was sent,
//! inject faults and move the clock.

use awork_api::types::{Project, TaskModel};
use awork_api_ext::prelude::*;
use awork_api_ext::{AworkClient, Error};
use awork_fake::{FakeAwork, Fault};
use futures::TryStreamExt;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

/// The code under test: a project named `name` with one task per entry of `tasks`.
/// Returns the project's id.
async fn start_project(client: &AworkClient, name: &str, tasks: &[&str]) -> Result<Uuid, Error> {
    let project: Project = client
        .raw(Method::POST, "/projects")
        .json(&json!({ "name": name }))
        .send()
        .await?;
    let id = project.id.expect("awork answers a project with its id");
    for task in tasks {
        client
            .raw(Method::POST, "/tasks")
            .json(&json!({ "name": task, "baseType": "projecttask", "entityId": id }))
            .send::<TaskModel>()
            .await?;
    }
    Ok(id)
}

/// The names of a project's tasks, by name.
async fn task_names(client: &AworkClient, project: Uuid) -> Result<Vec<String>, Error> {
    let tasks: Vec<TaskModel> = client
        .api()
        .get_project_project_tasks_by_project_id()
        .project_id(project)
        .orderby("name")
        .stream(PageOptions::new().page_size(100))
        .try_collect()
        .await?;
    Ok(tasks.into_iter().map(|t| t.name).collect())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Start the fake and point a client at it.
    let fake = FakeAwork::start().await;
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .app_name("test-with-the-fake")
        .build()?;

    // 2. Seed what the code expects to find: another project with a task of its own.
    let other = fake
        .resources()
        .insert("Project", json!({ "name": "Old site" }))?;
    fake.resources().insert(
        "TaskModel",
        json!({ "name": "Archive", "projectId": other["id"] }),
    )?;

    // 3. Make the first read of a project's tasks fail once, as awork's edge might: the
    //    client's retry policy should take care of it (a read may be repeated; a
    //    create is not, since it could create twice).
    fake.faults().inject(
        Fault::status(503)
            .times(1)
            .on(awork_fake::Method::GET, "/projects"),
    );

    // 4. Run the code under test.
    let project =
        start_project(&client, "Website relaunch", &["Kickoff", "Scope", "Budget"]).await?;
    let names = task_names(&client, project).await?;
    assert_eq!(
        names,
        ["Budget", "Kickoff", "Scope"],
        "the project's own tasks, by name"
    );
    println!("project {project} has tasks {names:?}");

    // 5. Check what reached awork: one project, three tasks, the list read twice.
    let requests = fake.requests();
    assert_eq!(requests.count("POST", "/projects"), 1);
    assert_eq!(requests.count("POST", "/tasks"), 3);
    let listed = requests.count("GET", "/projects/{projectId}/projecttasks");
    assert_eq!(listed, 2, "the list was read again after the 503");
    assert!(requests.all().iter().all(|r| r.has_authorization));
    let stored = fake.resources().all("TaskModel");
    assert_eq!(stored.len(), 4, "the seeded task and the three new ones");
    println!(
        "{} requests, {} tasks stored",
        requests.total(),
        stored.len()
    );

    // 6. A request awork's contract refuses never gets past the fake: a task without
    //    its required `baseType` is a 400 naming the property.
    let refused = client
        .raw(Method::POST, "/tasks")
        .json(&json!({ "name": "No type" }))
        .send::<TaskModel>()
        .await
        .unwrap_err();
    let Error::Api(api) = &refused else {
        panic!("expected awork's error, got {refused:?}")
    };
    assert_eq!(api.code.as_deref(), Some("validation-failed"));
    assert_eq!(
        api.validation_errors[0].property.as_deref(),
        Some("baseType")
    );
    println!("refused as awork would: {refused}");

    // 7. Time is the fake's to move: what is created now is stamped with its clock.
    let day = chrono::DateTime::parse_from_rfc3339("2030-01-02T09:00:00Z")?.to_utc();
    fake.clock().set(day);
    let later = start_project(&client, "Next year", &[]).await?;
    let stamped = fake.resources().get("Project", later).expect("stored");
    assert_eq!(stamped["createdOn"], "2030-01-02T09:00:00Z");
    println!("created on {}", stamped["createdOn"]);

    assert!(fake.contract_violations().is_empty());
    println!("all checks passed");
    Ok(())
}
