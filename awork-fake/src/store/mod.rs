//! Resources stored generically: every model awork's documents name, kept as JSON in the
//! shape of its schema, with REST semantics derived from the routes that use it.
//!
//! [`plan`] reads each operation of the contract once and decides what it means for
//! the store (list, create, get, replace, delete, an action on a stored entity, a
//! singleton, or only an answer). [`rest`] carries that out on a request, [`fit`] makes
//! bodies and seeds into values valid for a schema, and [`Store`] holds the records.

pub(crate) mod fit;
mod handle;
pub(crate) mod plan;
pub(crate) mod rest;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::Value;

use crate::contract::Api;

pub use handle::{Resources, SeedError};

/// One stored item: its value (valid for its kind's schema) and the path parameters of
/// the route that created it (`projectId` for a comment made under a project).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub(crate) value: Value,
    pub(crate) scope: Vec<(String, String)>,
}

/// Items of one kind, in creation order, by id (lower-case GUID text).
type Collection = IndexMap<String, Record>;

/// Every stored item of one fake.
#[derive(Debug, Default)]
pub(crate) struct Store {
    kinds: HashMap<(Api, String), Collection>,
    singletons: HashMap<(Api, String, String), Value>,
}

impl Store {
    /// The items of `kind`, in creation order.
    pub(crate) fn all(&self, api: Api, kind: &str) -> impl Iterator<Item = &Record> {
        self.kinds
            .get(&(api, kind.to_owned()))
            .into_iter()
            .flat_map(IndexMap::values)
    }

    /// Item `id` of `kind`.
    pub(crate) fn get(&self, api: Api, kind: &str, id: &str) -> Option<&Record> {
        self.kinds
            .get(&(api, kind.to_owned()))?
            .get(&id.to_ascii_lowercase())
    }

    /// Stores `record` under its value's `id`, replacing an item with that id (it keeps
    /// its place in the order).
    pub(crate) fn put(&mut self, api: Api, kind: &str, record: Record) {
        let id = record_id(&record.value);
        self.kinds
            .entry((api, kind.to_owned()))
            .or_default()
            .insert(id, record);
    }

    /// Removes item `id` of `kind`; tells whether it was there.
    pub(crate) fn remove(&mut self, api: Api, kind: &str, id: &str) -> bool {
        self.kinds
            .get_mut(&(api, kind.to_owned()))
            .is_some_and(|items| items.shift_remove(&id.to_ascii_lowercase()).is_some())
    }

    /// The singleton of `kind` at `scope` (e.g. a project's autopilot).
    pub(crate) fn singleton(&self, api: Api, kind: &str, scope: &str) -> Option<&Value> {
        self.singletons
            .get(&(api, kind.to_owned(), scope.to_owned()))
    }

    /// Stores a singleton.
    pub(crate) fn put_singleton(&mut self, api: Api, kind: &str, scope: &str, value: Value) {
        self.singletons
            .insert((api, kind.to_owned(), scope.to_owned()), value);
    }

    /// Removes a singleton; tells whether it was there.
    pub(crate) fn remove_singleton(&mut self, api: Api, kind: &str, scope: &str) -> bool {
        self.singletons
            .remove(&(api, kind.to_owned(), scope.to_owned()))
            .is_some()
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.kinds.clear();
        self.singletons.clear();
    }
}

/// The lower-case `id` of a stored value.
pub(crate) fn record_id(value: &Value) -> String {
    value
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(id: &str, n: i64) -> Record {
        Record {
            value: json!({"id": id, "n": n}),
            scope: vec![],
        }
    }

    #[test]
    fn keeps_creation_order_and_replaces_in_place() {
        let mut store = Store::default();
        store.put(Api::V1, "K", record("B", 1));
        store.put(Api::V1, "K", record("a", 2));
        store.put(Api::V1, "K", record("b", 3));
        let ns: Vec<i64> = store
            .all(Api::V1, "K")
            .map(|r| r.value["n"].as_i64().unwrap())
            .collect();
        assert_eq!(ns, [3, 2]);
        assert!(store.get(Api::V1, "K", "A").is_some());
        assert!(store.get(Api::V2, "K", "a").is_none());
        assert!(store.remove(Api::V1, "K", "a") && !store.remove(Api::V1, "K", "a"));
    }
}
