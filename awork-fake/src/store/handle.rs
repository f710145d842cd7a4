//! [`Resources`]: seeding and reading the store of a running fake, by model name.

use std::sync::Mutex;

use serde_json::Value;
use uuid::Uuid;

use super::plan::Plan;
use super::rest::seed_value;
use super::{Record, Store};
use crate::contract::{Api, contract};
use crate::controls::clock::Clock;
use crate::sync::lock;

/// Why a seed was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// awork's v1 document has no model of that name.
    #[error(
        "awork's v1 document has no model named '{0}' (model names are the schema names, e.g. 'Project', 'TaskModel')"
    )]
    UnknownModel(String),
    /// The fields are not a JSON object.
    #[error("a seed of '{0}' must be a JSON object of its fields")]
    NotAnObject(String),
    /// Fields the model does not have, or whose values do not fit it.
    #[error("'{model}' has no field, or no field of that type, for: {}", fields.join(", "))]
    Unfit {
        /// The model.
        model: String,
        /// The fields left out.
        fields: Vec<String>,
    },
}

/// The generic store of a running fake (every v1 model but time bookings and time
/// entries, which have their own handles); from [`crate::FakeAwork::resources`].
///
/// Models are named by awork's schema names: `Project`, `TaskModel`, `Company`, … — the
/// name of what a route answers. What is seeded here is what the routes answer, and
/// what clients create shows up here.
#[derive(Debug, Clone, Copy)]
pub struct Resources<'f> {
    pub(crate) store: &'f Mutex<Store>,
    pub(crate) clock: &'f Clock,
    pub(crate) user_id: Uuid,
}

impl Resources<'_> {
    /// Stores a new item of `model`: the given fields, blanks (`null`, `false`, `0`, …)
    /// for the rest, and a fresh `id` and creation stamps unless the fields give them.
    /// Returns the item as the routes will answer it.
    pub fn insert(&self, model: &str, fields: Value) -> Result<Value, SeedError> {
        self.insert_under(model, &[], fields)
    }

    /// Like [`Self::insert`], for an item that belongs to the scope of nested routes
    /// (e.g. a comment of a project: `&[("projectId", "…")]`), as if it had been
    /// created through them.
    pub fn insert_under(
        &self,
        model: &str,
        scope: &[(&str, &str)],
        fields: Value,
    ) -> Result<Value, SeedError> {
        let doc = contract().document(Api::V1);
        if doc.schema(model).is_none() {
            return Err(SeedError::UnknownModel(model.to_owned()));
        }
        let Value::Object(fields) = fields else {
            return Err(SeedError::NotAnObject(model.to_owned()));
        };
        let value =
            seed_value(doc, model, &fields, self.clock, self.user_id).map_err(|refused| {
                SeedError::Unfit {
                    model: model.to_owned(),
                    fields: refused,
                }
            })?;
        let scope = scope
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        lock(self.store).put(
            Api::V1,
            model,
            Record {
                value: value.clone(),
                scope,
            },
        );
        Ok(value)
    }

    /// Makes sure an item of `model` with this id is stored (a blank one in the scope
    /// of nested routes if there was none, as [`Self::insert_under`] makes it); returns
    /// it.
    pub fn ensure(
        &self,
        model: &str,
        scope: &[(&str, &str)],
        id: Uuid,
    ) -> Result<Value, SeedError> {
        match self.get(model, id) {
            Some(item) => Ok(item),
            None => self.insert_under(model, scope, serde_json::json!({ "id": id })),
        }
    }

    /// The stored item a route reads, replaces, deletes or acts on, when its path names
    /// one: the model and the path parameter holding its id (`GET /projects/{projectId}`:
    /// `Project`, `projectId`). `None` for lists, creates and answers made up.
    pub fn item_of(api: Api, method: &str, template: &str) -> Option<(String, String)> {
        let doc = contract().document(api);
        let op = doc.find(&method.parse().ok()?, template)?;
        match &super::plan::plans(api)[op.index] {
            Plan::Get { kind, id }
            | Plan::Replace { kind, id }
            | Plan::Delete { kind, id }
            | Plan::OnEntity { kind, id } => Some((kind.clone(), id.clone())),
            _ => None,
        }
    }

    /// The item of `model` with this id.
    pub fn get(&self, model: &str, id: Uuid) -> Option<Value> {
        lock(self.store)
            .get(Api::V1, model, &id.to_string())
            .map(|r| r.value.clone())
    }

    /// Every item of `model`, in creation order.
    pub fn all(&self, model: &str) -> Vec<Value> {
        lock(self.store)
            .all(Api::V1, model)
            .map(|r| r.value.clone())
            .collect()
    }

    /// Removes the item of `model` with this id; tells whether it was there.
    pub fn remove(&self, model: &str, id: Uuid) -> bool {
        lock(self.store).remove(Api::V1, model, &id.to_string())
    }
}
