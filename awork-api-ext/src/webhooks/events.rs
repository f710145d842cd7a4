//! awork's 35 webhook event types, each with the model of its entity, and the sorting
//! of a delivery into its [`Event`].
//!
//! One table ([`events!`]) makes the [`EventType`] enum, the [`Event`] enum and the
//! decoding of a delivery into the right variant, so the three cannot drift apart.
//!
//! Sorting never fails for a JSON object: a delivery is typed when it fits, and
//! otherwise handed over as JSON with the reason ([`Event::Undecodable`]), or as an
//! event this crate does not know ([`Event::Unknown`]); both are logged as warnings.
//!
//! awork documents the entity of a delivery as "the full entity model as in the API";
//! which model that is, per event, is our reading: the one awork's GET of that entity
//! answers with (`Project` for project events, `TaskModel` for task events, `Comment`
//! for comment events, …). Task-assignment events have no such model and stay JSON.
//! Each model exists only with its area's Cargo feature; without it the entity is the
//! raw JSON ([`serde_json::Value`]), so this module compiles with any features. Note
//! that turning a feature on changes that entity's type: code that must compile either
//! way can read [`Event::envelope`], which holds every field but the entity.

use super::automation::{self, Automation};
use super::body;
use super::delivery::{self, Delivery};
use super::entity::{self, entity_as};
use super::error::WebhookError;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// The table: variant, awork's name for the event, the entity's type.
macro_rules! events {
    ($($variant:ident => $wire:literal, $entity:ident;)*) => {
        /// One of awork's webhook event types, as awork names them on the wire
        /// ([`as_str`](Self::as_str)) and in a webhook's configuration.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum EventType {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )*
        }

        impl EventType {
            /// Every event type this crate knows, in awork's order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            /// awork's name, e.g. `task_status_changed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $wire,)*
                }
            }

            /// The event type awork calls `name`, if this crate knows it.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some(EventType::$variant),)*
                    _ => None,
                }
            }
        }

        /// One webhook delivery: a workspace event typed by its event type, a project
        /// automation's delivery, or (never lost) one this crate could not type.
        ///
        /// Every JSON object a [`Receiver`](super::Receiver) lets through becomes one of
        /// these: a workspace event whose entity fits its model is its own variant; one
        /// that does not fit is [`Event::Undecodable`], with its JSON and the reason; a
        /// delivery of an event type this crate does not know (awork added one) is
        /// [`Event::Unknown`] with its JSON.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant(Delivery<entity::$entity>),
            )*
            /// A project automation's webhook (`eventName`, `project`, `task`); boxed,
            /// as it holds two whole models.
            Automation(Box<Automation>),
            /// A delivery of a known kind that does not fit this crate's model of it:
            /// its JSON, whole, and why it did not fit.
            Undecodable(Undecodable),
            /// An event type this crate does not know (or a JSON object that names
            /// none), with the delivery's JSON.
            Unknown(UnknownEvent),
        }

        impl Event {
            /// Decodes a delivery of a known event type, or hands it over as JSON.
            fn typed(event_type: EventType, object: Map<String, Value>) -> Self {
                let decoded = match event_type {
                    $(EventType::$variant => {
                        decode(&object, $wire, stringify!($entity)).map(Event::$variant)
                    })*
                };
                decoded.unwrap_or_else(|error| {
                    Event::Undecodable(Undecodable {
                        kind: EventKind::Workspace(event_type),
                        delivery: Value::Object(object),
                        error,
                    })
                })
            }

            /// The workspace event type: `None` for automations and unknown types.
            pub fn event_type(&self) -> Option<EventType> {
                match self {
                    $(Event::$variant(_) => Some(EventType::$variant),)*
                    Event::Undecodable(undecodable) => match undecodable.kind {
                        EventKind::Workspace(event_type) => Some(event_type),
                        EventKind::Automation => None,
                    },
                    Event::Automation(_) | Event::Unknown(_) => None,
                }
            }

            /// The event's name as the delivery gave it: awork's event type (e.g.
            /// `task_updated`), or an automation's event name. Empty when it names none.
            pub fn event_name(&self) -> &str {
                match self {
                    $(Event::$variant(delivery) => &delivery.event_type,)*
                    Event::Automation(automation) => {
                        automation.event_name.as_deref().unwrap_or_default()
                    }
                    Event::Undecodable(undecodable) => undecodable.event_name(),
                    Event::Unknown(unknown) => &unknown.event_type,
                }
            }

            /// The delivery's fields other than the entity, for a typed workspace
            /// event. `None` for the other kinds (see [`Undecodable::envelope`]).
            pub fn envelope(&self) -> Option<Delivery<()>> {
                match self {
                    $(Event::$variant(delivery) => Some(delivery.without_entity()),)*
                    _ => None,
                }
            }

            /// awork's trace id of the delivery (quote it to awork support), whatever
            /// its kind, when it has one.
            pub fn trace_id(&self) -> Option<&str> {
                match self {
                    $(Event::$variant(delivery) => delivery.trace_id.as_deref(),)*
                    Event::Automation(automation) => automation.trace_id.as_deref(),
                    Event::Undecodable(undecodable) => undecodable.delivery["traceId"].as_str(),
                    Event::Unknown(unknown) => unknown.delivery["traceId"].as_str(),
                }
            }
        }
    };
}

events! {
    AbsenceAdded => "absence_added", Absence;
    AbsenceDeleted => "absence_deleted", Absence;
    AbsenceUpdated => "absence_updated", Absence;
    CompanyAdded => "company_added", Company;
    CompanyDeleted => "company_deleted", Company;
    CompanyTypeChanged => "company_type_changed", Company;
    CompanyUpdated => "company_updated", Company;
    ProjectAdded => "project_added", Project;
    ProjectCommentAdded => "project_comment_added", ProjectComment;
    ProjectDeleted => "project_deleted", Project;
    ProjectStatusChanged => "project_status_changed", Project;
    ProjectTypeChanged => "project_type_changed", Project;
    ProjectUpdated => "project_updated", Project;
    ProjectMemberAdded => "projectmember_added", ProjectMember;
    ProjectMemberDeleted => "projectmember_deleted", ProjectMember;
    TaskAdded => "task_added", Task;
    TaskCommentAdded => "task_comment_added", TaskComment;
    TaskDeleted => "task_deleted", Task;
    TaskStatusChanged => "task_status_changed", Task;
    TaskTypeChanged => "task_type_changed", Task;
    TaskUpdated => "task_updated", Task;
    TaskAssignmentAdded => "taskassignment_added", TaskAssignment;
    TaskAssignmentDeleted => "taskassignment_deleted", TaskAssignment;
    TaskListAdded => "tasklist_added", TaskList;
    TaskListDeleted => "tasklist_deleted", TaskList;
    TaskListUpdated => "tasklist_updated", TaskList;
    TimeTrackingAdded => "timetracking_added", TimeTracking;
    TimeTrackingDeleted => "timetracking_deleted", TimeTracking;
    TimeTrackingTypeChanged => "timetracking_type_changed", TimeTracking;
    TimeTrackingUpdated => "timetracking_updated", TimeTracking;
    UserActivationChanged => "user_activation_changed", User;
    UserAdded => "user_added", User;
    UserDeleted => "user_deleted", User;
    UserStatusChanged => "user_status_changed", User;
    UserUpdated => "user_updated", User;
}

/// A delivery of an event type this crate does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownEvent {
    /// awork's name for the event type; empty when the delivery names none.
    pub event_type: String,
    /// The whole delivery, as sent.
    pub delivery: Value,
}

/// Which kind of delivery an [`Undecodable`] one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// A workspace webhook's event of this type.
    Workspace(EventType),
    /// A project automation's webhook.
    Automation,
}

/// A delivery of a known kind that does not fit this crate's model of it (awork's
/// documentation and its API models do not always agree, and either may change). It is
/// kept whole, so nothing is lost: store it, or read what you need from the JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Undecodable {
    /// A workspace event of a known type, or a project automation.
    pub kind: EventKind,
    /// The whole delivery, as sent.
    pub delivery: Value,
    /// Why it does not fit, naming the field or model.
    pub error: WebhookError,
}

impl Undecodable {
    /// The event's name as the delivery gave it (`eventType`, or an automation's
    /// `eventName`); empty when it has none.
    pub fn event_name(&self) -> &str {
        let field = match self.kind {
            EventKind::Workspace(_) => "eventType",
            EventKind::Automation => "eventName",
        };
        self.delivery[field].as_str().unwrap_or_default()
    }

    /// The envelope of a workspace event with its entity as JSON, when the envelope
    /// itself has awork's shape (the entity is what did not fit).
    pub fn envelope(&self) -> Option<Delivery<Value>> {
        let EventKind::Workspace(event_type) = self.kind else {
            return None;
        };
        let object = self.delivery.as_object()?;
        let envelope = delivery::envelope(object, event_type.as_str()).ok()?;
        Some(envelope.with_entity(object.get("entity").cloned().unwrap_or_default()))
    }
}

impl Event {
    /// Decodes a delivery's body, without the header check (see
    /// [`Receiver::parse`](super::Receiver::parse) for that, and
    /// [`VerifiedDelivery`](super::VerifiedDelivery) to check now and decode later).
    ///
    /// Fails only when the body is not a JSON object ([`WebhookError::NotJson`]); any
    /// object becomes an [`Event`], typed as far as it fits.
    pub fn from_json(body: &[u8]) -> Result<Self, WebhookError> {
        body::object(body).map(Event::from_object)
    }

    /// Sorts a delivery that is a JSON object, and warns of one left untyped.
    pub(crate) fn from_object(object: Map<String, Value>) -> Self {
        let event = match object.get("eventType") {
            Some(Value::String(name)) => match EventType::from_name(name.trim()) {
                Some(event_type) => Event::typed(event_type, object),
                None => Event::unknown(name.clone(), object),
            },
            _ if automation::is_automation(&object) => match automation::decode(&object) {
                Ok(automation) => Event::Automation(Box::new(automation)),
                Err(error) => Event::Undecodable(Undecodable {
                    kind: EventKind::Automation,
                    delivery: Value::Object(object),
                    error,
                }),
            },
            _ => Event::unknown(String::new(), object),
        };
        event.warn_if_untyped();
        event
    }

    fn unknown(event_type: String, object: Map<String, Value>) -> Self {
        Event::Unknown(UnknownEvent {
            event_type,
            delivery: Value::Object(object),
        })
    }

    /// A warning for a delivery handed over as JSON: it reached the program, but
    /// whoever reads the logs should know this crate did not type it.
    fn warn_if_untyped(&self) {
        match self {
            Event::Undecodable(undecodable) => tracing::warn!(
                event = undecodable.event_name(),
                trace_id = self.trace_id(),
                error = %undecodable.error,
                "webhook delivery does not fit this crate's model; handed over as JSON"
            ),
            Event::Unknown(unknown) => tracing::warn!(
                event = unknown.event_type,
                trace_id = self.trace_id(),
                "webhook delivery of an event type this crate does not know; handed over as JSON"
            ),
            _ => {}
        }
    }
}

/// A delivery of event type `name` with its entity as model `E` (called `model` in
/// errors).
fn decode<E: DeserializeOwned>(
    object: &Map<String, Value>,
    name: &str,
    model: &'static str,
) -> Result<Delivery<E>, WebhookError> {
    let envelope = delivery::envelope(object, name)?;
    let entity = entity_as(object.get("entity").unwrap_or(&Value::Null)).map_err(|message| {
        WebhookError::InvalidEntity {
            event_type: name.to_string(),
            model,
            message,
        }
    })?;
    Ok(envelope.with_entity(entity))
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = WebhookError;

    /// awork's name of an event type; an unknown name is an error naming it.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        EventType::from_name(name.trim()).ok_or_else(|| WebhookError::UnknownEventType {
            name: name.to_string(),
        })
    }
}
