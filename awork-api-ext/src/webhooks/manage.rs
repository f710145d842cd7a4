//! Creating, changing, reading and deleting webhooks, with the events as a typed set
//! and the authentication header's value kept secret.
//!
//! Safe by default: [`Webhooks::register`] always configures header authentication
//! with a fresh random secret, [`Webhooks::rotate_secret`] replaces it, and
//! [`Webhooks::create`] refuses a draft that has no authentication unless it says so
//! ([`WebhookDraft::without_auth`]). A webhook without authentication takes deliveries
//! from anyone who learns its URL: awork signs nothing.
//!
//! awork's webhook configuration holds the events as one comma-separated string and the
//! authentication as `headername=headervalue`; [`EventSet`] and [`AuthHeader`] write and
//! read those forms. The header's value is a [`SecretString`]: it never shows in `Debug`,
//! in errors or in traces (awork sends it back in every configuration it answers with, so
//! an answer that cannot be decoded is reported without its body).

use super::events::EventType;
use super::receiver::Receiver;
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

/// The header [`Webhooks::register`] and [`Webhooks::rotate_secret`] put the secret in
/// (when the webhook has no header of its own yet).
pub const SECRET_HEADER: &str = "X-Awork-Secret";

/// How many characters a generated secret has: letters and digits, about 238 bits.
const SECRET_CHARS: usize = 40;

impl AuthHeader {
    /// Header `name` with a fresh random value: 40 letters and digits from a
    /// cryptographically secure generator seeded by the operating system. A name HTTP
    /// cannot carry (or one with `=`, which awork's form cannot hold) is an error.
    pub fn generate(name: impl Into<String>) -> Result<Self, Error> {
        use rand::Rng;
        let value: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(SECRET_CHARS)
            .map(char::from)
            .collect();
        let header = Self {
            name: name.into(),
            value: SecretString::from(value),
        };
        header.check()?;
        Ok(header)
    }

    /// A [`Receiver`] that accepts this header with this value.
    pub fn receiver(&self) -> Result<Receiver, Error> {
        Receiver::new(&self.name, self.value.clone())
    }

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
    unauthenticated: bool,
}

impl WebhookDraft {
    /// An active webhook called `name` that posts `events` to `uri`.
    ///
    /// [`Webhooks::register`] gives it a fresh secret header; for
    /// [`Webhooks::create`] and [`Webhooks::update`], say how deliveries prove they
    /// are awork's: [`auth_header`](Self::auth_header), or
    /// [`without_auth`](Self::without_auth).
    pub fn new(name: impl Into<String>, uri: impl Into<String>, events: EventSet) -> Self {
        Self {
            name: name.into(),
            uri: uri.into(),
            events,
            active: true,
            only_main_entity_changes: false,
            language: None,
            auth: None,
            unauthenticated: false,
        }
    }

    /// Has awork send header `name` with `value` on every delivery; check it with a
    /// [`Receiver`]. ([`AuthHeader::generate`] makes a value.)
    pub fn auth_header(mut self, name: impl Into<String>, value: SecretString) -> Self {
        self.auth = Some(AuthHeader {
            name: name.into(),
            value,
        });
        self.unauthenticated = false;
        self
    }

    /// Has awork send deliveries without an authentication header: anyone who learns
    /// the URL can then post events to it. Only for receivers that cannot check a
    /// header (a Slack webhook, say).
    pub fn without_auth(mut self) -> Self {
        self.auth = None;
        self.unauthenticated = true;
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

    /// awork's `WebhookConfigForm` with the draft's own authentication, after checking
    /// every field.
    fn to_form(&self) -> Result<serde_json::Value, Error> {
        if self.auth.is_none() && !self.unauthenticated {
            return Err(Error::validation(
                "auth",
                "the draft says nothing about authentication, and a webhook without it takes \
                 deliveries from anyone who learns its URL: use Webhooks::register (a fresh \
                 secret), auth_header(..), or say without_auth()",
            ));
        }
        self.form_with(self.auth.as_ref())
    }

    /// awork's `WebhookConfigForm` with header `auth` (or none), after checking every
    /// field.
    fn form_with(&self, auth: Option<&AuthHeader>) -> Result<serde_json::Value, Error> {
        if self.name.trim().is_empty() {
            return Err(Error::validation("name", "is empty"));
        }
        check_uri(&self.uri)?;
        if self.events.is_empty() {
            return Err(Error::validation("events", "name at least one event type"));
        }
        if let Some(auth) = auth {
            auth.check()?;
        }
        Ok(json!({
            "name": self.name.trim(),
            "uri": self.uri,
            "events": self.events.to_awork(),
            "isActive": self.active,
            "onlyTriggerForMainEntityChanges": self.only_main_entity_changes,
            "language": self.language,
            "authenticationType": if auth.is_some() { "header" } else { "none" },
            "authentication": auth.map(AuthHeader::to_awork),
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

impl WebhookConfig {
    /// The form that keeps this configuration as it is (its event names included,
    /// those this crate does not know too) but for the header, which becomes `auth`.
    fn form_with(&self, auth: &AuthHeader) -> serde_json::Value {
        json!({
            "name": self.name,
            "uri": self.uri,
            "events": self.events,
            "isActive": self.is_active,
            "onlyTriggerForMainEntityChanges": self.only_trigger_for_main_entity_changes,
            "language": self.language,
            "authenticationType": "header",
            "authentication": auth.to_awork(),
        })
    }

    /// The name of the header it sends, when it sends one.
    fn header_name(&self) -> Option<String> {
        let header = AuthHeader::from_awork(self.authentication.clone()?)?;
        Some(header.name.trim().to_string()).filter(|name| !name.is_empty())
    }
}

/// A webhook registered (or whose secret was rotated) by this crate, with the header
/// and the fresh secret awork will send. The secret is shown here once: keep it where
/// the receiver can read it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Registered {
    /// The webhook, as awork answered.
    pub webhook: Webhook,
    /// The header awork sends with every delivery, and its new secret value.
    pub auth: AuthHeader,
}

impl Registered {
    /// A [`Receiver`] that accepts the new secret.
    pub fn receiver(&self) -> Result<Receiver, Error> {
        self.auth.receiver()
    }
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
    /// Registers a workspace webhook that authenticates its deliveries: header
    /// [`SECRET_HEADER`] with a fresh random secret ([`AuthHeader::generate`]), which
    /// comes back in [`Registered::auth`]. The draft must leave authentication out
    /// (a validation error otherwise); it is checked first, and nothing is sent if it
    /// fails.
    ///
    /// ```no_run
    /// use awork_api_ext::webhooks::{EventSet, EventType, WebhookDraft};
    ///
    /// # async fn demo(client: awork_api_ext::AworkClient) -> Result<(), awork_api_ext::Error> {
    /// let draft = WebhookDraft::new("Task sync", "https://hooks.example.com/awork", EventSet::new().with(EventType::TaskAdded));
    /// let registered = client.webhooks().register(&draft).await?;
    /// let receiver = registered.receiver()?; // store registered.auth.value as a secret
    /// # let _ = receiver; Ok(()) }
    /// ```
    pub async fn register(&self, draft: &WebhookDraft) -> Result<Registered, Error> {
        if draft.auth.is_some() || draft.unauthenticated {
            return Err(Error::validation(
                "auth",
                "register sets the header itself, with a fresh secret: leave auth_header and \
                 without_auth out of the draft (or use create)",
            ));
        }
        let auth = AuthHeader::generate(SECRET_HEADER)?;
        let form = draft.form_with(Some(&auth))?;
        let webhook = self
            .send(
                reqwest::Method::POST,
                "/webhooks",
                Some(form),
                "post_webhook",
            )
            .await?;
        Ok(Registered { webhook, auth })
    }

    /// Gives webhook `id` a fresh random secret, in the header it already sends (or
    /// [`SECRET_HEADER`] if it sends none), and keeps the rest of its configuration
    /// as awork has it (event names this crate does not know included).
    ///
    /// awork may still retry earlier deliveries with the old secret: for a while,
    /// have the receiver accept both ([`Receiver::also_accept`]).
    pub async fn rotate_secret(&self, id: Uuid) -> Result<Registered, Error> {
        let path = format!("/webhooks/{}", checked_id(id)?);
        let config: WebhookConfig = self
            .exchange(reqwest::Method::GET, &path, None, "get_webhook")
            .await?;
        let name = config
            .header_name()
            .unwrap_or_else(|| SECRET_HEADER.to_string());
        let auth = AuthHeader::generate(name)?;
        let form = config.form_with(&auth);
        let webhook = self
            .send(reqwest::Method::PUT, &path, Some(form), "put_webhook")
            .await?;
        Ok(Registered { webhook, auth })
    }

    /// Creates a webhook; the draft is checked first, and nothing is sent if it fails
    /// (one that says nothing about authentication fails: see [`WebhookDraft::new`]).
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
        read_answer(status, &bytes)
    }
}

/// Reads an answer of the webhook routes. A body that does not decode is reported
/// without an excerpt, and without the decoder's words unless they only name a
/// missing field: the body holds the authentication header's value, and the decoder
/// may quote it.
fn read_answer<T: serde::de::DeserializeOwned>(
    status: reqwest::StatusCode,
    bytes: &[u8],
) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| {
        let said = e.to_string();
        let what = match said.split_once(" at line ") {
            Some((missing, _)) if missing.starts_with("missing field `") => missing,
            _ => "not a webhook configuration",
        };
        Error::Decode {
            status: Some(status),
            message: format!("{what} (line {}, column {})", e.line(), e.column()),
            excerpt: "<not shown: webhook configurations carry the auth header value>".into(),
            source: None,
        }
    })
}

/// `id`, unless it is the nil GUID, which names no webhook.
fn checked_id(id: Uuid) -> Result<Uuid, Error> {
    if id.is_nil() {
        return Err(Error::validation("id", "the nil GUID names no webhook"));
    }
    Ok(id)
}

/// The answers of the webhook routes, fuzzed (see `crate::fuzz`): configurations made
/// from awork's contract decode, or fail naming the field they lack; broken ones fail
/// with a message; none shows the header's value.
#[cfg(test)]
mod fuzz {
    use super::*;
    use crate::fuzz::input::Samples;
    use crate::fuzz::{Verdict, clear_refusal, run};
    use awork_fake::contract::Api;

    #[test]
    fn fuzz_answer_webhook_config() {
        let mut samples = Samples::new(Api::V1);
        run(
            "answer_webhook_config",
            |rng| crate::fuzz::answers::body(rng, &mut samples, "WebhookConfig"),
            |body| {
                let value: Option<serde_json::Value> = serde_json::from_slice(&body.bytes).ok();
                let sent = value.as_ref().map(|v| v.to_string()).unwrap_or_default();
                // The header's value, where it stands nowhere else in the answer.
                let secret = value
                    .as_ref()
                    .and_then(|v| v["authentication"].as_str())
                    .and_then(|auth| auth.split_once('=').map(|(_, value)| value.to_string()))
                    .filter(|secret| {
                        secret.len() >= 8 && sent.matches(secret.as_str()).count() == 1
                    })
                    .unwrap_or_default();
                match read_answer::<WebhookConfig>(reqwest::StatusCode::OK, &body.bytes) {
                    Ok(config) => {
                        let webhook = Webhook::from(config);
                        if !secret.is_empty() {
                            assert!(!format!("{webhook:?}").contains(&secret));
                        }
                        Verdict::Accepted
                    }
                    Err(error) => {
                        if body.allowed {
                            assert!(
                                error.to_string().contains("missing field `id`"),
                                "an answer the contract allows fails for no named reason: {error}"
                            );
                        }
                        clear_refusal(&error, &[&secret])
                    }
                }
            },
        );
    }
}
