//! Webhook deliveries of both kinds, and the header that authenticates them.
//!
//! Inputs: deliveries of every event type around entities made from awork's contract
//! (which must come out typed), project automations likewise, awork's documented
//! examples (our fixtures), and mutations of all of them. The rules: only a body that
//! is not a JSON object is refused, with the strict reader's complaint; every JSON
//! object comes out as an [`Event`] of the kind it names, and one left untyped carries
//! the delivery whole; checking now and decoding later gives the same event.

use super::input::{self, Body, Samples, guid, pick};
use super::{Verdict, clear_refusal, run};
use crate::webhooks::{Event, EventKind, EventType, Receiver, WebhookError};
use awork_fake::contract::Api;
use rand::Rng;
use rand::rngs::SmallRng;
use secrecy::SecretString;
use serde_json::{Map, Value, json};

/// awork's documented deliveries, as the webhook tests have them.
const FIXTURES: [&[u8]; 5] = [
    include_bytes!("../../tests/fixtures/webhooks/project_added.json"),
    include_bytes!("../../tests/fixtures/webhooks/absence_deleted.json"),
    include_bytes!("../../tests/fixtures/webhooks/absence_deleted_excerpt.json"),
    include_bytes!("../../tests/fixtures/webhooks/automation.json"),
    include_bytes!("../../tests/fixtures/webhooks/automation_without_task.json"),
];

const HEADER: &str = "X-Awork-Token";
const SECRET: &str = "fuzz-secret-0123456789";

/// The contract's model of an event's entity (our reading, as in `entity`); `None`
/// for task assignments, which awork documents no model for.
fn model_of(event: EventType) -> Option<&'static str> {
    let name = event.as_str();
    let models = [
        ("absence_", "Absence"),
        ("company_", "Company"),
        ("projectmember_", "ProjectMember"),
        ("project_comment_", "Comment"),
        ("task_comment_", "Comment"),
        ("project_", "Project"),
        ("taskassignment_", ""),
        ("tasklist_", "TaskList"),
        ("task_", "TaskModel"),
        ("timetracking_", "TimeTracking"),
        ("user_", "User"),
    ];
    let (_, model) = models.iter().find(|(prefix, _)| name.starts_with(prefix))?;
    Some(model).filter(|m| !m.is_empty()).copied()
}

/// A workspace delivery in awork's documented shape around a contract-made entity.
fn workspace_delivery(rng: &mut SmallRng, entities: &mut Samples) -> Value {
    let event = *pick(rng, EventType::ALL);
    let entity = match model_of(event) {
        Some(model) => entities.of(rng, model),
        None => json!({"taskId": guid(rng), "userId": guid(rng)}),
    };
    let mut delivery = json!({
        "timestamp": input::timestamp(rng),
        "eventType": event.as_str(),
        "entity": entity,
        "entityId": guid(rng),
        "entityType": event.as_str().split('_').next().unwrap_or_default(),
    });
    let optional = [
        (
            "entityLink",
            json!(format!("https://example.awork.com/x/{}", guid(rng))),
        ),
        ("traceId", json!(format!("{:032x}", rng.random::<u128>()))),
        (
            "triggeredBy",
            json!({"id": guid(rng), "firstName": input::text(rng), "lastName": null}),
        ),
        (
            "changes",
            json!([{"property": "Name", "old": input::json(rng, 1), "new": input::json(rng, 1)}, {"property": "DueOn"}]),
        ),
    ];
    for (field, value) in optional {
        match rng.random_range(0..3) {
            0 => {}
            1 => delivery[field] = Value::Null,
            _ => delivery[field] = value,
        }
    }
    delivery
}

/// A project automation's delivery around contract-made project and task.
fn automation_delivery(rng: &mut SmallRng, entities: &mut Samples) -> Value {
    let mut delivery = Map::new();
    match rng.random_range(0..4) {
        0 => {}
        1 => drop(delivery.insert("eventName".into(), Value::Null)),
        _ => drop(delivery.insert("eventName".into(), json!(input::text(rng)))),
    }
    if rng.random() {
        delivery.insert(
            "traceId".into(),
            json!(format!("{:032x}", rng.random::<u128>())),
        );
    }
    delivery.insert("project".into(), entities.of(rng, "Project"));
    match rng.random_range(0..5) {
        0 => {}
        1 => drop(delivery.insert("task".into(), Value::Null)),
        2 => drop(delivery.insert("task".into(), json!({}))),
        _ => drop(delivery.insert("task".into(), entities.of(rng, "TaskModel"))),
    }
    Value::Object(delivery)
}

fn receiver() -> Receiver {
    Receiver::new(HEADER, SecretString::from(SECRET)).unwrap()
}

fn sent() -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(HEADER, http::HeaderValue::from_static(SECRET));
    headers
}

/// The rules every delivery keeps, whichever its kind.
fn judge(receiver: &Receiver, headers: &http::HeaderMap, body: &Body) -> Verdict {
    let parsed = receiver.parse(headers, &body.bytes);
    let verified = receiver.verify_delivery(headers, body.bytes.clone());
    let strict = serde_json::from_slice::<Value>(&body.bytes);
    match (parsed, verified) {
        (Err(error), Err(again)) => {
            assert_eq!(error, again, "parse and verify_delivery refuse alike");
            assert!(matches!(error, WebhookError::NotJson { .. }), "{error:?}");
            assert_eq!(error.status(), 400);
            assert!(
                !matches!(strict, Ok(Value::Object(_))),
                "a JSON object was refused: {error}"
            );
            assert!(
                !body.allowed,
                "a delivery awork's contract allows was refused"
            );
            clear_refusal(&error, &[SECRET])
        }
        (Ok(event), Ok(verified)) => {
            let later = verified.parse();
            assert_eq!(
                format!("{later:?}"),
                format!("{event:?}"),
                "decoding later gives the same event"
            );
            if let Ok(value) = &strict {
                assert!(
                    value.is_object(),
                    "a body that is not an object was let through"
                );
            }
            let object =
                crate::webhooks::body::object(&body.bytes).expect("accepted, so an object");
            keeps(&object, &event);
            if body.allowed {
                assert!(
                    matches!(event, Event::Automation(_)) || event.envelope().is_some(),
                    "a delivery awork's contract allows is typed: {event:?}"
                );
            }
            Verdict::Accepted
        }
        (parsed, verified) => panic!(
            "parse and verify_delivery disagree: {:?} / {:?}",
            parsed.map(|e| e.event_name().to_string()),
            verified.map(|_| ())
        ),
    }
}

/// What the event must hold of `object`, the delivery as read.
fn keeps(object: &Map<String, Value>, event: &Event) {
    let whole = Value::Object(object.clone());
    let named = object.get("eventType").and_then(Value::as_str);
    match (named.and_then(|n| EventType::from_name(n.trim())), event) {
        (known, Event::Undecodable(kept)) => {
            let kind = known.map_or(EventKind::Automation, EventKind::Workspace);
            assert_eq!(kept.kind, kind);
            assert_eq!(kept.delivery, whole, "an untyped delivery is kept whole");
            if known.is_some() {
                assert_eq!(Some(kept.event_name()), named);
            }
            clear_refusal(&kept.error, &[SECRET]);
        }
        (Some(known), typed) => {
            assert_eq!(typed.event_type(), Some(known), "{typed:?}");
            let envelope = typed.envelope().expect("typed");
            assert_eq!(Some(envelope.event_type.as_str()), named);
            let id = object["entityId"].as_str().map(uuid::Uuid::parse_str);
            assert_eq!(id.and_then(Result::ok), Some(envelope.entity_id));
        }
        (None, Event::Unknown(unknown)) => {
            assert_eq!(unknown.delivery, whole);
            assert_eq!(unknown.event_type, named.unwrap_or_default());
            assert!(named.is_some() || !crate::webhooks::automation::is_automation(object));
        }
        (None, Event::Automation(automation)) => {
            assert!(named.is_none() && crate::webhooks::automation::is_automation(object));
            let id = |field: &str| {
                object
                    .get(field)
                    .and_then(|part| part.get("id"))
                    .and_then(Value::as_str)
                    .and_then(|id| uuid::Uuid::parse_str(id).ok())
            };
            assert_eq!(automation.project_id, id("project"));
            assert_eq!(automation.task_id, id("task"));
        }
        (None, other) => panic!("typed without a known eventType: {other:?}"),
    }
}

/// Runs `target` on deliveries that `make` shapes around contract-made models.
fn deliveries(target: &str, make: fn(&mut SmallRng, &mut Samples) -> Value) {
    let (receiver, headers) = (receiver(), sent());
    let mut samples = Samples::new(Api::V1);
    run(
        target,
        |rng| {
            let delivery = make(rng, &mut samples);
            input::body_of(rng, delivery, &FIXTURES)
        },
        |body| judge(&receiver, &headers, body),
    );
}

#[test]
fn fuzz_webhook_delivery() {
    deliveries("webhook_delivery", workspace_delivery);
}

#[test]
fn fuzz_automation_delivery() {
    deliveries("automation_delivery", automation_delivery);
}

/// One case of the header check: the secret configured, the values sent.
#[derive(Debug)]
struct Sent {
    secret: String,
    values: Vec<Vec<u8>>,
}

/// A value like `secret`: itself, cut, grown, one byte off, cased otherwise, or noise.
fn near(rng: &mut SmallRng, secret: &str) -> Vec<u8> {
    let mut value = secret.as_bytes().to_vec();
    match rng.random_range(0..7) {
        0 => {}
        1 => value.truncate(rng.random_range(0..value.len())),
        2 => value.push(*pick(rng, b"a0 \t=")),
        3 => {
            let at = rng.random_range(0..value.len());
            value[at] ^= 1 << rng.random_range(0..7);
        }
        4 => value.make_ascii_uppercase(),
        5 => value = input::text(rng).into_bytes(),
        _ => value = input::mutate_bytes(rng, &value, &[]),
    }
    value
}

#[test]
fn fuzz_webhook_auth_header() {
    run(
        "webhook_auth_header",
        |rng| {
            let secret: String = (0..rng.random_range(8..64))
                .map(|_| char::from(rng.random_range(0x21u8..0x7f)))
                .collect();
            let values = (0..rng.random_range(0..4))
                .map(|_| near(rng, &secret))
                .collect();
            Sent { secret, values }
        },
        |sent| {
            let receiver = Receiver::new(HEADER, SecretString::from(sent.secret.clone()))
                .expect("a visible-ASCII secret is a valid header value");
            let mut headers = http::HeaderMap::new();
            headers.insert("x-other", http::HeaderValue::from_static("noise"));
            let mut carried = Vec::new();
            for value in &sent.values {
                if let Ok(value) = http::HeaderValue::from_bytes(value) {
                    carried.push(value.as_bytes().to_vec());
                    headers.append(HEADER, value);
                }
            }
            let expected = carried.iter().any(|v| v == sent.secret.as_bytes());
            match receiver.verify(&headers) {
                Ok(()) => {
                    assert!(expected, "a wrong header was accepted");
                    Verdict::Accepted
                }
                Err(error) => {
                    assert!(!expected, "the right header was refused: {error}");
                    assert_eq!(error.status(), 401);
                    assert!(error.to_string().contains("x-awork-token"), "{error}");
                    let shown: Vec<String> = carried
                        .iter()
                        .map(|v| String::from_utf8_lossy(v).into_owned())
                        .chain([sent.secret.clone()])
                        .filter(|v| v.trim().len() >= 8)
                        .collect();
                    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
                    clear_refusal(&error, &shown)
                }
            }
        },
    );
}
