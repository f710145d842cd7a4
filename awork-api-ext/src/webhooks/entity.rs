//! The models of webhook entities: the generated type where its area's feature is on,
//! raw JSON where it is off. Workspace events and project automations carry the same
//! models, read the same way.

use crate::error::one_line;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::borrow::Cow;

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

/// An entity (of a delivery or an automation) as model `E`, or the decoder's complaint.
///
/// awork's documented example shows a project's `tags` as plain names, where every
/// model of the API has tag objects (`{id, name, color}`). When the entity does not
/// decode as sent and its tags are names, each name is read as a tag of that name.
pub(crate) fn entity_as<E: DeserializeOwned>(entity: &Value) -> Result<E, String> {
    let strict = match E::deserialize(entity) {
        Ok(entity) => return Ok(entity),
        Err(e) => one_line(&e.to_string()).into_owned(),
    };
    match tags_as_objects(entity) {
        Cow::Owned(adapted) => E::deserialize(&adapted).map_err(|_| strict),
        Cow::Borrowed(_) => Err(strict),
    }
}

/// `entity` with each tag that is a plain name turned into a tag object of that name.
fn tags_as_objects(entity: &Value) -> Cow<'_, Value> {
    let names = entity["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(Value::is_string));
    if !names {
        return Cow::Borrowed(entity);
    }
    let mut adapted = entity.clone();
    if let Some(tags) = adapted.get_mut("tags").and_then(Value::as_array_mut) {
        for tag in tags.iter_mut().filter(|tag| tag.is_string()) {
            *tag = serde_json::json!({ "name": tag.take() });
        }
    }
    Cow::Owned(adapted)
}
