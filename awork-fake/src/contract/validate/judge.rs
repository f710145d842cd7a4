//! The schema half of the judge, with the `jsonschema` crate (feature `judge`, on by
//! default): every named schema of a document is translated once
//! ([`crate::contract::schema`]) and put into one registry; each operation's validators
//! are compiled on first use and kept.
//!
//! [`super`] decides what is checked where (which parameter, which body, which answer);
//! this module says what is wrong inside a value.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value};

use super::Validators;
use crate::contract::formats;
use crate::contract::operation::{Api, Operation};
use crate::contract::schema::{registry_resource, to_json_schema};
use crate::wire::{ApiError, ValidationError};

/// The longest message taken over from the validator.
const MAX_MESSAGE: usize = 240;

/// The compiled validators of one document.
pub(super) struct Judge {
    registry: Registry<'static>,
    operations: Vec<OnceLock<Compiled>>,
    error_response: OnceLock<Option<Validator>>,
}

/// One operation's validators: parameters (in declaration order), body, responses (in
/// declaration order).
struct Compiled {
    parameters: Vec<Validator>,
    body: Option<Validator>,
    responses: Vec<Option<Validator>>,
}

impl Judge {
    /// Registers the document's schemas; nothing is compiled yet.
    pub(super) fn new(api: Api, schemas: &Map<String, Value>, operations: usize) -> Self {
        let resource = registry_resource(schemas, api.schema_uri());
        let registry = Registry::new()
            .draft(Draft::Draft7)
            .add(api.schema_uri(), resource)
            .and_then(|builder| builder.prepare())
            .unwrap_or_else(|error| {
                panic!("the {api:?} contract's schemas do not register: {error}")
            });
        Self {
            registry,
            operations: (0..operations).map(|_| OnceLock::new()).collect(),
            error_response: OnceLock::new(),
        }
    }
}

impl Validators {
    /// Compiles one OpenAPI schema.
    fn compile(&self, schema: &Value) -> Validator {
        let translated = to_json_schema(schema, self.api.schema_uri());
        jsonschema::options()
            .with_draft(Draft::Draft7)
            .with_registry(&self.judge.registry)
            .should_validate_formats(true)
            .with_format("uuid", formats::is_uuid)
            .with_format("date", formats::is_date)
            .with_format("date-time", formats::is_date_time)
            .with_format("local-date-time", formats::is_local_date_time)
            .with_format("partial-time", formats::is_partial_time)
            .with_format("byte", formats::is_base64)
            .with_format("binary", |_: &str| true)
            .build(&translated)
            .unwrap_or_else(|error| {
                panic!(
                    "a schema of the {:?} contract does not compile: {error}",
                    self.api
                )
            })
    }

    fn compiled(&self, op: &Operation) -> &Compiled {
        self.judge.operations[op.index].get_or_init(|| Compiled {
            parameters: op
                .parameters
                .iter()
                .map(|p| self.compile(&p.schema))
                .collect(),
            body: op
                .body
                .as_ref()
                .and_then(|body| body.json_schema())
                .map(|schema| self.compile(schema)),
            responses: op
                .responses
                .iter()
                .map(|response| response.json_schema().map(|schema| self.compile(schema)))
                .collect(),
        })
    }

    fn error_response(&self) -> Option<&Validator> {
        self.judge
            .error_response
            .get_or_init(|| {
                Some(
                    self.compile(
                        &serde_json::json!({"$ref": "#/components/schemas/ErrorResponse"}),
                    ),
                )
            })
            .as_ref()
    }

    /// What is wrong with the value of parameter `index` of `op`, by its schema.
    pub(super) fn param_problems(
        &self,
        op: &Operation,
        index: usize,
        value: &Value,
        errors: &mut Vec<ValidationError>,
    ) {
        let name = &op.parameters[index].name;
        let validator = &self.compiled(op).parameters[index];
        errors.extend(validator.iter_errors(value).map(|e| describe(name, &e)));
    }

    /// What is wrong with a JSON body `op` declares a schema for: a body that is not the
    /// model's type at all is awork's `invalid-model`; problems inside it are listed.
    pub(super) fn body_problems(
        &self,
        op: &Operation,
        value: &Value,
        errors: &mut Vec<ValidationError>,
    ) -> Result<(), ApiError> {
        let Some(validator) = &self.compiled(op).body else {
            return Ok(());
        };
        for error in validator.iter_errors(value) {
            let at_root = error.instance_path().to_string().is_empty();
            if at_root && matches!(error.kind(), ValidationErrorKind::Type { .. }) {
                return Err(ApiError::invalid_model(format!(
                    "The body is not the model this operation takes: {}",
                    error.masked()
                )));
            }
            errors.push(describe("body", &error));
        }
        Ok(())
    }

    /// How `value` breaks the schema of answer `index` of `op` (one it declares).
    pub(super) fn answer_problems(
        &self,
        op: &Operation,
        index: usize,
        value: &Value,
    ) -> Result<(), String> {
        validate_value(self.compiled(op).responses[index].as_ref(), value)
    }

    /// How `value` breaks awork's `ErrorResponse` model.
    pub(super) fn error_problems(&self, value: &Value) -> Result<(), String> {
        validate_value(self.error_response(), value)
    }
}

/// One validator error as awork lists it: the property it concerns, and what is wrong.
fn describe(root: &str, error: &jsonschema::ValidationError<'_>) -> ValidationError {
    let mut property = property_path(root, &error.instance_path().to_string());
    match error.kind() {
        ValidationErrorKind::Required { property: missing } => {
            property = join(&property, root, missing.as_str().unwrap_or_default());
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            property = join(&property, root, &unexpected.join(", "));
        }
        _ => {}
    }
    let mut message = error.masked().to_string();
    if message.len() > MAX_MESSAGE {
        let cut = (0..=MAX_MESSAGE)
            .rev()
            .find(|i| message.is_char_boundary(*i))
            .unwrap_or(0);
        message.truncate(cut);
        message.push('…');
    }
    ValidationError::new(property, message)
}

/// `/lists/0/listId` below `body` → `lists[0].listId`; the root itself keeps its name.
fn property_path(root: &str, pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.chars().all(|c| c.is_ascii_digit()) && !segment.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    if out.is_empty() { root.to_owned() } else { out }
}

fn join(parent: &str, root: &str, child: &str) -> String {
    if parent == root {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

fn validate_value(validator: Option<&Validator>, value: &Value) -> Result<(), String> {
    let Some(validator) = validator else {
        return Ok(());
    };
    let problems: Vec<String> = validator
        .iter_errors(value)
        .take(5)
        .map(|error| {
            let found = describe("answer", &error);
            format!("{}: {}", found.property, found.message)
        })
        .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}

/// Whether `value` is valid for the named schema of `doc` (for tests and sampling).
#[cfg(test)]
pub(crate) fn is_valid_instance(
    validators: &Validators,
    schema_name: &str,
    value: &Value,
) -> Result<(), String> {
    let validator = validators
        .compile(&serde_json::json!({"$ref": format!("#/components/schemas/{schema_name}")}));
    validate_value(Some(&validator), value)
}

/// Every problem of `value` for a schema of `doc`, by property (compiles the schema:
/// for tests, not for the request path).
pub(crate) fn check_instance(
    validators: &Validators,
    schema: &Value,
    value: &Value,
) -> Result<(), Vec<ValidationError>> {
    let validator = validators.compile(schema);
    let problems: Vec<ValidationError> = validator
        .iter_errors(value)
        .map(|e| describe("body", &e))
        .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_property_paths() {
        assert_eq!(property_path("body", ""), "body");
        assert_eq!(property_path("body", "/isBilled"), "isBilled");
        assert_eq!(property_path("body", "/lists/0/listId"), "lists[0].listId");
        assert_eq!(property_path("body", "/0/name"), "[0].name");
    }
}
