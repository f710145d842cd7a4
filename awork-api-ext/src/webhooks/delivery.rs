//! The envelope of a webhook delivery: the fields every event has, around its entity.

use super::error::WebhookError;
use crate::error::one_line;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
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

/// Reads field `name` of a delivery of `event_type` as `T`; absent reads as null.
fn field<T: DeserializeOwned>(
    object: &Map<String, Value>,
    name: &'static str,
    event_type: &str,
) -> Result<T, WebhookError> {
    T::deserialize(object.get(name).unwrap_or(&Value::Null)).map_err(|e| {
        WebhookError::InvalidPayload {
            event_type: event_type.to_string(),
            message: format!("{name}: {}", one_line(&e.to_string())),
        }
    })
}

/// Every field of a delivery of `event_type` but its entity, which must be there.
pub(crate) fn envelope(
    object: &Map<String, Value>,
    event_type: &str,
) -> Result<Delivery<()>, WebhookError> {
    for name in REQUIRED {
        if object.get(name).is_none_or(Value::is_null) {
            return Err(WebhookError::MissingField { field: name });
        }
    }
    Ok(Delivery {
        timestamp: field(object, "timestamp", event_type)?,
        event_type: field(object, "eventType", event_type)?,
        entity: (),
        entity_id: field(object, "entityId", event_type)?,
        entity_type: field(object, "entityType", event_type)?,
        entity_link: field(object, "entityLink", event_type)?,
        trace_id: field(object, "traceId", event_type)?,
        triggered_by: field(object, "triggeredBy", event_type)?,
        changes: field::<Option<Vec<Change>>>(object, "changes", event_type)?.unwrap_or_default(),
        deleted: object.get("entity").and_then(deletion),
    })
}

impl<E> Delivery<E> {
    /// The same delivery around another entity.
    pub(crate) fn with_entity<F>(self, entity: F) -> Delivery<F> {
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
fn deletion(entity: &Value) -> Option<Deleted> {
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
