//! Project automations' webhooks: an action of a project automation posts the project
//! (and the task that set it off, if one did) to a URL, under a name its author chose.
//!
//! They have none of the workspace events' fields: `{eventName, traceId, project,
//! task}`. A delivery without `eventType` that has any of `eventName`, `project` or
//! `task` is read as one.

use super::entity::{self, entity_as};
use super::error::WebhookError;
use crate::error::one_line;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// A project automation's webhook delivery.
///
/// Its header is configured on the automation (awork's form shows it as
/// `name:value`); the same [`Receiver`](super::Receiver) checks it, see
/// [`Receiver::from_header_line`](super::Receiver::from_header_line).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Automation {
    /// The event name the automation's author gave (`eventName`); `None` when they
    /// gave none.
    pub event_name: Option<String>,
    /// awork's id for the run (`traceId`); quote it to awork support.
    pub trace_id: Option<String>,
    /// The project the automation belongs to, as awork's API models it.
    pub project: Option<entity::Project>,
    /// The task that set the automation off; `None` when no task did (awork then sends
    /// it empty).
    pub task: Option<entity::Task>,
    /// The project's id, whichever type [`project`](Self::project) has with the
    /// features on (code that must compile either way can read this).
    pub project_id: Option<Uuid>,
    /// The task's id, likewise.
    pub task_id: Option<Uuid>,
}

/// Whether a delivery without an `eventType` string is a project automation's.
pub(crate) fn is_automation(object: &Map<String, Value>) -> bool {
    ["eventName", "project", "task"]
        .iter()
        .any(|field| object.contains_key(*field))
}

/// Reads an automation's delivery; an error names the part that does not fit.
pub(crate) fn decode(object: &Map<String, Value>) -> Result<Automation, WebhookError> {
    Ok(Automation {
        event_name: text(object, "eventName")?,
        trace_id: text(object, "traceId")?,
        project: part(object, "project", "Project")?,
        task: part(object, "task", "Task")?,
        project_id: id_of(object, "project"),
        task_id: id_of(object, "task"),
    })
}

/// The `id` of the project or the task, when it is a GUID.
fn id_of(object: &Map<String, Value>, field: &str) -> Option<Uuid> {
    let id = object.get(field)?.get("id")?.as_str()?;
    Uuid::parse_str(id).ok()
}

/// A text field: absent, null or blank reads as `None`.
fn text(object: &Map<String, Value>, field: &'static str) -> Result<Option<String>, WebhookError> {
    let value = object.get(field).unwrap_or(&Value::Null);
    let text =
        Option::<String>::deserialize(value).map_err(|e| WebhookError::InvalidAutomation {
            field,
            model: "string",
            message: one_line(&e.to_string()).into_owned(),
        })?;
    Ok(text.filter(|text| !text.trim().is_empty()))
}

/// The project or the task: absent, null, `{}` or `""` (awork's "empty") reads as `None`.
fn part<E: serde::de::DeserializeOwned>(
    object: &Map<String, Value>,
    field: &'static str,
    model: &'static str,
) -> Result<Option<E>, WebhookError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(fields)) if fields.is_empty() => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(value) => {
            entity_as(value)
                .map(Some)
                .map_err(|message| WebhookError::InvalidAutomation {
                    field,
                    model,
                    message,
                })
        }
    }
}
