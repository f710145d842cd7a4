//! Receives awork webhook deliveries on 127.0.0.1 and prints them.
//!
//! ```sh
//! cargo run -p awork-api-ext --example webhook_receiver          # offline: one sample delivery, then exit
//! AWORK_WEBHOOK_TOKEN=… cargo run -p awork-api-ext --example webhook_receiver -- 8080   # keep listening on 127.0.0.1:8080
//! ```
//!
//! awork signs nothing: a webhook proves it is awork's only by the header it was
//! configured to send (here `X-Awork-Token`, its value from `AWORK_WEBHOOK_TOKEN`).
//! The receiver checks that header in constant time, then decodes the body into a typed
//! [`Event`]; a refused delivery gets 401 or 400, an accepted one 204. awork posts to a
//! public URL, so listening mode needs a tunnel or proxy in front of the port.
//!
//! The server is axum, but the receiving is [`Receiver::parse`] with `http` types,
//! which fits any framework (the crate's `axum` feature also offers an extractor).
//! Offline (no argument), it posts a delivery of its own making to itself, as awork
//! would, prints what it received and exits.

use awork_api_ext::webhooks::{Event, Receiver};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use secrecy::SecretString;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The header the webhook is configured to send.
const HEADER: &str = "X-Awork-Token";
/// The header's value offline, when `AWORK_WEBHOOK_TOKEN` is not set.
const OFFLINE_TOKEN: &str = "offline-sample-token";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
            println!("offline: posting a sample delivery to {url}");
            let status = post_sample(&url, &token).await?;
            println!("the receiver answered {status}");
            if status != StatusCode::NO_CONTENT {
                return Err(format!("the sample delivery was refused ({status})").into());
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

/// One line for the event, one per changed property.
fn print_event(event: &Event) {
    let Some(envelope) = event.envelope() else {
        println!(
            "{} (an event type this crate does not know)",
            event.event_name()
        );
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

/// Posts a `task_status_changed` delivery in awork's shape (our own sample values)
/// with the configured header, as awork would.
async fn post_sample(url: &str, token: &str) -> Result<StatusCode, reqwest::Error> {
    let delivery = serde_json::json!({
        "timestamp": "2024-05-06T09:30:00+02:00",
        "eventType": "task_status_changed",
        "entity": {"id": "6f1d7c2e-5b1a-4c59-9a57-2f0b9d1e4c11", "name": "Draft the brochure"},
        "entityId": "6f1d7c2e-5b1a-4c59-9a57-2f0b9d1e4c11",
        "entityType": "task",
        "entityLink": "https://example.awork.com/tasks/6f1d7c2e-5b1a-4c59-9a57-2f0b9d1e4c11",
        "traceId": "offline-sample",
        "triggeredBy": {"id": "0a3c0de0-fa4e-4a11-8000-000000000001", "firstName": "Ada", "lastName": "Lind"},
        "changes": [{"property": "TaskStatusId", "old": "in-progress", "new": "done"}]
    });
    let response = reqwest::Client::new()
        .post(url)
        .header(HEADER, token)
        .json(&delivery)
        .send()
        .await?;
    Ok(response.status())
}
