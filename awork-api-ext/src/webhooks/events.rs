//! awork's 35 webhook event types, each with the model of its entity.
//!
//! One table ([`events!`]) makes the [`EventType`] enum, the [`Event`] enum and the
//! decoding of a delivery into the right variant, so the three cannot drift apart.
//!
//! awork documents the entity of a delivery as "the full entity model as in the API";
//! which model that is, per event, is our reading: the one awork's GET of that entity
//! answers with (`Project` for project events, `TaskModel` for task events, `Comment`
//! for comment events, …). Task-assignment events have no such model and stay JSON.
//! Each model exists only with its area's Cargo feature; without it the entity is the
//! raw JSON ([`serde_json::Value`]), so this module compiles with any features. Note
//! that turning a feature on changes that entity's type: code that must compile either
//! way can read [`Event::envelope`], which holds every field but the entity.

use super::delivery::{Delivery, RawDelivery};
use super::error::WebhookError;
use std::fmt;
use std::str::FromStr;

/// The models of the entities, or raw JSON where their feature is off.
pub mod entity {
    /// Declares `$name` as the generated model `$model` when `$feature` is on, and as
    /// raw JSON otherwise.
    macro_rules! entity {
        ($(#[doc = $doc:literal] $name:ident = $model:ident if $feature:literal;)*) => {$(
            #[doc = $doc]
            #[doc = concat!("\n\nThe generated `", stringify!($model), "` with the feature `", $feature, "`; raw JSON without it.")]
            #[cfg(feature = $feature)]
            pub type $name = awork_api::types::$model;
            #[doc = $doc]
            #[doc = concat!("\n\nThe generated `", stringify!($model), "` with the feature `", $feature, "`; raw JSON without it.")]
            #[cfg(not(feature = $feature))]
            pub type $name = serde_json::Value;
        )*};
    }

    entity! {
        /// The entity of absence events.
        Absence = Absence if "users";
        /// The entity of company events.
        Company = Company if "companies";
        /// The entity of project events.
        Project = Project if "projects";
        /// The entity of `project_comment_added`.
        ProjectComment = Comment if "projects";
        /// The entity of project-member events.
        ProjectMember = ProjectMember if "projects";
        /// The entity of task events.
        Task = TaskModel if "tasks";
        /// The entity of `task_comment_added`.
        TaskComment = Comment if "tasks";
        /// The entity of task-list events.
        TaskList = TaskList if "tasks";
        /// The entity of time-tracking events (a v1 time entry).
        TimeTracking = TimeTracking if "time-tracking";
        /// The entity of user events.
        User = User if "users";
    }

    /// The entity of task-assignment events: awork documents no model for it, so it
    /// stays JSON.
    pub type TaskAssignment = serde_json::Value;
}

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

        /// One webhook delivery, typed by its event type.
        ///
        /// A delivery of an event type this crate does not know (awork added one) is
        /// [`Event::Unknown`] with its JSON, rather than an error.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant(Delivery<entity::$entity>),
            )*
            /// An event type this crate does not know, with the delivery's JSON.
            Unknown(UnknownEvent),
        }

        impl Event {
            /// Decodes a delivery of a known event type.
            fn typed(event_type: EventType, raw: RawDelivery) -> Result<Self, WebhookError> {
                match event_type {
                    $(EventType::$variant => raw.typed(stringify!($entity)).map(Event::$variant),)*
                }
            }

            /// The event type, `None` for [`Event::Unknown`].
            pub fn event_type(&self) -> Option<EventType> {
                match self {
                    $(Event::$variant(_) => Some(EventType::$variant),)*
                    Event::Unknown(_) => None,
                }
            }

            /// The event type as awork named it in the delivery.
            pub fn event_name(&self) -> &str {
                match self {
                    $(Event::$variant(delivery) => &delivery.event_type,)*
                    Event::Unknown(unknown) => &unknown.event_type,
                }
            }

            /// The delivery's fields other than the entity, whatever the event.
            /// `None` for [`Event::Unknown`], whose shape is not known.
            pub fn envelope(&self) -> Option<Delivery<()>> {
                match self {
                    $(Event::$variant(delivery) => Some(delivery.without_entity()),)*
                    Event::Unknown(_) => None,
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
    /// awork's name for the event type.
    pub event_type: String,
    /// The whole delivery, as sent.
    pub delivery: serde_json::Value,
}

impl Event {
    /// Decodes a delivery's body (no header check: see
    /// [`Receiver::parse`](super::Receiver::parse) for that).
    ///
    /// Only `eventType` is needed to recognise a delivery; a known event type then
    /// needs `timestamp`, `entity`, `entityId` and `entityType`, and its entity must
    /// decode as the event's model.
    pub fn from_json(body: &[u8]) -> Result<Self, WebhookError> {
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| WebhookError::NotJson {
                message: e.to_string(),
            })?;
        let name = event_name(&value)?;
        match EventType::from_name(&name) {
            Some(event_type) => Event::typed(event_type, RawDelivery::from_value(&name, value)?),
            None => Ok(Event::Unknown(UnknownEvent {
                event_type: name,
                delivery: value,
            })),
        }
    }
}

/// The delivery's `eventType`.
fn event_name(value: &serde_json::Value) -> Result<String, WebhookError> {
    let object = value.as_object().ok_or_else(|| WebhookError::NotJson {
        message: "the body is JSON but not an object".into(),
    })?;
    match object.get("eventType") {
        Some(serde_json::Value::String(name)) if !name.trim().is_empty() => Ok(name.clone()),
        Some(serde_json::Value::String(_)) | None | Some(serde_json::Value::Null) => {
            Err(WebhookError::MissingField { field: "eventType" })
        }
        Some(other) => Err(WebhookError::InvalidPayload {
            event_type: "unnamed".into(),
            message: format!("eventType must be a string, not {other}"),
        }),
    }
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
