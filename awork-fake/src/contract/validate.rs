//! Judging requests and answers by the contract, with the `jsonschema` crate.
//!
//! Every named schema of a document is translated once ([`super::schema`]) and put into
//! one registry; each operation's validators are compiled on first use and kept.

use std::sync::OnceLock;

use axum::http::HeaderMap;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value};

use super::operation::{Api, Operation, ParamIn, ref_name};
use super::schema::{registry_resource, to_json_schema};
use super::{formats, params};
use crate::wire::{AnswerBody, ApiError, Body, QueryParams, ValidationError};

/// The longest message taken over from the validator.
const MAX_MESSAGE: usize = 240;

/// The compiled validators of one document.
pub(crate) struct Validators {
    api: Api,
    schemas: Map<String, Value>,
    registry: Registry<'static>,
    operations: Vec<OnceLock<Compiled>>,
    error_response: OnceLock<Option<Validator>>,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validators")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

/// One operation's validators: parameters (in declaration order), body, responses (in
/// declaration order).
struct Compiled {
    parameters: Vec<Validator>,
    body: Option<Validator>,
    responses: Vec<Option<Validator>>,
}

impl Validators {
    /// Registers the document's schemas; nothing is compiled yet.
    pub(crate) fn new(api: Api, schemas: Map<String, Value>, operations: usize) -> Self {
        let resource = registry_resource(&schemas, api.schema_uri());
        let registry = Registry::new()
            .draft(Draft::Draft7)
            .add(api.schema_uri(), resource)
            .and_then(|builder| builder.prepare())
            .unwrap_or_else(|error| {
                panic!("the {api:?} contract's schemas do not register: {error}")
            });
        Self {
            api,
            schemas,
            registry,
            operations: (0..operations).map(|_| OnceLock::new()).collect(),
            error_response: OnceLock::new(),
        }
    }

    /// Compiles one OpenAPI schema.
    fn compile(&self, schema: &Value) -> Validator {
        let translated = to_json_schema(schema, self.api.schema_uri());
        jsonschema::options()
            .with_draft(Draft::Draft7)
            .with_registry(&self.registry)
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
        self.operations[op.index].get_or_init(|| Compiled {
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

    /// Follows a `$ref` to a named schema; other schemas come back as they are.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match ref_name(schema).and_then(|name| self.schemas.get(name)) {
            Some(target) => self.resolve(target),
            None => schema,
        }
    }

    fn error_response(&self) -> Option<&Validator> {
        self.error_response
            .get_or_init(|| {
                Some(
                    self.compile(
                        &serde_json::json!({"$ref": "#/components/schemas/ErrorResponse"}),
                    ),
                )
            })
            .as_ref()
    }
}

/// What a request brought, as the engine read it.
pub(crate) struct Sent<'a> {
    pub(crate) path: &'a [(String, String)],
    pub(crate) query: &'a QueryParams,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Body,
}

/// Checks a request against its operation: every parameter and the JSON body. All
/// problems are reported at once, as one 400 `validation-failed`.
pub(crate) fn check_request(
    validators: &Validators,
    op: &Operation,
    sent: &Sent<'_>,
) -> Result<(), ApiError> {
    if op.guide_only {
        return Ok(());
    }
    let compiled = validators.compiled(op);
    let mut errors = Vec::new();
    for (param, validator) in op.parameters.iter().zip(&compiled.parameters) {
        let raw: Vec<&str> = match param.location {
            ParamIn::Path => sent
                .path
                .iter()
                .filter(|(name, _)| name == &param.name)
                .map(|(_, value)| value.as_str())
                .collect(),
            ParamIn::Query => sent.query.get_all(&param.name).collect(),
            ParamIn::Header => sent
                .headers
                .get_all(param.name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect(),
        };
        if raw.is_empty() {
            if param.required {
                errors.push(ValidationError::new(&param.name, "is required"));
            }
            continue;
        }
        match params::read(&raw, &param.schema) {
            Ok(value) => {
                let before = errors.len();
                errors.extend(
                    validator
                        .iter_errors(&value)
                        .map(|error| describe(&param.name, &error)),
                );
                if errors.len() == before
                    && let Some(problem) = guide_rule(param.location, &param.name, &value)
                {
                    errors.push(ValidationError::new(&param.name, problem));
                }
            }
            Err(problem) => errors.push(ValidationError::new(&param.name, problem)),
        }
    }
    check_body(op, compiled, sent.body, &mut errors)?;
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::validation(errors)),
    }
}

/// What awork's guides add to the document for paged lists: pages count from 1, and a
/// page holds at most 1000 items (the document declares neither).
fn guide_rule(location: ParamIn, name: &str, value: &Value) -> Option<String> {
    if location != ParamIn::Query {
        return None;
    }
    let n = value.as_i64()?;
    match name {
        "page" if n < 1 => Some(format!("pages count from 1; {n} is no page")),
        "pageSize" if !(1..=1000).contains(&n) => {
            Some(format!("a page holds 1 to 1000 items, not {n}"))
        }
        _ => None,
    }
}

/// The body: a missing required body, or one that is not the model's type at all, is
/// awork's `invalid-model`; problems inside the model are listed by property.
fn check_body(
    op: &Operation,
    compiled: &Compiled,
    body: &Body,
    errors: &mut Vec<ValidationError>,
) -> Result<(), ApiError> {
    let Some(declared) = &op.body else {
        return Ok(());
    };
    match body {
        Body::Empty if declared.required => {
            return Err(ApiError::invalid_model(
                "This operation needs a request body.",
            ));
        }
        Body::Json(value) => match &compiled.body {
            Some(validator) => {
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
            }
            None if declared.is_multipart() => {
                return Err(ApiError::invalid_model(
                    "This operation takes multipart/form-data, not JSON.",
                ));
            }
            None => {}
        },
        _ => {}
    }
    Ok(())
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

/// Checks an answer the fake is about to send against what the operation declares.
/// `Err` says how the answer breaks the contract.
pub(crate) fn check_answer(
    validators: &Validators,
    op: &Operation,
    status: u16,
    body: &AnswerBody,
) -> Result<(), String> {
    if op.guide_only {
        return Ok(());
    }
    let compiled = validators.compiled(op);
    let declared = op
        .responses
        .iter()
        .position(|r| r.status == Some(status))
        .or_else(|| op.responses.iter().position(|r| r.status.is_none()));
    let success = (200..300).contains(&status);
    let Some(index) = declared else {
        let declares_success = op
            .responses
            .iter()
            .any(|r| r.status.is_some_and(|s| (200..300).contains(&s)));
        return match (success, body) {
            // A document that declares no success at all says nothing to judge it by.
            (true, _) if !declares_success => Ok(()),
            (true, _) => Err(format!("{} declares no {status} answer", op.label())),
            (false, AnswerBody::Error(error)) => validate_value(
                validators.error_response(),
                &serde_json::to_value(error.body("0")).unwrap_or_default(),
            ),
            (false, _) => Ok(()),
        };
    };
    let response = &op.responses[index];
    match body {
        AnswerBody::Empty => match response.body.as_ref().and_then(|(_, s)| s.as_ref()) {
            Some(_) if success => Err(format!(
                "{} declares a body for {status}; the answer has none",
                op.label()
            )),
            _ => Ok(()),
        },
        AnswerBody::Json(value) => match &compiled.responses[index] {
            Some(validator) => validate_value(Some(validator), value),
            None if response.body.is_none() => Err(format!(
                "{} declares no body for {status}; the answer has JSON",
                op.label()
            )),
            None => Ok(()),
        },
        AnswerBody::Error(error) => {
            let value = serde_json::to_value(error.body("0")).unwrap_or_default();
            match &compiled.responses[index] {
                Some(validator) => validate_value(Some(validator), &value),
                None => validate_value(validators.error_response(), &value),
            }
        }
        AnswerBody::Bytes { .. } => match response.json_schema() {
            Some(schema) if !is_binary(validators, schema) => Err(format!(
                "{} declares JSON for {status}; the answer is a file",
                op.label()
            )),
            _ => Ok(()),
        },
    }
}

/// Whether a declared JSON schema is really a file (a `binary` string).
fn is_binary(validators: &Validators, schema: &Value) -> bool {
    let schema = validators.resolve(schema);
    schema.get("type") == Some(&Value::String("string".into()))
        && schema.get("format") == Some(&Value::String("binary".into()))
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

/// The named schema a schema refers to, if it is a reference.
pub(crate) fn referenced(schema: &Value) -> Option<&str> {
    ref_name(schema)
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
