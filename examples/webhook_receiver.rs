//! Receives awork webhook deliveries on 127.0.0.1 and prints them: workspace webhooks
//! and project automations alike, and never loses one.
//!
//! ```sh
//! cargo run -p awork-examples --example webhook_receiver          # offline: three sample deliveries, then exit
//! AWORK_WEBHOOK_TOKEN=… cargo run -p awork-examples --example webhook_receiver -- 8080   # keep listening on 127.0.0.1:8080
//! ```
//!
//! awork signs nothing: a delivery proves it is awork's only by the header it was
//! configured to send. Here that is `X-Awork-Token`, its value from
//! `AWORK_WEBHOOK_TOKEN`: configure a workspace webhook's authentication as
//! `X-Awork-Token=<token>` and a project automation's header as `X-Awork-Token:<token>`
//! (or register the webhook with `client.webhooks().register(..)`, which makes a
//! fresh secret). The receiver checks that header in constant time, then decodes the
//! body. It refuses only a wrong header (401) and a body that is not a JSON object
//! (400); every other delivery is answered 204 and printed — typed when it fits this
//! crate's models, as JSON with the reason (and a logged warning) when it does not, so
//! awork never retries and drops a delivery because of our models. awork posts to a
//! public URL, so listening mode needs a tunnel or proxy in front of the port.
//!
//! The server is axum, but the receiving is [`Receiver::parse`] with `http` types,
//! which fits any framework (the crate's `axum` feature also offers extractors).
//! Offline (no argument), it posts three deliveries of its own making to itself, as
//! awork would — a task event, a project automation, and a task event whose entity does
//! not fit the model — prints what it received and exits.

use awork_api_ext::webhooks::{Event, Receiver};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use secrecy::SecretString;
use serde_json::json;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The header the webhook is configured to send.
const HEADER: &str = "X-Awork-Token";
/// The header's value offline, when `AWORK_WEBHOOK_TOKEN` is not set.
const OFFLINE_TOKEN: &str = "offline-sample-token";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(false).init();
    let port: Option<u16> = match std::env::args().nth(1) {
        Some(arg) => Some(arg.parse().map_err(|_| format!("{arg:?} is not a port"))?),
        None => None,
    };
    let token = std::env::var("AWORK_WEBHOOK_TOKEN").unwrap_or_else(|_| OFFLINE_TOKEN.into());
    let receiver = Arc::new(Receiver::new(HEADER, SecretString::from(token.clone()))?);
    let app = Router::new()
        .route("/awork", post(deliver))
        .with_state(receiver);
    let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0))).await?;
    let url = format!("http://{}/awork", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    match port {
        Some(_) => {
            println!("listening on {url} (header {HEADER}); Ctrl-C stops");
            server.await??;
        }
        None => {
            println!("offline: posting three sample deliveries to {url}");
            for delivery in samples() {
                let status = post_delivery(&url, &token, &delivery).await?;
                println!("  the receiver answered {status}");
                if status != StatusCode::NO_CONTENT {
                    return Err(format!("a sample delivery was refused ({status})").into());
                }
            }
        }
    }
    Ok(())
}

/// The handler: check and decode with the framework-free receiver, print, answer.
async fn deliver(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match receiver.parse(&headers, &body) {
        Ok(event) => {
            print_event(&event);
            StatusCode::NO_CONTENT
        }
        Err(refused) => {
            eprintln!("refused: {refused}");
            refused.status()
        }
    }
}

/// A few lines for the event, whichever its kind.
fn print_event(event: &Event) {
    match event {
        Event::Automation(automation) => {
            let id = |id: Option<uuid::Uuid>| id.map_or("-".to_string(), |id| id.to_string());
            println!(
                "project automation {:?}: project {}, task {}",
                automation.event_name.as_deref().unwrap_or("(unnamed)"),
                id(automation.project_id),
                id(automation.task_id),
            );
        }
        Event::Undecodable(kept) => {
            println!(
                "{} kept as JSON ({} bytes), because {}",
                kept.event_name(),
                kept.delivery.to_string().len(),
                kept.error
            );
            if let Some(envelope) = kept.envelope() {
                println!("  {} {}", envelope.entity_type, envelope.entity_id);
            }
        }
        Event::Unknown(unknown) => {
            println!(
                "{:?}: an event type this crate does not know, kept as JSON",
                unknown.event_type
            );
        }
        typed => print_typed(typed),
    }
}

/// One line for a typed workspace event, one per changed property.
fn print_typed(event: &Event) {
    let Some(envelope) = event.envelope() else {
        return;
    };
    let who = envelope
        .triggered_by
        .as_ref()
        .map(|t| {
            let first = t.first_name.as_deref().unwrap_or("");
            let last = t.last_name.as_deref().unwrap_or("");
            format!("{first} {last}").trim().to_string()
        })
        .unwrap_or_else(|| "someone".into());
    println!(
        "{} at {}: {} {} by {who}",
        event.event_name(),
        envelope.timestamp,
        envelope.entity_type,
        envelope.entity_id
    );
    for change in &envelope.changes {
        let show = |v: &Option<serde_json::Value>| v.as_ref().map_or("-".into(), |v| v.to_string());
        println!(
            "  {}: {} -> {}",
            change.property,
            show(&change.old),
            show(&change.new)
        );
    }
}

/// Three deliveries in the shapes awork documents (our own sample values): a task
/// event, a project automation, and a task event whose `entityId` is not a GUID.
fn samples() -> [serde_json::Value; 3] {
    let task = "6f1d7c2e-5b1a-4c59-9a57-2f0b9d1e4c11";
    let project = "5d2c1b7e-3f4a-4e9b-8c21-7a6f0e9d4b31";
    let event = json!({
        "timestamp": "2024-05-06T09:30:00+02:00",
        "eventType": "task_status_changed",
        "entity": {"id": task, "name": "Draft the brochure"},
        "entityId": task,
        "entityType": "task",
        "entityLink": format!("https://example.awork.com/tasks/{task}"),
        "traceId": "offline-sample",
        "triggeredBy": {"id": "0a3c0de0-fa4e-4a11-8000-000000000001", "firstName": "Ada", "lastName": "Lind"},
        "changes": [{"property": "TaskStatusId", "old": "in-progress", "new": "done"}]
    });
    let automation = json!({
        "eventName": "Ready for review",
        "traceId": "offline-automation",
        "project": {"id": project, "name": "Fair stand 2024"},
        "task": {"id": task, "name": "Draft the brochure"}
    });
    let mut odd = event.clone();
    odd["entityId"] = json!("task-17");
    [event, automation, odd]
}

/// Posts one delivery with the configured header, as awork would.
async fn post_delivery(
    url: &str,
    token: &str,
    delivery: &serde_json::Value,
) -> Result<StatusCode, reqwest::Error> {
    let response = reqwest::Client::new()
        .post(url)
        .header(HEADER, token)
        .json(delivery)
        .send()
        .await?;
    Ok(response.status())
}
