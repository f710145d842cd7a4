//! Webhooks: a delivery of each of awork's 35 event types, written by us in the shape
//! awork documents (envelope fields, the entity as the API models it, changes), decodes
//! into its variant; unknown types arrive as `Unknown`; missing fields and wrong headers
//! give errors that name them; managing webhooks sends awork's forms and never shows
//! the header's value; with `axum`, the extractor takes a delivery end to end.

use awork_api_ext::webhooks::{Event, EventSet, EventType, Receiver, WebhookDraft, WebhookError};
use awork_api_ext::{AworkClient, Error};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use uuid::Uuid;

const HEADER: &str = "X-Awork-Token";
const SECRET: &str = "hook-secret-7f3a";

fn entity_id() -> Uuid {
    Uuid::from_u128(0x0e17_0000_0000_4000_8000_0000_0000_0001)
}

fn actor() -> Uuid {
    Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0001)
}

/// The entity of `event` as awork's API would model it (our own sample values).
fn entity_of(event: EventType) -> (Value, &'static str) {
    let id = entity_id();
    let name = event.as_str();
    if name.starts_with("absence_") {
        (
            json!({"id": id, "userId": actor(), "startOn": "2024-05-06T00:00:00Z", "endOn": "2024-05-10T00:00:00Z", "isHalfDayOnStart": false}),
            "absence",
        )
    } else if name.starts_with("company_") {
        (
            json!({"id": id, "name": "Fjord Bakery", "industry": "Food"}),
            "company",
        )
    } else if name.starts_with("projectmember_") {
        (
            json!({"id": id, "userId": actor(), "firstName": "Ada", "lastName": "Lind", "isResponsible": true}),
            "projectmember",
        )
    } else if name.ends_with("_comment_added") {
        (
            json!({"id": id, "message": "Looks good to me", "entityId": Uuid::from_u128(5), "userId": actor()}),
            "comment",
        )
    } else if name.starts_with("project_") {
        (
            json!({"id": id, "name": "Website relaunch", "isPrivate": false, "projectStatusId": Uuid::from_u128(6)}),
            "project",
        )
    } else if name.starts_with("taskassignment_") {
        (
            json!({"taskId": Uuid::from_u128(7), "userId": actor()}),
            "taskassignment",
        )
    } else if name.starts_with("tasklist_") {
        (
            json!({"id": id, "name": "Sprint 12", "order": 3.0}),
            "tasklist",
        )
    } else if name.starts_with("task_") {
        (
            json!({"id": id, "name": "Draft the brochure", "baseType": "projecttask", "isPrio": false}),
            "task",
        )
    } else if name.starts_with("timetracking_") {
        (
            json!({"id": id, "userId": actor(), "duration": 5400, "timezone": "Europe/Berlin", "typeOfWorkId": Uuid::from_u128(8), "isBillable": true}),
            "timeentry",
        )
    } else if name.starts_with("user_") {
        (
            json!({"id": id, "firstName": "Ada", "lastName": "Lind", "isDeactivated": false}),
            "user",
        )
    } else {
        panic!("no sample entity for {name}")
    }
}

/// A delivery of `event` in awork's documented shape.
fn delivery(event: EventType) -> Value {
    let (entity, entity_type) = entity_of(event);
    let mut body = json!({
        "timestamp": "2024-05-06T09:30:00.125+02:00",
        "eventType": event.as_str(),
        "entity": entity,
        "entityId": entity_id(),
        "entityType": entity_type,
        "entityLink": format!("https://example.awork.com/{entity_type}/{}", entity_id()),
        "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
        "triggeredBy": {"id": actor(), "firstName": "Ada", "lastName": "Lind"},
    });
    if event.as_str().ends_with("_updated") || event.as_str().ends_with("_changed") {
        body["changes"] =
            json!([{"property": "Name", "old": "Draft", "new": "Final"}, {"property": "DueOn"}]);
    }
    if event.as_str().ends_with("_deleted") {
        body["entity"]["deletedOn"] = json!("2024-05-06T07:30:00Z");
        body["entity"]["deletedBy"] = json!(actor());
    }
    body
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn receiver() -> Receiver {
    Receiver::new(HEADER, SecretString::from(SECRET)).unwrap()
}

fn headers(value: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(HEADER, value.parse().unwrap());
    headers
}

#[test]
fn awork_has_35_event_types_with_distinct_names() {
    assert_eq!(EventType::ALL.len(), 35);
    let names: std::collections::BTreeSet<&str> =
        EventType::ALL.iter().map(|e| e.as_str()).collect();
    assert_eq!(names.len(), 35);
    for event in EventType::ALL {
        assert_eq!(event.as_str().parse::<EventType>().unwrap(), *event);
    }
    let err = "task_exploded".parse::<EventType>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"task_exploded\" is not an awork webhook event type this crate knows"
    );
}

#[test]
fn a_delivery_of_every_event_type_decodes_into_its_variant() {
    for event in EventType::ALL {
        let body = delivery(*event);
        let parsed = receiver()
            .parse(&headers(SECRET), &bytes(&body))
            .unwrap_or_else(|e| panic!("{event}: {e}"));
        assert_eq!(parsed.event_type(), Some(*event));
        assert_eq!(parsed.event_name(), event.as_str());
        let envelope = parsed.envelope().unwrap();
        assert_eq!(envelope.entity_id, entity_id());
        assert_eq!(
            envelope.timestamp.to_rfc3339(),
            "2024-05-06T09:30:00.125+02:00"
        );
        assert_eq!(
            envelope.trace_id.as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(
            envelope.triggered_by.as_ref().and_then(|t| t.id),
            Some(actor())
        );
        let updates = event.as_str().ends_with("_updated") || event.as_str().ends_with("_changed");
        assert_eq!(
            envelope.changes.len(),
            if updates { 2 } else { 0 },
            "{event}"
        );
        if updates {
            assert_eq!(envelope.changes[0].property, "Name");
            assert_eq!(envelope.changes[0].new, Some(json!("Final")));
            assert_eq!(envelope.changes[1].old, None);
        }
        let deleted = event.as_str().ends_with("_deleted");
        assert_eq!(
            envelope.deleted.and_then(|d| d.by),
            deleted.then_some(actor()),
            "{event}"
        );
    }
}

/// With the areas' features on (as in the workspace's test run), entities are the
/// generated models.
#[cfg(all(
    feature = "projects",
    feature = "tasks",
    feature = "time-tracking",
    feature = "users",
    feature = "companies"
))]
#[test]
fn entities_are_the_generated_models_when_their_features_are_on() {
    let parse = |event| Event::from_json(&bytes(&delivery(event))).unwrap();
    let Event::ProjectAdded(project) = parse(EventType::ProjectAdded) else {
        panic!()
    };
    assert_eq!(project.entity.name, "Website relaunch");
    let Event::TaskStatusChanged(task) = parse(EventType::TaskStatusChanged) else {
        panic!()
    };
    assert_eq!(task.entity.name, "Draft the brochure");
    let Event::TimeTrackingAdded(entry) = parse(EventType::TimeTrackingAdded) else {
        panic!()
    };
    assert_eq!(
        (entry.entity.timezone.as_str(), entry.entity.duration),
        ("Europe/Berlin", Some(5400))
    );
    let Event::CompanyUpdated(company) = parse(EventType::CompanyUpdated) else {
        panic!()
    };
    assert_eq!(company.entity.name, "Fjord Bakery");
    let Event::UserDeleted(user) = parse(EventType::UserDeleted) else {
        panic!()
    };
    assert_eq!(user.entity.first_name.as_deref(), Some("Ada"));
    let Event::TaskCommentAdded(comment) = parse(EventType::TaskCommentAdded) else {
        panic!()
    };
    assert_eq!(comment.entity.message.as_deref(), Some("Looks good to me"));

    let mut broken = delivery(EventType::TimeTrackingAdded);
    broken["entity"].as_object_mut().unwrap().remove("timezone");
    let err = Event::from_json(&bytes(&broken)).unwrap_err();
    assert!(
        matches!(
            err,
            WebhookError::InvalidEntity {
                model: "TimeTracking",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("missing field `timezone`"),
        "{err}"
    );
}

#[test]
fn an_event_type_this_crate_does_not_know_arrives_as_unknown_with_its_json() {
    let body = json!({"eventType": "invoice_paid", "entity": {"amount": 12}, "somethingNew": true});
    match Event::from_json(&bytes(&body)).unwrap() {
        Event::Unknown(unknown) => {
            assert_eq!(unknown.event_type, "invoice_paid");
            assert_eq!(unknown.delivery, body);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_or_wrong_fields_are_named() {
    for field in ["timestamp", "entity", "entityId", "entityType"] {
        let mut body = delivery(EventType::TaskAdded);
        body.as_object_mut().unwrap().remove(field);
        let err = Event::from_json(&bytes(&body)).unwrap_err();
        assert_eq!(err, WebhookError::MissingField { field }, "{field}");
        assert_eq!(
            err.to_string(),
            format!("the webhook delivery has no {field}")
        );
        assert_eq!(err.status(), 400);
    }
    let err = Event::from_json(br#"{"entity": {}}"#).unwrap_err();
    assert_eq!(err, WebhookError::MissingField { field: "eventType" });

    let mut body = delivery(EventType::TaskAdded);
    body["entityId"] = json!("task-17");
    let err = Event::from_json(&bytes(&body)).unwrap_err().to_string();
    assert!(
        err.starts_with("the task_added delivery does not have awork's shape: entityId: "),
        "{err}"
    );
    let mut body = delivery(EventType::TaskAdded);
    body["timestamp"] = json!("yesterday");
    let err = Event::from_json(&bytes(&body)).unwrap_err().to_string();
    assert!(err.contains("timestamp: "), "{err}");

    let err = Event::from_json(br#"{"eventType": 12}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "the unnamed delivery does not have awork's shape: eventType must be a string, not 12"
    );
    assert!(matches!(
        Event::from_json(b"not json"),
        Err(WebhookError::NotJson { .. })
    ));
    assert!(matches!(
        Event::from_json(b"[1, 2]"),
        Err(WebhookError::NotJson { .. })
    ));
}

#[test]
fn the_configured_header_is_required_and_compared_without_showing_it() {
    let receiver = receiver();
    let body = bytes(&delivery(EventType::TaskAdded));
    let missing = receiver.parse(&http::HeaderMap::new(), &body).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "the webhook delivery has no x-awork-token header"
    );
    assert_eq!(missing.status(), 401);
    for wrong in [
        "hook-secret-7f3b",
        "hook-secret-7f3",
        "",
        "hook-secret-7f3a ",
    ] {
        let err = receiver.parse(&headers(wrong), &body).unwrap_err();
        assert!(
            matches!(err, WebhookError::WrongAuthHeader { .. }),
            "{wrong:?}"
        );
        assert_eq!(err.status(), 401);
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(
                !text.contains(SECRET) && (wrong.is_empty() || !text.contains(wrong.trim())),
                "{text}"
            );
        }
    }
    let mut two = headers("something-else");
    two.append(HEADER, SECRET.parse().unwrap());
    assert!(
        receiver.parse(&two, &body).is_ok(),
        "one of several values may match"
    );
    assert!(!format!("{receiver:?}").contains(SECRET));
    assert!(
        Receiver::without_auth()
            .parse(&http::HeaderMap::new(), &body)
            .is_ok()
    );
    assert!(matches!(
        Receiver::new("bad header", SecretString::from("x")),
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        Receiver::new(HEADER, SecretString::from("")),
        Err(Error::Validation { .. })
    ));
}

#[test]
fn event_sets_read_and_write_awork_form() {
    let set = EventSet::new()
        .with(EventType::TaskUpdated)
        .with(EventType::TaskAdded)
        .with(EventType::TaskAdded);
    assert_eq!(set.to_awork(), "task_added,task_updated");
    let (read, unknown) = EventSet::from_awork("task_added, task_updated,invoice_paid,");
    assert_eq!(read, set);
    assert_eq!(unknown, ["invoice_paid"]);
    assert_eq!(EventSet::all().len(), 35);
}

mod manage {
    use super::*;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn client(server: &MockServer) -> AworkClient {
        AworkClient::builder()
            .api_key("k")
            .base_url(format!("{}/api/v1", server.uri()))
            .build()
            .unwrap()
    }

    fn config(id: Uuid) -> Value {
        json!({
            "id": id, "name": "Task sync", "uri": "https://hooks.example.com/awork",
            "events": "task_added,task_updated,invoice_paid", "isActive": true,
            "onlyTriggerForMainEntityChanges": false, "authenticationType": "header",
            "authentication": format!("{HEADER}={SECRET}"), "receiverType": "custom",
            "createdOn": "2024-05-06T09:30:00Z"
        })
    }

    fn draft() -> WebhookDraft {
        WebhookDraft::new(
            "Task sync",
            "https://hooks.example.com/awork",
            EventSet::new()
                .with(EventType::TaskAdded)
                .with(EventType::TaskUpdated),
        )
        .auth_header(HEADER, SecretString::from(SECRET))
    }

    #[tokio::test]
    async fn creating_a_webhook_sends_awork_form_and_hides_the_secret() {
        let server = MockServer::start().await;
        let id = Uuid::from_u128(77);
        Mock::given(method("POST"))
            .and(path("/api/v1/webhooks"))
            .respond_with(ResponseTemplate::new(200).set_body_json(config(id)))
            .mount(&server)
            .await;
        let webhook = client(&server).webhooks().create(&draft()).await.unwrap();
        let sent: Value = server.received_requests().await.unwrap()[0]
            .body_json()
            .unwrap();
        assert_eq!(
            sent,
            json!({
                "name": "Task sync", "uri": "https://hooks.example.com/awork",
                "events": "task_added,task_updated", "isActive": true,
                "onlyTriggerForMainEntityChanges": false, "language": null,
                "authenticationType": "header", "authentication": format!("{HEADER}={SECRET}"),
            })
        );
        assert_eq!(webhook.id, id);
        assert_eq!(webhook.events.to_awork(), "task_added,task_updated");
        assert_eq!(webhook.unknown_events, ["invoice_paid"]);
        let auth = webhook.auth_header.as_ref().unwrap();
        assert_eq!(
            (auth.name.as_str(), auth.value.expose_secret()),
            (HEADER, SECRET)
        );
        for text in [format!("{webhook:?}"), format!("{:?}", draft())] {
            assert!(!text.contains(SECRET), "{text}");
        }
    }

    #[tokio::test]
    async fn bad_drafts_are_refused_before_any_request() {
        let server = MockServer::start().await;
        let client = client(&server);
        let events = EventSet::new().with(EventType::UserAdded);
        let cases = [
            (
                WebhookDraft::new("", "https://h.example", events.clone()),
                "name",
            ),
            (
                WebhookDraft::new("n", "ftp://h.example", events.clone()),
                "uri",
            ),
            (WebhookDraft::new("n", "not a url", events.clone()), "uri"),
            (
                WebhookDraft::new("n", "https://h.example", EventSet::new()),
                "events",
            ),
            (
                WebhookDraft::new("n", "https://h.example", events.clone())
                    .auth_header("X=Y", SecretString::from("v")),
                "auth_header",
            ),
            (
                WebhookDraft::new("n", "https://h.example", events.clone())
                    .auth_header("X-T", SecretString::from("a\nb")),
                "auth_header",
            ),
        ];
        for (draft, expected) in cases {
            match client.webhooks().create(&draft).await {
                Err(Error::Validation { field, problem }) => {
                    assert_eq!(field, expected, "{problem}");
                    assert!(!problem.contains("a\nb"));
                }
                other => panic!("{expected}: {other:?}"),
            }
        }
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_answer_that_does_not_decode_is_reported_without_its_body() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(
                    json!({"id": 5, "authentication": format!("{HEADER}={SECRET}")}),
                ),
            )
            .mount(&server)
            .await;
        let err = client(&server)
            .webhooks()
            .get(Uuid::from_u128(5))
            .await
            .unwrap_err();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(SECRET), "{text}");
        }
        assert!(matches!(err, Error::Decode { .. }));
    }

    #[tokio::test]
    async fn list_and_delete_use_awork_routes() {
        let server = MockServer::start().await;
        let id = Uuid::from_u128(78);
        Mock::given(method("GET"))
            .and(path("/api/v1/webhooks"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([config(id)])))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path(format!("/api/v1/webhooks/{id}")))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = client(&server);
        let all = client.webhooks().list().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].receiver_type.as_deref(), Some("custom"));
        client.webhooks().delete(id).await.unwrap();
        assert!(matches!(
            client.webhooks().delete(Uuid::nil()).await,
            Err(Error::Validation { .. })
        ));
    }
}

/// The axum extractor answers deliveries over real HTTP.
#[cfg(feature = "axum")]
mod extractor {
    use super::*;
    use awork_api_ext::webhooks::axum::AworkWebhook;
    use axum::Router;
    use axum::routing::post;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn the_extractor_accepts_a_delivery_and_refuses_bad_ones() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let app = Router::new()
            .route(
                "/awork",
                post(move |AworkWebhook(event): AworkWebhook| {
                    let record = record.clone();
                    async move {
                        record.lock().unwrap().push(event.event_name().to_string());
                        http::StatusCode::NO_CONTENT
                    }
                }),
            )
            .with_state(receiver());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/awork", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let http = reqwest::Client::new();
        let post = |header: Option<&'static str>, body: Vec<u8>| {
            let mut request = http.post(&url).body(body);
            if let Some(value) = header {
                request = request.header(HEADER, value);
            }
            request.send()
        };
        let good = bytes(&delivery(EventType::TaskUpdated));
        assert_eq!(
            post(Some(SECRET), good.clone()).await.unwrap().status(),
            204
        );
        let wrong = post(Some("guess"), good.clone()).await.unwrap();
        assert_eq!(wrong.status(), 401);
        let text = wrong.text().await.unwrap();
        assert!(!text.contains(SECRET) && !text.contains("guess"), "{text}");
        assert_eq!(post(None, good).await.unwrap().status(), 401);
        let bad = post(Some(SECRET), b"{\"eventType\": \"task_added\"}".to_vec())
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        assert_eq!(
            bad.text().await.unwrap(),
            "the webhook delivery has no timestamp"
        );
        assert_eq!(*seen.lock().unwrap(), ["task_updated"]);
    }
}
