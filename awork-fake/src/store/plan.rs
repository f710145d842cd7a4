//! What each operation of the contract means for the store, decided once from the
//! routes and schemas alone.
//!
//! The rules follow awork's conventions:
//!
//! * `GET` answering an array of a model lists the stored items of that model, limited
//!   to the path's scope (`GET /projects/{projectId}/projecttasks` lists tasks whose
//!   `projectId` is that project, or that were created under it);
//! * a route ending in an id parameter (a GUID) gets, puts or deletes that item of the
//!   model its `GET` answers; `POST …/{id}/delete` deletes it too;
//! * `POST` answering a model that has an `id` acts on the stored item a path
//!   parameter names (`/projects/{projectId}/setprojectkey` answers the project, with
//!   the body's fitting properties applied), or else creates one (`POST /tasks`,
//!   `POST /projects/{projectId}/addprojectmember`);
//! * a model answered where no id names it is a singleton of its scope
//!   (`/projects/{projectId}/autopilot`): read, written and deleted in place;
//! * everything else answers a value made from its response schema.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use axum::http::Method;
use serde_json::Value;

use crate::contract::{Api, Document, Operation, ParamIn, contract};

/// What an operation does to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The items of `kind` in the path's scope (or an empty list for inline items).
    List { kind: Option<String> },
    /// A new item of `kind`, from the body.
    Create { kind: String },
    /// Item `id` (a path parameter) of `kind`.
    Get { kind: String, id: String },
    /// Item `id` of `kind`, with the body's properties.
    Replace { kind: String, id: String },
    /// Removes item `id` of `kind`.
    Delete { kind: String, id: String },
    /// An action on item `id` of `kind`, answering it.
    OnEntity { kind: String, id: String },
    /// The one `kind` of the path's scope.
    Singleton { kind: String },
    /// A value made from the response schema.
    Answer,
}

/// The plans of a document's operations, by operation index.
pub(crate) fn plans(api: Api) -> &'static [Plan] {
    static PLANS: [OnceLock<Vec<Plan>>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = match api {
        Api::V1 => &PLANS[0],
        Api::V2 => &PLANS[1],
    };
    slot.get_or_init(|| Planner::new(contract().document(api)).all())
}

/// The shape of an operation's success answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// A named model.
    Model(String),
    /// An array of a named model, or of something inline.
    List(Option<String>),
    /// Nothing, or something unnamed.
    Other,
}

struct Planner<'d> {
    doc: &'d Document,
    /// For each model with an `id`, the path parameters that name its items.
    id_params: HashMap<String, HashSet<String>>,
}

impl<'d> Planner<'d> {
    fn new(doc: &'d Document) -> Self {
        let mut planner = Self {
            doc,
            id_params: HashMap::new(),
        };
        for op in doc.operations() {
            if let Some(id) = trailing_id(op)
                && let Some(kind) = planner.item_kind(op)
            {
                planner
                    .id_params
                    .entry(kind)
                    .or_default()
                    .insert(id.to_ascii_lowercase());
            }
        }
        planner
    }

    fn all(&self) -> Vec<Plan> {
        self.doc
            .operations()
            .iter()
            .map(|op| self.plan(op))
            .collect()
    }

    fn plan(&self, op: &Operation) -> Plan {
        if op.guide_only {
            return Plan::Answer;
        }
        let shape = self.shape(op);
        if op.method == Method::GET
            && let Shape::List(kind) = &shape
        {
            return Plan::List { kind: kind.clone() };
        }
        if let Some(id) = trailing_id(op) {
            return match self.item_kind(op) {
                Some(kind) if op.method == Method::GET => Plan::Get { kind, id },
                Some(kind) if op.method == Method::PUT => Plan::Replace { kind, id },
                Some(kind) if op.method == Method::DELETE => Plan::Delete { kind, id },
                Some(kind) if op.method == Method::POST && shape == Shape::Model(kind.clone()) => {
                    Plan::OnEntity { kind, id }
                }
                _ => Plan::Answer,
            };
        }
        if let Some(plan) = self.delete_action(op) {
            return plan;
        }
        let Shape::Model(kind) = shape else {
            return self.singleton_delete(op).unwrap_or(Plan::Answer);
        };
        if self.is_entity(&kind) {
            if let Some(id) = self.naming_param(op, &kind) {
                return Plan::OnEntity { kind, id };
            }
            if op.method == Method::POST && op.body.is_some() {
                return Plan::Create { kind };
            }
        }
        match op.method {
            Method::GET | Method::PUT | Method::POST => Plan::Singleton { kind },
            _ => Plan::Answer,
        }
    }

    /// `POST …/{id}/delete` of a model whose item route is `…/{id}`.
    fn delete_action(&self, op: &Operation) -> Option<Plan> {
        if op.method != Method::POST || !op.template.to_ascii_lowercase().ends_with("/delete") {
            return None;
        }
        let parent = &op.template[..op.template.len() - "/delete".len()];
        let get = self
            .doc
            .find(&Method::GET, parent)
            .or_else(|| self.doc.find(&Method::PUT, parent))?;
        let id = trailing_id(get)?;
        let kind = self.item_kind(get)?;
        Some(Plan::Delete { kind, id })
    }

    /// `DELETE` of a route whose `GET` is a singleton.
    fn singleton_delete(&self, op: &Operation) -> Option<Plan> {
        if op.method != Method::DELETE {
            return None;
        }
        let get = self.doc.find(&Method::GET, &op.template)?;
        match self.plan(get) {
            Plan::Singleton { kind } => Some(Plan::Singleton { kind }),
            _ => None,
        }
    }

    /// The model an operation ending in an id works on: its own answer's, or that of
    /// the `GET` of the same route.
    fn item_kind(&self, op: &Operation) -> Option<String> {
        let own = match self.shape(op) {
            Shape::Model(kind) => Some(kind),
            _ => None,
        };
        let kind = own.or_else(|| {
            let get = self.doc.find(&Method::GET, &op.template)?;
            match self.shape(get) {
                Shape::Model(kind) => Some(kind),
                _ => None,
            }
        })?;
        self.is_entity(&kind).then_some(kind)
    }

    /// A path parameter known to name items of `kind`.
    fn naming_param(&self, op: &Operation, kind: &str) -> Option<String> {
        let names = self.id_params.get(kind)?;
        op.parameters
            .iter()
            .filter(|p| p.location == ParamIn::Path)
            .rev()
            .find(|p| names.contains(&p.name.to_ascii_lowercase()))
            .map(|p| p.name.clone())
    }

    fn is_entity(&self, kind: &str) -> bool {
        self.doc
            .schema(kind)
            .and_then(|schema| schema.get("properties"))
            .is_some_and(|properties| properties.get("id").is_some())
    }

    fn shape(&self, op: &Operation) -> Shape {
        let Some(schema) = op.success().and_then(|r| r.json_schema()) else {
            return Shape::Other;
        };
        if let Some(name) = crate::contract::validate::referenced(schema) {
            return Shape::Model(name.to_owned());
        }
        if schema.get("type") == Some(&Value::String("array".into())) {
            let item = crate::contract::validate::referenced(&schema["items"]).map(str::to_owned);
            return Shape::List(item);
        }
        Shape::Other
    }
}

/// The name of the last path segment, when it is a GUID parameter.
fn trailing_id(op: &Operation) -> Option<String> {
    let last = op.template.rsplit('/').next()?;
    let name = last.strip_prefix('{')?.strip_suffix('}')?;
    let param = op.parameter(ParamIn::Path, name)?;
    (param.schema.get("format") == Some(&Value::String("uuid".into()))).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(api: Api, method: Method, template: &str) -> Plan {
        let doc = contract().document(api);
        let op = doc
            .find(&method, template)
            .unwrap_or_else(|| panic!("{method} {template}"));
        plans(api)[op.index].clone()
    }

    fn kind(name: &str) -> String {
        name.to_owned()
    }

    #[test]
    fn projects_and_tasks_read_as_rest() {
        use Method as M;
        assert_eq!(
            plan_of(Api::V1, M::GET, "/projects"),
            Plan::List {
                kind: Some(kind("Project"))
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::POST, "/projects"),
            Plan::Create {
                kind: kind("Project")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::GET, "/projects/{projectId}"),
            Plan::Get {
                kind: kind("Project"),
                id: kind("projectId")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::PUT, "/projects/{projectId}"),
            Plan::Replace {
                kind: kind("Project"),
                id: kind("projectId")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::POST, "/projects/{projectId}/delete"),
            Plan::Delete {
                kind: kind("Project"),
                id: kind("projectId")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::POST, "/projects/{projectId}/setprojectkey"),
            Plan::OnEntity {
                kind: kind("Project"),
                id: kind("projectId")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::POST, "/tasks"),
            Plan::Create {
                kind: kind("TaskModel")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::GET, "/projects/{projectId}/projecttasks"),
            Plan::List {
                kind: Some(kind("TaskModel"))
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::GET, "/tasks/{taskId}"),
            Plan::Get {
                kind: kind("TaskModel"),
                id: kind("taskId")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::POST, "/projects/{projectId}/addprojectmember"),
            Plan::Create {
                kind: kind("ProjectMember")
            }
        );
        assert_eq!(
            plan_of(Api::V1, M::DELETE, "/timebookings/{timeBookingId}"),
            Plan::Answer,
            "no GET names the booking's model"
        );
    }

    #[test]
    fn singletons_and_plain_answers() {
        use Method as M;
        assert!(matches!(
            plan_of(Api::V1, M::GET, "/projects/{projectId}/autopilot"),
            Plan::Singleton { .. }
        ));
        assert!(matches!(
            plan_of(Api::V1, M::DELETE, "/projects/{projectId}/autopilot"),
            Plan::Singleton { .. }
        ));
        assert_eq!(
            plan_of(Api::V1, M::POST, "/projects/{projectId}/changestatus"),
            Plan::Answer
        );
    }
}
