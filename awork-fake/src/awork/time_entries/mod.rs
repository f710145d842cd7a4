//! Time entries (tracked work) and the timer: one store that both API versions serve,
//! v2 in awork's `TimeEntry` shape and v1 in its `TimeTracking` shape (see [`v1`]).
//!
//! Lists (`/timeentries`, a project's, a task's, the simplified ones) go through the
//! one query grammar of [`crate::query`] over the entries as the version shows them,
//! so `filterby=startDate ge datetime'…'` means v2's `startDate` on v2 and a v1 field
//! name on v1. The rules of entry bodies are in [`form`], the timer in [`timer`], the
//! batch operations in [`batch`].

mod batch;
mod form;
mod handle;
mod instants;
mod model;
mod reader;
mod store;
mod timer;
mod times;
mod v1;
mod zone;

use axum::http::{Method, StatusCode};
use chrono::SubsecRound;
use serde_json::Value;
use uuid::Uuid;

use crate::contract::{Api, Call, contract};
use crate::query::{Context, ListQuery, ShortPage};
use crate::store::rest::has_path;
use crate::wire::{Answer, ApiError};
use form::{Target, parse_entry_form, parse_start_form};
use timer::TimerAction;

pub use handle::TimeEntries;
pub use model::{Break, NewTimeEntry, TimeEntry};
pub(crate) use store::TimeEntryStore;
pub(crate) use zone::parse_zone;

/// What the entry routes work on.
pub(crate) struct Env<'a> {
    pub(crate) entries: &'a mut TimeEntryStore,
    pub(crate) short_page: Option<ShortPage>,
}

/// Serves `call` if it is a route of time entries or the timer; `None` leaves it to
/// the store.
pub(crate) fn serve(call: &Call, env: Env<'_>) -> Option<Result<Answer, ApiError>> {
    let template = call.op.template.to_ascii_lowercase();
    let method = &call.op.method;
    let v2 = call.op.api == Api::V2;
    let answer = match (method, template.as_str()) {
        (&Method::GET, "/timeentries") => list(call, env, Scope::All),
        (&Method::GET, "/timeentries/simplified") => list(call, env, Scope::Simplified),
        (&Method::GET, "/projects/{projectid}/timeentries") => {
            list(call, env, Scope::Property("projectId"))
        }
        (&Method::GET, "/tasks/{taskid}/timeentries") => list(call, env, Scope::Property("taskId")),
        (&Method::POST, "/timeentries") if v2 => create(call, env),
        (&Method::GET, "/timeentries/{timeentryid}") => get(call, env),
        (&Method::PUT, "/timeentries/{timeentryid}") if v2 => replace(call, env),
        (&Method::DELETE, "/timeentries/{timeentryid}") => delete(call, env),
        (&Method::POST, "/timeentries/{timeentryid}/removebreaks") => remove_breaks(call, env),
        (&Method::POST, "/timeentries/batch/{operation}") => batch::batch(call, env.entries),
        (&Method::GET, "/me/timeentries/last" | "/users/{userid}/timeentries/last") => {
            last(call, env)
        }
        (&Method::POST, path) if path.contains("/timetracking/") => tracking(call, env, path),
        _ => return None,
    };
    Some(answer)
}

/// Which entries a list shows.
enum Scope {
    All,
    Simplified,
    /// Those whose property equals the path parameter of the same name.
    Property(&'static str),
}

fn list(call: &Call, env: Env<'_>, scope: Scope) -> Result<Answer, ApiError> {
    let api = call.op.api;
    let item_schema = call
        .op
        .success()
        .and_then(|r| r.json_schema())
        .and_then(|s| s.get("items"))
        .cloned()
        .unwrap_or(Value::Null);
    let doc = contract().document(api);
    let wanted = match &scope {
        Scope::Property(name) => Some((*name, call.path_id(name)?)),
        _ => None,
    };
    let views: Vec<Value> = env
        .entries
        .all()
        .iter()
        .filter(|entry| match wanted {
            Some(("projectId", id)) => entry.project_id == Some(id),
            Some((_, id)) => entry.task_id == Some(id),
            None => true,
        })
        .map(|entry| match scope {
            Scope::Simplified => {
                only_schema_properties(view(api, entry), doc.resolve(&item_schema))
            }
            _ => view(api, entry),
        })
        .collect();
    let query = ListQuery::from_query(&call.query)?;
    query.check_properties(&|path| has_path(doc, &item_schema, path))?;
    let context = Context {
        me: call.actor,
        now: call.now,
    };
    let (page, info) = query.run(views, &context, env.short_page)?;
    Ok(Answer::json(StatusCode::OK, Value::Array(page)).paged(info))
}

fn create(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let fields = parse_entry_form(call.body.json(), call.actor, Target::Completed)?;
    let entry = env.entries.create(fields, call.actor);
    Ok(answer(call, &entry))
}

fn get(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let id = call.path_id("timeEntryId")?;
    let entry = env.entries.get(id).ok_or_else(|| missing(id))?;
    Ok(answer(call, &entry))
}

fn replace(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let id = call.path_id("timeEntryId")?;
    let current = env.entries.get(id).ok_or_else(|| missing(id))?;
    let target = match current.is_running() {
        true => Target::Running,
        false => Target::Completed,
    };
    let fields = parse_entry_form(call.body.json(), call.actor, target)?;
    if fields.is_running()
        && env
            .entries
            .running_of(fields.user_id)
            .is_some_and(|other| other != id)
    {
        return Err(ApiError::invalid_operation(
            "The new user already has a running time entry.",
        ));
    }
    let entry = env
        .entries
        .replace(id, fields, call.actor)
        .ok_or_else(|| missing(id))?;
    Ok(answer(call, &entry))
}

fn delete(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let id = call.path_id("timeEntryId")?;
    match env.entries.remove(id) {
        true => Ok(Answer::empty(StatusCode::NO_CONTENT)),
        false => Err(missing(id)),
    }
}

fn remove_breaks(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let id = call.path_id("timeEntryId")?;
    let entry = env
        .entries
        .change(id, call.actor, timer::remove_breaks)
        .ok_or_else(|| missing(id))?;
    Ok(answer(call, &entry))
}

/// A user's last entry: the running timer if there is one, else the one that started
/// last; 204 without a body when the user has none.
fn last(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    let user = user_of(call)?;
    Ok(match env.entries.last_of(user) {
        Some(entry) => answer(call, &entry),
        None => Answer::empty(StatusCode::NO_CONTENT),
    })
}

/// `…/timetracking/{start|pause|resume|stop}` for the key's user or another.
fn tracking(call: &Call, env: Env<'_>, path: &str) -> Result<Answer, ApiError> {
    let user = user_of(call)?;
    let now = call.now.trunc_subsecs(0);
    let entry = match path.rsplit('/').next().unwrap_or_default() {
        "start" => {
            let fields = parse_start_form(call.body.json(), user, now)?;
            timer::start(env.entries, fields, call.actor)?
        }
        "pause" => timer::act(env.entries, user, TimerAction::Pause, now, call.actor)?,
        "resume" => timer::act(env.entries, user, TimerAction::Resume, now, call.actor)?,
        _ => timer::act(env.entries, user, TimerAction::Stop, now, call.actor)?,
    };
    Ok(answer(call, &entry))
}

/// `me` routes act for the caller, `users/{userId}` ones for that user.
fn user_of(call: &Call) -> Result<Uuid, ApiError> {
    match call.path_param("userId") {
        Some(_) => call.path_id("userId"),
        None => Ok(call.actor),
    }
}

/// 200 with `entry` in the call's version.
fn answer(call: &Call, entry: &TimeEntry) -> Answer {
    Answer::json(StatusCode::OK, view(call.op.api, entry))
}

/// An entry as a version shows it.
fn view(api: Api, entry: &TimeEntry) -> Value {
    let value = match api {
        Api::V2 => serde_json::to_value(entry),
        Api::V1 => serde_json::to_value(v1::TimeTracking::of(entry)),
    };
    value.expect("time entries serialize")
}

/// Only the properties `schema` declares (the simplified shapes are subsets).
fn only_schema_properties(view: Value, schema: &Value) -> Value {
    let Value::Object(mut object) = view else {
        return view;
    };
    let declared = schema.get("properties").and_then(Value::as_object);
    object.retain(|key, _| declared.is_some_and(|d| d.contains_key(key)));
    Value::Object(object)
}

fn missing(id: Uuid) -> ApiError {
    ApiError::not_found(format!("There is no time entry with id '{id}'."))
}
