//! Creating, changing, reading and deleting webhooks, with the events as a typed set
//! and the authentication header's value kept secret.
//!
//! awork's webhook configuration holds the events as one comma-separated string and the
//! authentication as `headername=headervalue`; [`EventSet`] and [`AuthHeader`] write and
//! read those forms. The header's value is a [`SecretString`]: it never shows in `Debug`,
//! in errors or in traces (awork sends it back in every configuration it answers with, so
//! an answer that cannot be decoded is reported without its body).

use super::events::EventType;
use crate::client::{Api, AworkClient};
use crate::error::Error;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt;
use uuid::Uuid;

/// A set of webhook event types; awork's form is the names joined by commas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSet(BTreeSet<EventType>);

impl EventSet {
    /// No events.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every event type this crate knows.
    pub fn all() -> Self {
        EventType::ALL.iter().copied().collect()
    }

    /// The set with `event` added.
    pub fn with(mut self, event: EventType) -> Self {
        self.0.insert(event);
        self
    }

    /// Whether `event` is in the set.
    pub fn contains(&self, event: EventType) -> bool {
        self.0.contains(&event)
    }

    /// The events, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = EventType> + '_ {
        self.0.iter().copied()
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// awork's form: `task_added,task_updated`.
    pub fn to_awork(&self) -> String {
        self.iter()
            .map(EventType::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads awork's form; the names this crate does not know come back separately.
    pub fn from_awork(text: &str) -> (Self, Vec<String>) {
        let mut known = Self::new();
        let mut unknown = Vec::new();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match EventType::from_name(name) {
                Some(event) => known = known.with(event),
                None => unknown.push(name.to_string()),
            }
        }
        (known, unknown)
    }
}

impl FromIterator<EventType> for EventSet {
    fn from_iter<I: IntoIterator<Item = EventType>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl fmt::Display for EventSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_awork())
    }
}

/// The header awork sends with every delivery of a webhook, and its secret value.
#[derive(Clone)]
pub struct AuthHeader {
    /// The header's name, e.g. `X-Awork-Token`.
    pub name: String,
    /// The header's value.
    pub value: SecretString,
}

impl AuthHeader {
    /// awork's form, `name=value`: the one place the value is exposed, to send it.
    fn to_awork(&self) -> String {
        format!("{}={}", self.name, self.value.expose_secret())
    }

    /// Reads awork's `name=value` (split at the first `=`).
    fn from_awork(text: String) -> Option<Self> {
        let secret = SecretString::from(text);
        let (name, value) = secret.expose_secret().split_once('=')?;
        Some(Self {
            name: name.to_string(),
            value: SecretString::from(value.to_string()),
        })
    }

    /// Checks what awork and HTTP need: a header name without `=`, a value a header
    /// can carry.
    fn check(&self) -> Result<(), Error> {
        if http::HeaderName::from_bytes(self.name.as_bytes()).is_err() || self.name.contains('=') {
            return Err(Error::validation(
                "auth_header",
                format!("{:?} is not an HTTP header name", self.name),
            ));
        }
        let value = self.value.expose_secret();
        if value.is_empty() || http::HeaderValue::from_str(value).is_err() {
            return Err(Error::validation(
                "auth_header",
                "the value is empty or has characters a header cannot carry",
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for AuthHeader {
    /// The name; the value is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthHeader")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// A webhook to create or to replace an existing one with.
///
/// ```
/// use awork_api_ext::webhooks::{EventSet, EventType, WebhookDraft};
/// use secrecy::SecretString;
///
/// let draft = WebhookDraft::new(
///     "Task sync",
///     "https://hooks.example.com/awork",
///     EventSet::new().with(EventType::TaskAdded).with(EventType::TaskUpdated),
/// )
/// .auth_header("X-Awork-Token", SecretString::from("s3cret"));
/// assert!(!format!("{draft:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct WebhookDraft {
    name: String,
    uri: String,
    events: EventSet,
    active: bool,
    only_main_entity_changes: bool,
    language: Option<String>,
    auth: Option<AuthHeader>,
}

impl WebhookDraft {
    /// An active webhook called `name` that posts `events` to `uri`, without
    /// authentication until [`auth_header`](Self::auth_header) adds it.
    pub fn new(name: impl Into<String>, uri: impl Into<String>, events: EventSet) -> Self {
        Self {
            name: name.into(),
            uri: uri.into(),
            events,
            active: true,
            only_main_entity_changes: false,
            language: None,
            auth: None,
        }
    }

    /// Has awork send header `name` with `value` on every delivery; check it with a
    /// [`Receiver`](super::Receiver).
    pub fn auth_header(mut self, name: impl Into<String>, value: SecretString) -> Self {
        self.auth = Some(AuthHeader {
            name: name.into(),
            value,
        });
        self
    }

    /// Whether awork delivers events (default: yes).
    pub fn active(mut self, active: bool) -> Self {
        self.active = active;
        self
    }

    /// Whether awork fires only for changes of the main entity (default: no).
    pub fn only_main_entity_changes(mut self, only: bool) -> Self {
        self.only_main_entity_changes = only;
        self
    }

    /// The language of the messages (for Slack webhooks), e.g. `en-GB`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// awork's `WebhookConfigForm`, after checking every field.
    fn to_form(&self) -> Result<serde_json::Value, Error> {
        if self.name.trim().is_empty() {
            return Err(Error::validation("name", "is empty"));
        }
        check_uri(&self.uri)?;
        if self.events.is_empty() {
            return Err(Error::validation("events", "name at least one event type"));
        }
        if let Some(auth) = &self.auth {
            auth.check()?;
        }
        Ok(json!({
            "name": self.name.trim(),
            "uri": self.uri,
            "events": self.events.to_awork(),
            "isActive": self.active,
            "onlyTriggerForMainEntityChanges": self.only_main_entity_changes,
            "language": self.language,
            "authenticationType": if self.auth.is_some() { "header" } else { "none" },
            "authentication": self.auth.as_ref().map(AuthHeader::to_awork),
        }))
    }
}

/// An absolute `http` or `https` URL.
fn check_uri(uri: &str) -> Result<(), Error> {
    match reqwest::Url::parse(uri) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(()),
        Ok(_) => Err(Error::validation(
            "uri",
            format!("{uri:?} is not an http(s) URL"),
        )),
        Err(e) => Err(Error::validation(
            "uri",
            format!("{uri:?} is not a URL: {e}"),
        )),
    }
}

/// A webhook as awork keeps it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Webhook {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Where deliveries go.
    pub uri: String,
    /// The events it fires for, of the types this crate knows.
    pub events: EventSet,
    /// Event names in its configuration that this crate does not know.
    pub unknown_events: Vec<String>,
    /// Whether it delivers.
    pub is_active: bool,
    /// Whether it fires only for changes of the main entity.
    pub only_trigger_for_main_entity_changes: bool,
    /// The header it sends, with its (secret) value.
    pub auth_header: Option<AuthHeader>,
    /// `custom` or `slack`, as awork infers from the URL.
    pub receiver_type: Option<String>,
    /// The language of Slack messages.
    pub language: Option<String>,
    /// Why the last delivery failed, if it did.
    pub last_failure_reason: Option<String>,
    /// When it was created.
    pub created_on: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_on: Option<DateTime<Utc>>,
}

/// awork's `WebhookConfig`, read leniently. No `Debug`: it holds the header's value.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookConfig {
    id: Uuid,
    #[serde(default)]
    name: String,
    #[serde(default)]
    uri: String,
    #[serde(default)]
    events: String,
    #[serde(default)]
    is_active: bool,
    #[serde(default)]
    only_trigger_for_main_entity_changes: bool,
    #[serde(default)]
    authentication: Option<String>,
    #[serde(default)]
    receiver_type: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    last_failure_reason: Option<String>,
    #[serde(default)]
    created_on: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_on: Option<DateTime<Utc>>,
}

impl From<WebhookConfig> for Webhook {
    fn from(config: WebhookConfig) -> Self {
        let (events, unknown_events) = EventSet::from_awork(&config.events);
        Self {
            id: config.id,
            name: config.name,
            uri: config.uri,
            events,
            unknown_events,
            is_active: config.is_active,
            only_trigger_for_main_entity_changes: config.only_trigger_for_main_entity_changes,
            auth_header: config.authentication.and_then(AuthHeader::from_awork),
            receiver_type: config.receiver_type,
            language: config.language,
            last_failure_reason: config.last_failure_reason,
            created_on: config.created_on,
            updated_on: config.updated_on,
        }
    }
}

/// The webhooks of one client: `client.webhooks()`. Needs no Cargo feature.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    client: &'a AworkClient,
}

impl AworkClient {
    /// Managing awork's webhooks (create, replace, read, delete).
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

impl Webhooks<'_> {
    /// Creates a webhook; the draft is checked first, and nothing is sent if it fails.
    pub async fn create(&self, draft: &WebhookDraft) -> Result<Webhook, Error> {
        let form = draft.to_form()?;
        self.send(
            reqwest::Method::POST,
            "/webhooks",
            Some(form),
            "post_webhook",
        )
        .await
    }

    /// Replaces webhook `id` with `draft`.
    pub async fn update(&self, id: Uuid, draft: &WebhookDraft) -> Result<Webhook, Error> {
        let form = draft.to_form()?;
        let path = format!("/webhooks/{}", checked_id(id)?);
        self.send(reqwest::Method::PUT, &path, Some(form), "put_webhook")
            .await
    }

    /// Reads webhook `id`.
    pub async fn get(&self, id: Uuid) -> Result<Webhook, Error> {
        let path = format!("/webhooks/{}", checked_id(id)?);
        self.send(reqwest::Method::GET, &path, None, "get_webhook")
            .await
    }

    /// Every webhook of the workspace.
    pub async fn list(&self) -> Result<Vec<Webhook>, Error> {
        let configs: Vec<WebhookConfig> = self
            .exchange(reqwest::Method::GET, "/webhooks", None, "get_webhooks")
            .await?;
        Ok(configs.into_iter().map(Webhook::from).collect())
    }

    /// Deletes webhook `id`.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        let path = format!("/webhooks/{}", checked_id(id)?);
        self.client
            .request(Api::V1, reqwest::Method::DELETE, &path, "delete_webhook")
            .send()
            .await?;
        Ok(())
    }

    /// One request answered by one configuration.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        operation_id: &'static str,
    ) -> Result<Webhook, Error> {
        let config: WebhookConfig = self.exchange(method, path, body, operation_id).await?;
        Ok(config.into())
    }

    /// Sends and decodes. A body that does not decode is reported without an excerpt:
    /// it holds the authentication header's value.
    async fn exchange<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        operation_id: &'static str,
    ) -> Result<T, Error> {
        let request = self.client.request(Api::V1, method, path, operation_id);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let response = request.send().await?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(Error::from_reqwest)?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
            status: Some(status),
            message: format!(
                "not a webhook configuration (line {}, column {})",
                e.line(),
                e.column()
            ),
            excerpt: "<not shown: webhook configurations carry the auth header value>".into(),
            source: None,
        })
    }
}

/// `id`, unless it is the nil GUID, which names no webhook.
fn checked_id(id: Uuid) -> Result<Uuid, Error> {
    if id.is_nil() {
        return Err(Error::validation("id", "the nil GUID names no webhook"));
    }
    Ok(id)
}
