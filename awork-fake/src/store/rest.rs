//! Serving an operation from the store, as its [`Plan`] says.

use axum::http::StatusCode;
use chrono::SecondsFormat;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::fit::{find_property, fit, overlay};
use super::plan::{Plan, plans};
use super::{Record, Store};
use crate::contract::sample::{Sampler, Style};
use crate::contract::{Call, Document, Operation, ParamIn, contract};
use crate::controls::clock::Clock;
use crate::query::{Context, ListQuery, ShortPage};
use crate::wire::{Answer, ApiError};

/// What the generic behaviour needs besides the call.
pub(crate) struct Env<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) clock: &'a Clock,
    pub(crate) short_page: Option<ShortPage>,
}

/// Serves `call` from the store, as its operation's plan says.
pub(crate) fn serve(call: &Call, env: Env<'_>) -> Result<Answer, ApiError> {
    serve_as(call, env, &plans(call.op.api)[call.op.index])
}

/// Serves `call` from the store as `plan` says: for behaviours that know better what
/// an operation means than its routes tell (both booking families share one model
/// that no `GET` names).
pub(crate) fn serve_as(call: &Call, env: Env<'_>, plan: &Plan) -> Result<Answer, ApiError> {
    let op = call.op;
    let doc = contract().document(op.api);
    let served = Served { call, doc, env };
    match plan {
        Plan::List { kind } => served.list(kind.as_deref()),
        Plan::Create { kind } => served.create(kind, &Map::new()),
        Plan::Get { kind, id } => served.get(kind, id),
        Plan::Replace { kind, id } => served.replace(kind, id),
        Plan::Delete { kind, id } => served.delete(kind, id),
        Plan::OnEntity { kind, id } => served.on_entity(kind, id),
        Plan::Singleton { kind } => served.singleton(kind),
        Plan::Answer => Ok(made_up_answer(doc, op, call)),
    }
}

/// Creates an item of `kind` from the call's body, with `fields` laid over it (what a
/// behaviour knows that the body does not say: an upload's file name, say).
pub(crate) fn create_with(
    call: &Call,
    env: Env<'_>,
    kind: &str,
    fields: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let doc = contract().document(call.op.api);
    Served { call, doc, env }.create(kind, fields)
}

/// The declared success answer of `op`, made from its schema.
pub(crate) fn made_up_answer(doc: &Document, op: &Operation, call: &Call) -> Answer {
    let Some(success) = op.success() else {
        return Answer::empty(StatusCode::OK);
    };
    let status = status_of(op);
    match &success.body {
        None => Answer::empty(status),
        Some((media, _)) if !media.contains("json") => {
            Answer::bytes(status, media, Default::default())
        }
        Some((_, None)) => Answer::empty(status),
        Some((_, Some(schema))) if is_file(doc, schema) => {
            Answer::bytes(status, "application/octet-stream", Default::default())
        }
        Some((_, Some(schema))) => {
            let value = Sampler::new(doc, Style::plain(), op.index as u64, call.now).value(schema);
            Answer::json(status, value)
        }
    }
}

/// The status of `op`'s success answer.
pub(crate) fn status_of(op: &Operation) -> StatusCode {
    op.success()
        .and_then(|r| r.status)
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK)
}

fn is_file(doc: &Document, schema: &Value) -> bool {
    let schema = doc.resolve(schema);
    schema.get("format") == Some(&Value::String("binary".into()))
}

struct Served<'a> {
    call: &'a Call,
    doc: &'static Document,
    env: Env<'a>,
}

impl Served<'_> {
    fn api(&self) -> crate::contract::Api {
        self.call.op.api
    }

    fn schema(&self, kind: &str) -> Value {
        serde_json::json!({ "$ref": format!("#/components/schemas/{kind}") })
    }

    fn list(self, kind: Option<&str>) -> Result<Answer, ApiError> {
        let op = self.call.op;
        let scope = self.scope(None);
        let items: Vec<Value> = match kind {
            Some(kind) => self
                .env
                .store
                .all(self.api(), kind)
                .filter(|record| in_scope(record, &scope, true))
                .map(|record| record.value.clone())
                .collect(),
            None => Vec::new(),
        };
        let paged = op.parameter(ParamIn::Query, "page").is_some();
        let queried = paged || op.parameter(ParamIn::Query, "filterby").is_some();
        if !queried {
            return Ok(Answer::json(StatusCode::OK, Value::Array(items)));
        }
        let query = ListQuery::from_query(&self.call.query)?;
        if let Some(kind) = kind {
            let item = self.schema(kind);
            query.check_properties(&|path| has_path(self.doc, &item, path))?;
        }
        let context = Context {
            me: self.call.actor,
            now: self.call.now,
        };
        let (page, info) = query.run(items, &context, self.env.short_page)?;
        let answer = Answer::json(StatusCode::OK, Value::Array(page));
        Ok(if paged { answer.paged(info) } else { answer })
    }

    fn create(self, kind: &str, fields: &Map<String, Value>) -> Result<Answer, ApiError> {
        let schema = self.schema(kind);
        let base =
            Sampler::new(self.doc, Style::record(), rand::random(), self.call.now).value(&schema);
        let (value, _) = self.apply_body(&schema, &base);
        let (mut value, _) = overlay(self.doc, &schema, &value, fields);
        for (name, raw) in &self.call.path {
            set_if_fits(
                self.doc,
                &schema,
                &mut value,
                name,
                Value::String(raw.clone()),
            );
        }
        let stamp = self.env.clock.stamp();
        set_server_fields(
            self.doc,
            &schema,
            &mut value,
            fields,
            stamp,
            self.call.actor,
        );
        let record = Record {
            value: value.clone(),
            scope: self.call.path.clone(),
        };
        self.env.store.put(self.api(), kind, record);
        Ok(Answer::json(status_of(self.call.op), value))
    }

    fn get(self, kind: &str, id: &str) -> Result<Answer, ApiError> {
        let record = self.find(kind, id)?;
        Ok(Answer::json(status_of(self.call.op), record.value.clone()))
    }

    fn replace(self, kind: &str, id: &str) -> Result<Answer, ApiError> {
        let record = self.find(kind, id)?.clone();
        self.update(kind, record)
    }

    fn on_entity(self, kind: &str, id: &str) -> Result<Answer, ApiError> {
        let record = self.find(kind, id)?.clone();
        match self.call.body.json().is_some_and(Value::is_object) {
            true => self.update(kind, record),
            false => Ok(Answer::json(status_of(self.call.op), record.value)),
        }
    }

    fn update(self, kind: &str, record: Record) -> Result<Answer, ApiError> {
        let schema = self.schema(kind);
        let (mut value, _) = self.apply_body(&schema, &record.value);
        let stamp = self.stamp();
        set_if_fits(self.doc, &schema, &mut value, "updatedOn", stamp);
        set_if_fits(self.doc, &schema, &mut value, "updatedBy", self.actor());
        let status = status_of(self.call.op);
        self.env.store.put(
            self.api(),
            kind,
            Record {
                value: value.clone(),
                scope: record.scope,
            },
        );
        Ok(Answer::json(status, value))
    }

    fn delete(self, kind: &str, id: &str) -> Result<Answer, ApiError> {
        self.find(kind, id)?;
        let raw = self.call.path_param(id).unwrap_or_default().to_owned();
        self.env.store.remove(self.api(), kind, &raw);
        Ok(Answer::empty(status_of(self.call.op)))
    }

    fn singleton(self, kind: &str) -> Result<Answer, ApiError> {
        let key = scope_key(&self.call.path);
        let schema = self.schema(kind);
        let status = status_of(self.call.op);
        let method = &self.call.op.method;
        if method == axum::http::Method::DELETE {
            self.env.store.remove_singleton(self.api(), kind, &key);
            return Ok(Answer::empty(status));
        }
        let stored = self.env.store.singleton(self.api(), kind, &key).cloned();
        if method == axum::http::Method::GET {
            let value = stored.unwrap_or_else(|| {
                Sampler::new(
                    self.doc,
                    Style::plain(),
                    self.call.op.index as u64,
                    self.call.now,
                )
                .value(&schema)
            });
            return Ok(Answer::json(status, value));
        }
        let base = stored.unwrap_or_else(|| {
            Sampler::new(self.doc, Style::record(), rand::random(), self.call.now).value(&schema)
        });
        let (value, _) = self.apply_body(&schema, &base);
        self.env
            .store
            .put_singleton(self.api(), kind, &key, value.clone());
        Ok(Answer::json(status, value))
    }

    /// `base` with the fitting properties of a JSON object body laid over it.
    fn apply_body(&self, schema: &Value, base: &Value) -> (Value, Vec<String>) {
        match self.call.body.json().and_then(Value::as_object) {
            Some(body) => overlay(self.doc, schema, base, body),
            None => (base.clone(), Vec::new()),
        }
    }

    /// Item `id` (the path parameter) of `kind`, if it is in the path's scope.
    fn find(&self, kind: &str, id: &str) -> Result<&Record, ApiError> {
        let raw = self.call.path_param(id).unwrap_or_default();
        let scope = self.scope(Some(id));
        self.env
            .store
            .get(self.api(), kind, raw)
            .filter(|record| in_scope(record, &scope, false))
            .ok_or_else(|| ApiError::not_found(format!("There is no {kind} with {id} '{raw}'.")))
    }

    /// The path parameters that limit which items a route sees (all but `except`).
    fn scope(&self, except: Option<&str>) -> Vec<(String, String)> {
        self.call
            .path
            .iter()
            .filter(|(name, _)| Some(name.as_str()) != except)
            .cloned()
            .collect()
    }

    fn stamp(&self) -> Value {
        Value::String(
            self.env
                .clock
                .stamp()
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        )
    }

    fn actor(&self) -> Value {
        Value::String(self.call.actor.to_string())
    }
}

/// Sets property `name` (any letter case) of an object to `fresh` if the schema has
/// it and the value fits.
fn set_if_fits(doc: &Document, schema: &Value, value: &mut Value, name: &str, fresh: Value) {
    let schema = doc.resolve(schema);
    let Some((key, property)) = find_property(schema, name) else {
        return;
    };
    if let (Some(fitted), Some(object)) = (fit(doc, property, &fresh), value.as_object_mut()) {
        object.insert(key, fitted);
    }
}

/// Whether a record belongs to the scope of a route: each scope parameter must be the
/// record's own (it was created under it) or equal its property of that name. `strict`
/// (lists) also leaves out records that say nothing about a parameter; a single item
/// is only refused when it says otherwise.
fn in_scope(record: &Record, scope: &[(String, String)], strict: bool) -> bool {
    scope.iter().all(|(name, wanted)| {
        let own = record
            .scope
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str());
        let property = crate::query::filter::property(&record.value, name).and_then(Value::as_str);
        match own.or(property) {
            Some(value) => value.eq_ignore_ascii_case(wanted),
            None => !strict,
        }
    })
}

/// The key of a singleton: its route's parameters.
fn scope_key(path: &[(String, String)]) -> String {
    path.iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                name.to_ascii_lowercase(),
                value.to_ascii_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A new item's `id`, `createdOn`/`By` and `updatedOn`/`By`, where its schema has them
/// and `given` does not name them already.
fn set_server_fields(
    doc: &Document,
    schema: &Value,
    value: &mut Value,
    given: &Map<String, Value>,
    stamp: chrono::DateTime<chrono::Utc>,
    actor: Uuid,
) {
    let stamp = Value::String(stamp.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    let actor = Value::String(actor.to_string());
    for (name, fresh) in [
        ("id", Value::String(Uuid::new_v4().to_string())),
        ("createdOn", stamp.clone()),
        ("createdBy", actor.clone()),
        ("updatedOn", stamp),
        ("updatedBy", actor),
    ] {
        if !given.keys().any(|key| key.eq_ignore_ascii_case(name)) {
            set_if_fits(doc, schema, value, name, fresh);
        }
    }
}

/// Whether `path` names a property of the items `schema` describes (through nested
/// models and arrays, names compared without regard to case).
pub(crate) fn has_path(doc: &Document, schema: &Value, path: &[String]) -> bool {
    let mut current = doc.resolve(schema);
    for name in path {
        while current.get("type") == Some(&Value::String("array".into())) {
            current = doc.resolve(&current["items"]);
        }
        match find_property(current, name) {
            Some((_, property)) => current = doc.resolve(property),
            None => {
                return current
                    .get("additionalProperties")
                    .is_some_and(|extra| extra != &Value::Bool(false));
            }
        }
    }
    true
}

/// A seed's fields as a value of `kind`: the record style's blanks, the fields laid
/// over, and server fields where the seed gives none. `Err` names fields that `kind`
/// does not have or that do not fit it.
pub(crate) fn seed_value(
    doc: &Document,
    kind: &str,
    fields: &Map<String, Value>,
    clock: &Clock,
    actor: Uuid,
) -> Result<Value, Vec<String>> {
    let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{kind}") });
    let base = Sampler::new(doc, Style::record(), rand::random(), clock.now()).value(&schema);
    let (mut value, refused) = overlay(doc, &schema, &base, fields);
    if !refused.is_empty() {
        return Err(refused);
    }
    set_server_fields(doc, &schema, &mut value, fields, clock.stamp(), actor);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Api;
    use serde_json::json;

    #[test]
    fn paths_follow_models_and_arrays() {
        let doc = contract().document(Api::V1);
        let task = json!({"$ref": "#/components/schemas/TaskModel"});
        let has = |p: &str| {
            has_path(
                doc,
                &task,
                &p.split('/').map(String::from).collect::<Vec<_>>(),
            )
        };
        assert!(has("name") && has("ProjectId") && has("assignees/firstName"));
        assert!(!has("nmae") && !has("assignees/nope"));
    }

    #[test]
    fn scope_is_strict_for_lists_and_lenient_for_items() {
        let record = Record {
            value: json!({"id": "x", "projectId": "P1"}),
            scope: vec![("taskId".into(), "T1".into())],
        };
        let scope = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(a, b)| ((*a).into(), (*b).into()))
                .collect::<Vec<_>>()
        };
        assert!(in_scope(&record, &scope(&[("projectId", "p1")]), true));
        assert!(in_scope(&record, &scope(&[("TASKID", "t1")]), true));
        assert!(!in_scope(&record, &scope(&[("projectId", "P2")]), false));
        assert!(!in_scope(&record, &scope(&[("userId", "U")]), true));
        assert!(in_scope(&record, &scope(&[("userId", "U")]), false));
    }

    #[test]
    fn seeds_name_the_fields_that_do_not_fit() {
        let doc = contract().document(Api::V1);
        let clock = Clock::default();
        let fields = json!({"name": "Website", "frobs": 3});
        let refused = seed_value(
            doc,
            "Project",
            fields.as_object().unwrap(),
            &clock,
            Uuid::nil(),
        )
        .unwrap_err();
        assert_eq!(refused, ["frobs"]);
        let fields = json!({"name": "Website"});
        let value = seed_value(
            doc,
            "Project",
            fields.as_object().unwrap(),
            &clock,
            Uuid::nil(),
        )
        .unwrap();
        assert_eq!(value["name"], "Website");
        assert!(Uuid::parse_str(value["id"].as_str().unwrap()).is_ok());
        crate::contract::validate::is_valid_instance(doc.validators(), "Project", &value).unwrap();
    }
}
