//! One OpenAPI document as the fake reads it: its operations, the schemas they refer
//! to, the route table over them, and (compiled on first use) their validators.

use std::sync::OnceLock;

use axum::http::Method;
use serde_json::{Map, Value};

use super::operation::{Api, Operation, operation, ref_name};
use super::routes::RouteTable;
use super::validate::Validators;

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Document {
    api: Api,
    operations: Vec<Operation>,
    routes: RouteTable,
    schemas: Map<String, Value>,
    validators: OnceLock<Validators>,
}

impl Document {
    /// Reads the contract document of `api`.
    pub(crate) fn parse(api: Api, doc: &Value) -> Self {
        let mut operations = Vec::new();
        for (template, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                let index = operations.len();
                operations.push(operation(api, method, template, op, index));
            }
        }
        if api == Api::V1 {
            for (method, template) in GUIDE_ONLY {
                let index = operations.len();
                let mut op = operation(api, method, template, &Value::Null, index);
                op.guide_only = true;
                operations.push(op);
            }
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let routes = RouteTable::new(&operations);
        Self {
            api,
            operations,
            routes,
            schemas,
            validators: OnceLock::new(),
        }
    }

    /// The API version.
    pub(crate) fn api(&self) -> Api {
        self.api
    }

    /// Every operation in document order.
    pub(crate) fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The route table.
    pub(crate) fn routes(&self) -> &RouteTable {
        &self.routes
    }

    /// The named schemas (`components/schemas`), as awork states them.
    pub(crate) fn schemas(&self) -> &Map<String, Value> {
        &self.schemas
    }

    /// The schema `name`, if the document has it.
    pub(crate) fn schema(&self, name: &str) -> Option<&Value> {
        self.schemas.get(name)
    }

    /// Follows a `$ref` to a named schema; other schemas come back as they are.
    pub(crate) fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match ref_name(schema) {
            Some(name) => self.schema(name).map_or(schema, |s| self.resolve(s)),
            None => schema,
        }
    }

    /// The compiled validators (built on first use: compiling costs more than loading).
    pub(crate) fn validators(&self) -> &Validators {
        self.validators
            .get_or_init(|| Validators::new(self.api, self.schemas.clone(), self.operations.len()))
    }

    /// The operation `method template`, if declared.
    pub(crate) fn find(&self, method: &Method, template: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|op| op.method == method && op.template.eq_ignore_ascii_case(template))
    }
}

/// Routes awork documents in its guides only (authentication page), not in the
/// OpenAPI document.
const GUIDE_ONLY: [(Method, &str); 2] = [
    (Method::GET, "/accounts/authorize"),
    (Method::POST, "/accounts/token"),
];
