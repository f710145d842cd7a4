//! Webhooks: a delivery of each of awork's 35 event types, written by us in the shape
//! awork documents (envelope fields, the entity as the API models it, changes), decodes
//! into its variant; the deliveries awork's documentation shows (our fixtures, written
//! from its facts) all reach the program; unknown types arrive as `Unknown` and
//! deliveries that do not fit as `Undecodable`, with the reason and a warning; only a
//! wrong header (401) or a body that is not a JSON object (400) is refused; managing
//! webhooks sends awork's forms, registers with a fresh secret and never shows the
//! header's value; with `axum`, the extractors take deliveries end to end.

mod common;

use awork_api_ext::webhooks::{
    Event, EventKind, EventSet, EventType, Receiver, WebhookDraft, WebhookError,
};
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
    let Event::Undecodable(kept) = Event::from_json(&bytes(&broken)).unwrap() else {
        panic!("an entity that does not fit is handed over as JSON")
    };
    assert_eq!(
        kept.kind,
        EventKind::Workspace(EventType::TimeTrackingAdded)
    );
    assert_eq!(kept.delivery, broken);
    assert!(
        matches!(
            kept.error,
            WebhookError::InvalidEntity {
                model: "TimeTracking",
                ..
            }
        ),
        "{:?}",
        kept.error
    );
    assert!(
        kept.error.to_string().contains("missing field `timezone`"),
        "{}",
        kept.error
    );
    let envelope = kept.envelope().expect("the envelope itself fits");
    assert_eq!(envelope.entity_id, entity_id());
    assert_eq!(envelope.entity, broken["entity"]);
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

/// The kept delivery of `body`, which must be handed over as JSON.
fn kept(body: &Value) -> awork_api_ext::webhooks::Undecodable {
    match receiver().parse(&headers(SECRET), &bytes(body)) {
        Ok(Event::Undecodable(kept)) => kept,
        other => panic!("{body}: {other:?}"),
    }
}

#[test]
fn deliveries_that_do_not_fit_reach_the_program_with_the_field_named() {
    for field in ["timestamp", "entity", "entityId", "entityType"] {
        let mut body = delivery(EventType::TaskAdded);
        body.as_object_mut().unwrap().remove(field);
        let kept = kept(&body);
        assert_eq!(kept.error, WebhookError::MissingField { field }, "{field}");
        assert_eq!(
            kept.error.to_string(),
            format!("the webhook delivery has no {field}")
        );
        assert_eq!(kept.kind, EventKind::Workspace(EventType::TaskAdded));
        assert_eq!(kept.event_name(), "task_added");
        assert_eq!(kept.delivery, body, "kept whole");
        assert!(kept.envelope().is_none());
    }

    let mut body = delivery(EventType::TaskAdded);
    body["entityId"] = json!("task-17");
    let kept_id = kept(&body);
    assert!(
        kept_id
            .error
            .to_string()
            .starts_with("the task_added delivery does not have awork's shape: entityId: "),
        "{}",
        kept_id.error
    );
    let mut body = delivery(EventType::TaskAdded);
    body["timestamp"] = json!("yesterday");
    assert!(kept(&body).error.to_string().contains("timestamp: "));

    // Named no event at all: still handed over, as an unknown one.
    for body in [json!({"entity": {}}), json!({"eventType": 12}), json!({})] {
        match receiver().parse(&headers(SECRET), &bytes(&body)).unwrap() {
            Event::Unknown(unknown) => {
                assert_eq!(unknown.event_type, "");
                assert_eq!(unknown.delivery, body);
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn only_a_body_that_is_not_a_json_object_is_refused() {
    for (body, problem) in [
        (&b"not json"[..], "expected ident"),
        (b"[1, 2]", "not an object (it is an array)"),
        (b"\"task_added\"", "not an object (it is a string)"),
        (b"", "EOF while parsing"),
        (
            b"{\"eventType\": \"task_added\"",
            "EOF while parsing an object",
        ),
    ] {
        let err = receiver().parse(&headers(SECRET), body).unwrap_err();
        assert!(matches!(err, WebhookError::NotJson { .. }), "{err:?}");
        assert_eq!(err.status(), 400);
        assert!(err.to_string().contains(problem), "{err}");
        assert!(
            receiver()
                .verify_delivery(&headers(SECRET), body.to_vec())
                .is_err()
        );
    }
}

#[test]
fn a_delivery_handed_over_as_json_is_logged_as_a_warning() {
    let logs = common::LogBuffer::default();
    common::keep_callsites_open();
    tracing::subscriber::with_default(common::capture(&logs), || {
        let mut body = delivery(EventType::TaskAdded);
        body.as_object_mut().unwrap().remove("entityId");
        kept(&body);
        Event::from_json(br#"{"eventType": "invoice_paid", "traceId": "t-991"}"#).unwrap();
        Event::from_json(&bytes(&delivery(EventType::TaskUpdated))).unwrap();
    });
    let log = logs.text();
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 2, "{log}");
    assert!(
        warnings[0].contains("event=\"task_added\"")
            && warnings[0].contains("the webhook delivery has no entityId")
            && warnings[0].contains("trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\""),
        "{log}"
    );
    assert!(
        warnings[1].contains("event=\"invoice_paid\"") && warnings[1].contains("t-991"),
        "{log}"
    );
}

#[test]
fn a_delivery_is_verified_now_and_decoded_later() {
    let body = bytes(&delivery(EventType::TaskStatusChanged));
    let verified = receiver()
        .verify_delivery(&headers(SECRET), body.clone())
        .unwrap();
    assert_eq!(verified.body(), &body[..], "kept as sent");
    assert!(!format!("{verified:?}").contains("task_status_changed"));
    assert_eq!(
        verified.parse().event_type(),
        Some(EventType::TaskStatusChanged)
    );
    let queued = verified.into_body().to_vec();
    let later = Event::from_json(&queued).unwrap();
    assert_eq!(later.event_type(), Some(EventType::TaskStatusChanged));
    assert_eq!(later.trace_id(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));

    let refused = receiver()
        .verify_delivery(&headers("guess"), body.clone())
        .unwrap_err();
    assert_eq!(refused.status(), 401);
    let loose = receiver()
        .verify_delivery(
            &headers(SECRET),
            br#"{"eventType": "task_added",}"#.to_vec(),
        )
        .unwrap();
    assert!(matches!(loose.parse(), Event::Undecodable(_)));
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
    for value in ["", " padded", "line\nbreak"] {
        match Receiver::new(HEADER, SecretString::from(value)) {
            Err(Error::Validation { field, problem }) => {
                assert_eq!(field, "value");
                assert!(
                    value.is_empty() || !problem.contains(value.trim()),
                    "{problem}"
                );
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
}

#[test]
fn a_receiver_reads_the_header_as_awork_shows_it_and_accepts_two_values_while_rotating() {
    // A workspace webhook's `authentication` is `name=value`; a project automation's
    // header is configured as `name:value` (awork's example: `Api-Key:abcd…`).
    let body = bytes(&delivery(EventType::TaskAdded));
    for line in [
        format!("{HEADER}={SECRET}"),
        format!("{HEADER}:{SECRET}"),
        format!(" {HEADER} : {SECRET} "),
    ] {
        let receiver = Receiver::from_header_line(&SecretString::from(line.clone())).unwrap();
        assert_eq!(receiver.header_name(), Some("x-awork-token"), "{line}");
        assert!(receiver.parse(&headers(SECRET), &body).is_ok(), "{line}");
    }
    let api_key = Receiver::from_header_line(&SecretString::from("Api-Key:ab=cd:ef")).unwrap();
    let mut sent = http::HeaderMap::new();
    sent.insert("api-key", "ab=cd:ef".parse().unwrap());
    assert!(
        api_key.verify(&sent).is_ok(),
        "split at the first separator"
    );
    for line in ["no separator here", "=value-without-name", "X-Token="] {
        match Receiver::from_header_line(&SecretString::from(line)) {
            Err(e @ Error::Validation { .. }) => {
                assert!(!e.to_string().contains("separator here"), "{e}");
            }
            other => panic!("{line:?}: {other:?}"),
        }
    }

    let rotating = receiver()
        .also_accept(SecretString::from("hook-secret-new"))
        .unwrap();
    assert!(rotating.verify(&headers(SECRET)).is_ok());
    assert!(rotating.verify(&headers("hook-secret-new")).is_ok());
    assert!(rotating.verify(&headers("hook-secret-ne")).is_err());
    assert!(!format!("{rotating:?}").contains("hook-secret"));
    assert!(
        Receiver::without_auth()
            .also_accept(SecretString::from("x"))
            .is_err()
    );
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
        let open = |name: &str, uri: &str, events: &EventSet| {
            WebhookDraft::new(name, uri, events.clone()).without_auth()
        };
        let cases = [
            (
                WebhookDraft::new("n", "https://h.example", events.clone()),
                "auth",
            ),
            (open("", "https://h.example", &events), "name"),
            (open("n", "ftp://h.example", &events), "uri"),
            (open("n", "not a url", &events), "uri"),
            (open("n", "https://h.example", &EventSet::new()), "events"),
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
        for draft in [draft(), open("n", "https://h.example", &events)] {
            match client.webhooks().register(&draft).await {
                Err(Error::Validation { field, .. }) => assert_eq!(field, "auth"),
                other => panic!("register with the draft's own auth: {other:?}"),
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

/// The deliveries awork's webhook documentation shows, as fixtures in our own values
/// with the shapes it documents (see `api-facts.md` 2.9): all of them reach the program.
mod documented {
    use super::*;
    use awork_api_ext::webhooks::Automation;
    use awork_fake::contract::{self as spec, Api};

    const PROJECT_ADDED: &[u8] = include_bytes!("fixtures/webhooks/project_added.json");
    const ABSENCE_DELETED: &[u8] = include_bytes!("fixtures/webhooks/absence_deleted.json");
    const ABSENCE_DELETED_EXCERPT: &[u8] =
        include_bytes!("fixtures/webhooks/absence_deleted_excerpt.json");
    const AUTOMATION: &[u8] = include_bytes!("fixtures/webhooks/automation.json");
    const AUTOMATION_WITHOUT_TASK: &[u8] =
        include_bytes!("fixtures/webhooks/automation_without_task.json");

    /// A workspace webhook configured with `X-Awork-Token=…` (awork's `name=value`).
    fn workspace() -> (Receiver, http::HeaderMap) {
        let line = SecretString::from(format!("{HEADER}={SECRET}"));
        (Receiver::from_header_line(&line).unwrap(), headers(SECRET))
    }

    /// A project automation configured with `Api-Key:…` (awork's `name:value`).
    fn automation() -> (Receiver, http::HeaderMap) {
        let line = SecretString::from("Api-Key:abcd0123");
        let mut sent = http::HeaderMap::new();
        sent.insert("api-key", "abcd0123".parse().unwrap());
        (Receiver::from_header_line(&line).unwrap(), sent)
    }

    fn strict(body: &[u8]) -> Value {
        let text = String::from_utf8(body.to_vec()).unwrap();
        serde_json::from_str(&text.replace("],\n}", "]\n}")).unwrap()
    }

    #[test]
    fn the_documented_project_added_arrives_typed_despite_its_trailing_comma_and_string_tags() {
        assert!(
            serde_json::from_slice::<Value>(PROJECT_ADDED).is_err(),
            "like awork's example, the fixture has a comma after its last field"
        );
        let entity = strict(PROJECT_ADDED)["entity"].clone();
        let refusal = spec::check_value(Api::V1, "Project", &entity).unwrap_err();
        assert!(
            refusal.iter().any(|e| e.property.starts_with("tags")),
            "awork's contract wants tag objects where its example has names: {refusal:?}"
        );

        let (receiver, sent) = workspace();
        let event = receiver.parse(&sent, PROJECT_ADDED).unwrap();
        assert_eq!(event.event_type(), Some(EventType::ProjectAdded));
        let envelope = event.envelope().expect("typed");
        assert_eq!(
            envelope.timestamp.to_rfc3339(),
            "2024-03-11T08:15:42.812345600+00:00"
        );
        assert_eq!(envelope.entity_type, "project");
        assert_eq!(
            envelope.trace_id.as_deref(),
            Some("c0ffee00d15ea5e0b16b00b5feedface")
        );
        let changed: Vec<_> = envelope
            .changes
            .iter()
            .map(|c| c.property.as_str())
            .collect();
        assert_eq!(changed, ["ProjectStatusId", "Name", "UpdatedOn"]);
        assert_eq!(envelope.changes[0].old, None);
        assert_eq!(envelope.changes[1].old, Some(json!("Fair stand")));

        #[cfg(feature = "projects")]
        {
            let Event::ProjectAdded(added) = &event else {
                panic!("{event:?}")
            };
            let project = &added.entity;
            assert_eq!(project.name, "Fair stand 2024");
            let tags: Vec<_> = project
                .tags
                .iter()
                .flatten()
                .map(|t| t.name.as_deref().unwrap())
                .collect();
            assert_eq!(tags, ["print", "trade fair"], "names read as tags");
            let members = project.members.as_ref().unwrap();
            assert_eq!(members[0].first_name.as_deref(), Some("Ada"));
            assert_eq!(project.time_budget, Some(36000));
        }
    }

    #[test]
    fn the_documented_absence_deleted_carries_its_deletion() {
        let (receiver, sent) = workspace();
        let event = receiver.parse(&sent, ABSENCE_DELETED).unwrap();
        assert_eq!(event.event_type(), Some(EventType::AbsenceDeleted));
        let deleted = event
            .envelope()
            .unwrap()
            .deleted
            .expect("deletedOn/By read");
        assert_eq!(
            deleted.by,
            Some(Uuid::from_u128(0x0a3c_0de0_fa4e_4a11_8000_0000_0000_0001))
        );
        assert_eq!(
            deleted.on.unwrap().to_rfc3339(),
            "2024-03-12T16:04:05.123456700+00:00"
        );
        #[cfg(feature = "users")]
        {
            let Event::AbsenceDeleted(absence) = &event else {
                panic!("{event:?}")
            };
            assert_eq!(
                absence.entity.description.as_deref(),
                Some("Easter holidays")
            );
        }

        // The documentation's excerpt shows only the event type and the entity: it
        // reaches the program whole, with the first missing field named.
        let kept = match receiver.parse(&sent, ABSENCE_DELETED_EXCERPT).unwrap() {
            Event::Undecodable(kept) => kept,
            other => panic!("{other:?}"),
        };
        assert_eq!(kept.kind, EventKind::Workspace(EventType::AbsenceDeleted));
        assert_eq!(
            kept.error,
            WebhookError::MissingField { field: "timestamp" }
        );
        assert_eq!(kept.delivery, strict(ABSENCE_DELETED_EXCERPT));
        assert_eq!(kept.event_name(), "absence_deleted");
    }

    fn automation_of(body: &[u8]) -> Automation {
        let (receiver, sent) = automation();
        match receiver.parse(&sent, body).unwrap() {
            Event::Automation(automation) => *automation,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_project_automation_arrives_as_its_own_kind_with_its_project_and_task() {
        let event = Event::from_json(AUTOMATION).unwrap();
        assert_eq!(event.event_name(), "Ready for review");
        assert_eq!(event.event_type(), None);
        assert_eq!(event.trace_id(), Some("be5eec4e0f1d4c3bb2a1908f7e6d5c4b"));

        let run = automation_of(AUTOMATION);
        assert_eq!(run.event_name.as_deref(), Some("Ready for review"));
        assert!(run.project.is_some() && run.task.is_some());
        assert_eq!(
            run.project_id,
            Some(Uuid::from_u128(0x5d2c1b7e_3f4a_4e9b_8c21_7a6f0e9d4b31))
        );
        assert_eq!(
            run.task_id,
            Some(Uuid::from_u128(0x6f1d7c2e_5b1a_4c59_9a57_2f0b9d1e4c11))
        );
        #[cfg(all(feature = "projects", feature = "tasks"))]
        {
            let project = run.project.as_ref().unwrap();
            assert_eq!(project.name, "Fair stand 2024");
            assert_eq!(
                project.tags.as_ref().unwrap()[0].name.as_deref(),
                Some("print")
            );
            let task = run.task.as_ref().unwrap();
            assert_eq!(task.name, "Order the banner");
            assert_eq!(
                task.id,
                Some(Uuid::from_u128(0x6f1d7c2e_5b1a_4c59_9a57_2f0b9d1e4c11))
            );
        }

        // Without an event name, and with the task left empty.
        let bare = automation_of(AUTOMATION_WITHOUT_TASK);
        assert_eq!(bare.event_name, None);
        assert!(bare.task.is_none() && bare.project.is_some());
        assert_eq!((bare.task_id, bare.project_id.is_some()), (None, true));

        // The automation's header is checked like a webhook's.
        let (receiver, _) = automation();
        let err = receiver.parse(&headers(SECRET), AUTOMATION).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the webhook delivery has no api-key header"
        );
    }

    #[test]
    fn an_automation_whose_parts_do_not_fit_is_kept_whole() {
        let body = json!({"eventName": "Moved", "project": {"id": "p-1"}, "task": null});
        match Event::from_json(&bytes(&body)).unwrap() {
            Event::Undecodable(kept) => {
                assert_eq!(kept.kind, EventKind::Automation);
                assert_eq!(kept.event_name(), "Moved");
                assert_eq!(kept.delivery, body);
                assert!(
                    kept.error.to_string().starts_with(
                        "the project automation delivery's project is not a Project: "
                    ),
                    "{}",
                    kept.error
                );
            }
            #[cfg(not(feature = "projects"))]
            Event::Automation(automation) => assert!(automation.project.is_some()),
            other => panic!("{other:?}"),
        }
        let body = json!({"eventName": 7});
        let Event::Undecodable(kept) = Event::from_json(&bytes(&body)).unwrap() else {
            panic!("a name that is not text")
        };
        assert_eq!(kept.event_name(), "");
        assert!(kept.error.to_string().contains("eventName is not a string"));
    }
}

/// Registering and rotating against the contract-judged fake: what awork stores is
/// what the forms say, and the secret is fresh, random and never shown.
mod registration {
    use super::*;
    use awork_api_ext::webhooks::{AuthHeader, SECRET_HEADER};
    use awork_fake::FakeAwork;

    fn stored_authentication(fake: &FakeAwork, id: Uuid) -> String {
        let stored = fake.resources().all("WebhookConfig");
        let config = stored
            .iter()
            .find(|c| c["id"] == json!(id))
            .expect("the fake stored the webhook");
        assert_eq!(config["authenticationType"], "header");
        config["authentication"].as_str().unwrap().to_string()
    }

    #[tokio::test]
    async fn register_always_sets_a_fresh_secret_header_and_returns_it_once() {
        let fake = FakeAwork::start().await;
        let (client, _) = common::fake_client(&fake);
        let logs = common::LogBuffer::default();
        common::keep_callsites_open();
        let _guard = tracing::subscriber::set_default(common::capture(&logs));
        let draft = WebhookDraft::new(
            "Task sync",
            "https://hooks.example.com/awork",
            EventSet::new().with(EventType::TaskAdded),
        );
        let first = client.webhooks().register(&draft).await.unwrap();
        let second = client.webhooks().register(&draft).await.unwrap();

        let secret = first.auth.value.expose_secret().to_string();
        assert_eq!(first.auth.name, SECRET_HEADER);
        assert_eq!(secret.len(), 40);
        assert!(
            secret.chars().all(|c| c.is_ascii_alphanumeric()),
            "{secret}"
        );
        assert_ne!(secret, second.auth.value.expose_secret(), "fresh each time");
        assert_eq!(
            stored_authentication(&fake, first.webhook.id),
            format!("{SECRET_HEADER}={secret}"),
            "awork got header authentication with exactly this secret"
        );

        // The receiver it gives accepts what awork will send, and nothing else.
        let receiver = first.receiver().unwrap();
        let mut sent = http::HeaderMap::new();
        sent.insert(SECRET_HEADER, secret.parse().unwrap());
        assert!(receiver.verify(&sent).is_ok());
        sent.insert(
            SECRET_HEADER,
            second.auth.value.expose_secret().parse().unwrap(),
        );
        assert!(receiver.verify(&sent).is_err());

        for text in [format!("{first:?}"), format!("{receiver:?}"), logs.text()] {
            assert!(!text.contains(&secret), "the secret leaked into: {text}");
        }
    }

    #[tokio::test]
    async fn rotating_replaces_only_the_secret() {
        let fake = FakeAwork::start().await;
        let (client, _) = common::fake_client(&fake);
        let old = AuthHeader::generate("X-Hook-Key").unwrap();
        let created = client
            .webhooks()
            .create(
                &WebhookDraft::new(
                    "Time sync",
                    "https://hooks.example.com/time",
                    EventSet::new()
                        .with(EventType::TimeTrackingAdded)
                        .with(EventType::TimeTrackingDeleted),
                )
                .only_main_entity_changes(true)
                .auth_header(old.name.clone(), old.value.clone()),
            )
            .await
            .unwrap();
        let before = fake.resources().all("WebhookConfig")[0].clone();

        let rotated = client.webhooks().rotate_secret(created.id).await.unwrap();
        assert_eq!(
            rotated.auth.name, "X-Hook-Key",
            "the header it already sent"
        );
        let new = rotated.auth.value.expose_secret();
        assert_ne!(new, old.value.expose_secret());
        assert_eq!(
            stored_authentication(&fake, created.id),
            format!("X-Hook-Key={new}")
        );
        let after = fake.resources().all("WebhookConfig")[0].clone();
        for field in [
            "name",
            "uri",
            "events",
            "isActive",
            "onlyTriggerForMainEntityChanges",
        ] {
            assert_eq!(after[field], before[field], "{field} kept");
        }
        assert_eq!(rotated.webhook.events.len(), 2);
        assert_eq!(fake.requests().count("PUT", "/webhooks/{webhookId}"), 1);

        // While awork may still retry with the old value, accept both.
        let receiver = rotated
            .receiver()
            .unwrap()
            .also_accept(old.value.clone())
            .unwrap();
        for value in [new, old.value.expose_secret()] {
            let mut sent = http::HeaderMap::new();
            sent.insert("x-hook-key", value.parse().unwrap());
            assert!(receiver.verify(&sent).is_ok());
        }

        let unknown = client.webhooks().rotate_secret(Uuid::from_u128(404)).await;
        assert_eq!(unknown.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    }

    #[tokio::test]
    async fn rotating_a_webhook_without_a_header_adds_one_and_keeps_unknown_events() {
        let fake = FakeAwork::start().await;
        let (client, _) = common::fake_client(&fake);
        let seeded = fake
            .resources()
            .insert(
                "WebhookConfig",
                json!({
                    "name": "Made in the web app", "uri": "https://hooks.example.com/ui",
                    "events": "task_added,invoice_paid", "isActive": false,
                    "authenticationType": "none",
                }),
            )
            .unwrap();
        let id: Uuid = serde_json::from_value(seeded["id"].clone()).unwrap();
        let rotated = client.webhooks().rotate_secret(id).await.unwrap();
        assert_eq!(rotated.auth.name, SECRET_HEADER);
        let stored = fake.resources().all("WebhookConfig")[0].clone();
        assert_eq!(stored["events"], "task_added,invoice_paid");
        assert_eq!(stored["isActive"], false);
        assert_eq!(
            stored["authentication"],
            format!("{SECRET_HEADER}={}", rotated.auth.value.expose_secret())
        );
        assert_eq!(rotated.webhook.unknown_events, ["invoice_paid"]);
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

    /// Serves `app` on a free port of 127.0.0.1; its `/awork` URL.
    async fn serve(app: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/awork", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

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
        let url = serve(app).await;
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
        // A delivery that does not fit, or of a type this crate does not know, still
        // reaches the handler, which answers 2xx.
        for body in [
            &b"{\"eventType\": \"task_added\"}"[..],
            b"{\"eventType\": \"invoice_paid\"}",
        ] {
            let answer = post(Some(SECRET), body.to_vec()).await.unwrap();
            assert_eq!(answer.status(), 204);
        }
        let bad = post(Some(SECRET), b"[\"task_added\"]".to_vec())
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        assert_eq!(
            bad.text().await.unwrap(),
            "the webhook delivery is not a JSON object: the body is JSON but not an object (it is an array)"
        );
        assert_eq!(
            *seen.lock().unwrap(),
            ["task_updated", "task_added", "invoice_paid"]
        );
    }

    #[tokio::test]
    async fn the_delivery_extractor_keeps_the_body_for_later() {
        use awork_api_ext::webhooks::axum::AworkDelivery;
        let kept = Arc::new(Mutex::new(Vec::new()));
        let queue = kept.clone();
        let app = Router::new()
            .route(
                "/awork",
                post(move |AworkDelivery(delivery): AworkDelivery| {
                    let queue = queue.clone();
                    async move {
                        queue.lock().unwrap().push(delivery.into_body());
                        http::StatusCode::ACCEPTED
                    }
                }),
            )
            .with_state(receiver());
        let url = serve(app).await;
        let http = reqwest::Client::new();
        let body = bytes(&delivery(EventType::UserAdded));
        let answer = http
            .post(&url)
            .header(HEADER, SECRET)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 202);
        let refused = http.post(&url).header(HEADER, "guess").body(body.clone());
        assert_eq!(refused.send().await.unwrap().status(), 401);
        let not_json = http.post(&url).header(HEADER, SECRET).body("<xml/>");
        assert_eq!(not_json.send().await.unwrap().status(), 400);
        let queued = kept.lock().unwrap().clone();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0], body);
        let event = Event::from_json(&queued[0]).unwrap();
        assert_eq!(event.event_type(), Some(EventType::UserAdded));
    }
}
