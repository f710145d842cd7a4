//! Judging requests and answers by the contract: which parameters a request must
//! bring and how they read, whether a body is there and JSON where the operation takes
//! JSON, whether an answer is one the operation declares.
//!
//! What is wrong *inside* a value, by its schema, is [`judge`]'s part, with the
//! `jsonschema` crate, behind the feature `judge` (on by default). A fake built without
//! it (the examples' first run compiles faster that way) still routes, reads
//! parameters, enforces required ones and the guides' paging rules, and stores and
//! answers as always, but lets any value through and does not judge its answers.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::operation::{Api, Operation, ParamIn, ref_name};
use super::params;
use crate::wire::{AnswerBody, ApiError, Body, QueryParams, ValidationError};

#[cfg(feature = "judge")]
mod judge;
#[cfg(feature = "judge")]
pub(crate) use judge::check_instance;
#[cfg(all(test, feature = "judge"))]
pub(crate) use judge::is_valid_instance;

/// One document's judge: its named schemas and, with the feature `judge`, their
/// validators, compiled on first use.
pub(crate) struct Validators {
    api: Api,
    schemas: Map<String, Value>,
    #[cfg(feature = "judge")]
    judge: judge::Judge,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validators")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl Validators {
    /// Registers the document's schemas; nothing is compiled yet.
    pub(crate) fn new(api: Api, schemas: Map<String, Value>, operations: usize) -> Self {
        #[cfg(not(feature = "judge"))]
        let _ = operations;
        Self {
            #[cfg(feature = "judge")]
            judge: judge::Judge::new(api, &schemas, operations),
            api,
            schemas,
        }
    }

    /// Follows a `$ref` to a named schema; other schemas come back as they are.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match ref_name(schema).and_then(|name| self.schemas.get(name)) {
            Some(target) => self.resolve(target),
            None => schema,
        }
    }
}

/// Without the feature `judge`, no value has problems inside it.
#[cfg(not(feature = "judge"))]
impl Validators {
    fn param_problems(&self, _: &Operation, _: usize, _: &Value, _: &mut Vec<ValidationError>) {}

    fn body_problems(
        &self,
        _: &Operation,
        _: &Value,
        _: &mut Vec<ValidationError>,
    ) -> Result<(), ApiError> {
        Ok(())
    }

    fn answer_problems(&self, _: &Operation, _: usize, _: &Value) -> Result<(), String> {
        Ok(())
    }

    fn error_problems(&self, _: &Value) -> Result<(), String> {
        Ok(())
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
    let mut errors = Vec::new();
    for (index, param) in op.parameters.iter().enumerate() {
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
                validators.param_problems(op, index, &value, &mut errors);
                if errors.len() == before
                    && let Some(problem) = guide_rule(param.location, &param.name, &value)
                {
                    errors.push(ValidationError::new(&param.name, problem));
                }
            }
            Err(problem) => errors.push(ValidationError::new(&param.name, problem)),
        }
    }
    check_body(validators, op, sent.body, &mut errors)?;
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
    validators: &Validators,
    op: &Operation,
    body: &Body,
    errors: &mut Vec<ValidationError>,
) -> Result<(), ApiError> {
    let Some(declared) = &op.body else {
        return Ok(());
    };
    match body {
        Body::Empty if declared.required => Err(ApiError::invalid_model(
            "This operation needs a request body.",
        )),
        Body::Json(value) => match declared.json_schema() {
            Some(_) => validators.body_problems(op, value, errors),
            None if declared.is_multipart() => Err(ApiError::invalid_model(
                "This operation takes multipart/form-data, not JSON.",
            )),
            None => Ok(()),
        },
        _ => Ok(()),
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
            (false, AnswerBody::Error(error)) => validators
                .error_problems(&serde_json::to_value(error.body("0")).unwrap_or_default()),
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
        AnswerBody::Json(value) => match response.json_schema() {
            Some(_) => validators.answer_problems(op, index, value),
            None if response.body.is_none() => Err(format!(
                "{} declares no body for {status}; the answer has JSON",
                op.label()
            )),
            None => Ok(()),
        },
        AnswerBody::Error(error) => {
            let value = serde_json::to_value(error.body("0")).unwrap_or_default();
            match response.json_schema() {
                Some(_) => validators.answer_problems(op, index, &value),
                None => validators.error_problems(&value),
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

/// The named schema a schema refers to, if it is a reference.
pub(crate) fn referenced(schema: &Value) -> Option<&str> {
    ref_name(schema)
}
