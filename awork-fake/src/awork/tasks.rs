//! Tasks: `POST /tasks` makes a task of a project (`baseType: projecttask`) or a
//! private task of a user (`baseType: private`), naming either by `entityId`. awork's
//! task model says which in `projectId` or `userId`, so the project's and the user's
//! task lists (`GET /projects/{projectId}/projecttasks`, …) find the task there.

use axum::http::Method;
use serde_json::{Map, Value};

use crate::contract::Call;
use crate::store::rest::{self, Env};
use crate::wire::{Answer, ApiError};

/// The model tasks are stored as.
const KIND: &str = "TaskModel";

/// Serves `call` if it creates a task; `None` leaves it to others.
pub(crate) fn serve(call: &Call, env: Env<'_>) -> Option<Result<Answer, ApiError>> {
    if call.op.method != Method::POST || !call.op.template.eq_ignore_ascii_case("/tasks") {
        return None;
    }
    let form = call.body.json().and_then(Value::as_object);
    let owner = form
        .and_then(|f| f.get("entityId"))
        .filter(|id| !id.is_null());
    let owner_field = match form.and_then(|f| f.get("baseType")).and_then(Value::as_str) {
        Some("projecttask") => "projectId",
        Some("private") => "userId",
        _ => return Some(rest::create_with(call, env, KIND, &Map::new())),
    };
    let mut fields = Map::new();
    if let Some(owner) = owner {
        fields.insert(owner_field.to_owned(), owner.clone());
    }
    Some(rest::create_with(call, env, KIND, &fields))
}
