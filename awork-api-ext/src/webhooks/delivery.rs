//! The envelope of a webhook delivery: the fields every event has, around its entity.

use super::error::WebhookError;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// One webhook delivery of a known event type, its entity of type `E`.
///
/// Field names follow awork's (camelCase on the wire). `entity_link`, `trace_id`,
/// `triggered_by` and `changes` may be absent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delivery<E> {
    /// When the event happened, with the offset awork sent.
    pub timestamp: DateTime<FixedOffset>,
    /// awork's name of the event type, e.g. `task_updated`.
    pub event_type: String,
    /// The entity the event is about, as awork's API models it.
    pub entity: E,
    /// The entity's id.
    pub entity_id: Uuid,
    /// The kind of entity, e.g. `project`.
    pub entity_type: String,
    /// Where the entity is in awork's web app.
    pub entity_link: Option<String>,
    /// awork's id for the operation that caused the event; quote it to awork support.
    pub trace_id: Option<String>,
    /// Who caused the event.
    pub triggered_by: Option<TriggeredBy>,
    /// What changed, for update events (empty when awork sent none).
    pub changes: Vec<Change>,
    /// When and by whom the entity was deleted, for delete events that say so.
    pub deleted: Option<Deleted>,
}

/// The user who caused an event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TriggeredBy {
    /// The user's id.
    pub id: Option<Uuid>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
}

/// One changed property of an update event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Change {
    /// The property, as awork names it (PascalCase, e.g. `TaskStatusId`).
    pub property: String,
    /// The value before, when awork sent it.
    #[serde(default)]
    pub old: Option<serde_json::Value>,
    /// The value after, when awork sent it.
    #[serde(default)]
    pub new: Option<serde_json::Value>,
}

/// The deletion facts a delete event's entity may carry (`deletedOn`, `deletedBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deleted {
    /// When the entity was deleted.
    pub on: Option<DateTime<FixedOffset>>,
    /// Who deleted it.
    pub by: Option<Uuid>,
}

/// The fields a known event needs to have, checked one by one so that the error names
/// the first one missing.
const REQUIRED: [&str; 5] = ["timestamp", "eventType", "entity", "entityId", "entityType"];

/// A delivery of a known event type whose envelope decoded; its entity is still JSON.
pub(crate) struct RawDelivery(Delivery<serde_json::Value>);

/// The fields of one delivery, read one at a time so that an error names its field.
struct Fields<'a> {
    object: serde_json::Map<String, serde_json::Value>,
    event_type: &'a str,
}

impl Fields<'_> {
    /// Field `name` as `T`; absent or null reads as `T::default()` for optional ones.
    fn take<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, WebhookError> {
        let value = self.object.remove(name).unwrap_or_default();
        serde_json::from_value(value).map_err(|e| WebhookError::InvalidPayload {
            event_type: self.event_type.to_string(),
            message: format!("{name}: {e}"),
        })
    }
}

impl RawDelivery {
    /// Reads the envelope of `value`, a delivery of event type `name`.
    pub(crate) fn from_value(name: &str, value: serde_json::Value) -> Result<Self, WebhookError> {
        for field in REQUIRED {
            if value.get(field).is_none_or(serde_json::Value::is_null) {
                return Err(WebhookError::MissingField { field });
            }
        }
        let serde_json::Value::Object(object) = value else {
            unreachable!("event_name checked that the delivery is an object");
        };
        let mut fields = Fields {
            object,
            event_type: name,
        };
        let entity: serde_json::Value = fields.take("entity")?;
        let deleted = deletion(&entity);
        Ok(Self(Delivery {
            timestamp: fields.take("timestamp")?,
            event_type: fields.take("eventType")?,
            entity,
            entity_id: fields.take("entityId")?,
            entity_type: fields.take("entityType")?,
            entity_link: fields.take("entityLink")?,
            trace_id: fields.take("traceId")?,
            triggered_by: fields.take("triggeredBy")?,
            changes: fields
                .take::<Option<Vec<Change>>>("changes")?
                .unwrap_or_default(),
            deleted,
        }))
    }

    /// The delivery with its entity decoded as `E` (called `model` in errors).
    pub(crate) fn typed<E: DeserializeOwned>(
        self,
        model: &'static str,
    ) -> Result<Delivery<E>, WebhookError> {
        let mut delivery = self.0;
        let json = std::mem::take(&mut delivery.entity);
        let entity: E = serde_json::from_value(json).map_err(|e| WebhookError::InvalidEntity {
            event_type: delivery.event_type.clone(),
            model,
            message: e.to_string(),
        })?;
        Ok(delivery.with_entity(entity))
    }
}

impl<E> Delivery<E> {
    /// The same delivery around another entity.
    fn with_entity<F>(self, entity: F) -> Delivery<F> {
        Delivery {
            timestamp: self.timestamp,
            event_type: self.event_type,
            entity,
            entity_id: self.entity_id,
            entity_type: self.entity_type,
            entity_link: self.entity_link,
            trace_id: self.trace_id,
            triggered_by: self.triggered_by,
            changes: self.changes,
            deleted: self.deleted,
        }
    }

    /// A copy of every field but the entity.
    pub fn without_entity(&self) -> Delivery<()> {
        Delivery {
            timestamp: self.timestamp,
            event_type: self.event_type.clone(),
            entity: (),
            entity_id: self.entity_id,
            entity_type: self.entity_type.clone(),
            entity_link: self.entity_link.clone(),
            trace_id: self.trace_id.clone(),
            triggered_by: self.triggered_by.clone(),
            changes: self.changes.clone(),
            deleted: self.deleted,
        }
    }
}

/// `deletedOn` / `deletedBy` of an entity, when it has either.
fn deletion(entity: &serde_json::Value) -> Option<Deleted> {
    let on = entity
        .get("deletedOn")
        .and_then(serde_json::Value::as_str)
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok());
    let by = entity
        .get("deletedBy")
        .and_then(serde_json::Value::as_str)
        .and_then(|text| Uuid::parse_str(text).ok());
    (on.is_some() || by.is_some()).then_some(Deleted { on, by })
}
