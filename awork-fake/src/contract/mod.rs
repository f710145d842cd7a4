//! awork's contract: the two vendored OpenAPI documents (v1 and v2, our corrections
//! applied, nothing loosened), loaded once per process.
//!
//! The fake routes every request through it ([`routes`]), judges what the client sent
//! ([`validate`]: path, query and header parameters and JSON bodies, with the
//! `jsonschema` crate) and, where no stored state says otherwise, answers with values
//! made from the response schemas ([`sample`]). The fake's own answers are judged too
//! ([`validate::check_answer`]), so a fake that drifts from awork fails the tests that
//! use it instead of teaching them something awork never says.
//!
//! The documents are written by `cargo xtask regen` into `awork-fake/contract/`.
//!
//! The same judge is open to tests of their own: [`check_body`] says whether a body is
//! what awork's contract allows for an operation, [`check_value`] whether a value fits
//! one of its models (both with the feature `judge`, on by default), and [`sample`]
//! makes values of a model, plain or random with extremes, for testing a client's
//! decoding.

mod call;
mod document;
pub(crate) mod formats;
mod operation;
mod params;
pub(crate) mod routes;
pub(crate) mod sample;
#[cfg(feature = "judge")]
mod schema;
pub(crate) mod validate;

use std::sync::OnceLock;

use axum::http::Method;
use serde_json::Value;

#[cfg(feature = "judge")]
use crate::wire::ValidationError;

pub(crate) use call::Call;
pub(crate) use document::Document;
pub use operation::{Api, BASE_PATH, V2_BASE_PATH};
pub(crate) use operation::{Operation, ParamIn, is_json_media};
pub(crate) use routes::Matched;

/// The v1 document, as `cargo xtask regen` wrote it.
const V1: &str = include_str!("../../contract/awork-v1.json");
/// The v2 document (time entries and the timer).
const V2: &str = include_str!("../../contract/awork-v2.json");

/// Both documents, parsed and indexed.
#[derive(Debug)]
pub(crate) struct Contract {
    v1: Document,
    v2: Document,
}

impl Contract {
    /// The document of one API version.
    pub(crate) fn document(&self, api: Api) -> &Document {
        match api {
            Api::V1 => &self.v1,
            Api::V2 => &self.v2,
        }
    }
}

/// The contract, parsed on first use and shared by every fake of the process.
pub(crate) fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| Contract {
        v1: Document::parse(Api::V1, &parse_json(V1, "awork-v1.json")),
        v2: Document::parse(Api::V2, &parse_json(V2, "awork-v2.json")),
    })
}

fn parse_json(text: &str, name: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| {
        panic!("contract/{name} is not JSON ({error}); run `cargo xtask regen`")
    })
}

/// One operation of awork's contract, as [`operations`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The API version.
    pub api: Api,
    /// The HTTP method, e.g. `PUT`.
    pub method: String,
    /// The path template below the version's base path, e.g. `/projects/{projectId}`.
    pub template: String,
    /// awork's operationId.
    pub operation_id: String,
}

/// Every operation of a version's document, in document order (v1 also lists the two
/// OAuth routes awork documents in its guides only).
pub fn operations(api: Api) -> Vec<OperationInfo> {
    contract()
        .document(api)
        .operations()
        .iter()
        .map(|op| OperationInfo {
            api,
            method: op.method.to_string(),
            template: op.template.clone(),
            operation_id: op.operation_id.clone(),
        })
        .collect()
}

/// Whether `body` is a JSON body awork's contract allows for `method template` (e.g.
/// `PUT`, `/timeentries/{timeEntryId}` of [`Api::V2`]); `Err` lists each problem by
/// property, as the fake would answer it.
///
/// # Panics
/// When the document has no such operation, or it takes no JSON body.
#[cfg(feature = "judge")]
pub fn check_body(
    api: Api,
    method: &str,
    template: &str,
    body: &Value,
) -> Result<(), Vec<ValidationError>> {
    let doc = contract().document(api);
    let method: Method = method
        .parse()
        .unwrap_or_else(|_| panic!("{method:?} is no HTTP method"));
    let op = doc
        .find(&method, template)
        .unwrap_or_else(|| panic!("awork's {api:?} document has no operation {method} {template}"));
    let schema = op
        .body
        .as_ref()
        .and_then(|b| b.json_schema())
        .unwrap_or_else(|| panic!("{method} {template} takes no JSON body"));
    validate::check_instance(doc.validators(), schema, body)
}

/// Whether `value` fits the model `schema` (a schema name, e.g. `TimeBooking`) as awork
/// states it; `Err` lists each problem.
///
/// # Panics
/// When the document has no such model.
#[cfg(feature = "judge")]
pub fn check_value(api: Api, schema: &str, value: &Value) -> Result<(), Vec<ValidationError>> {
    let doc = contract().document(api);
    assert!(
        doc.schema(schema).is_some(),
        "awork's {api:?} document has no model {schema}"
    );
    let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") });
    validate::check_instance(doc.validators(), &reference, value)
}

/// How [`sample`] chooses values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SampleStyle {
    /// Every property at the top, no `null`s, calm values: the same for the same seed.
    Plain,
    /// Random presence and `null`s where allowed, and the extremes of every type: the
    /// ends of an integer's range, empty and long text, the first and last dates.
    Random,
    /// Every property present (`null` where allowed, now and then), each at the
    /// extremes of its type: a complete model at its limits.
    Extremes,
    /// Like `Random`, and one enum value in five is one awork has not listed (valid for
    /// a client that keeps enums open, not for the strict contract).
    RandomWithUnknownEnums,
}

/// A value of the model `schema` (a schema name), made from awork's contract.
///
/// # Panics
/// When the document has no such model.
pub fn sample(api: Api, schema: &str, style: SampleStyle, seed: u64) -> Value {
    let doc = contract().document(api);
    assert!(
        doc.schema(schema).is_some(),
        "awork's {api:?} document has no model {schema}"
    );
    let style = match style {
        SampleStyle::Plain => sample::Style::plain(),
        SampleStyle::Random => sample::Style::random(),
        SampleStyle::Extremes => sample::Style::extremes(),
        SampleStyle::RandomWithUnknownEnums => sample::Style::random().with_unknown_enums(),
    };
    let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") });
    sample::Sampler::new(doc, style, seed, chrono::Utc::now()).value(&reference)
}

/// The names of every model of a version's document.
pub fn schema_names(api: Api) -> Vec<String> {
    contract().document(api).schemas().keys().cloned().collect()
}

/// Values for one request of an operation, made from its schemas: one for every
/// parameter and the JSON body, as [`sample_request`] makes them.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestSample {
    /// Path, query and header parameters by wire name.
    pub parameters: Vec<(String, Value)>,
    /// The JSON body, if the operation takes one.
    pub body: Option<Value>,
}

/// A request of `method template` that awork's contract allows: a plain value for every
/// parameter (paging asks for page 1 of 10; `filterby` and `orderby` are left out, as
/// they are expressions, not values) and for the JSON body.
///
/// # Panics
/// When the document has no such operation.
pub fn sample_request(api: Api, method: &str, template: &str, seed: u64) -> RequestSample {
    let doc = contract().document(api);
    let method: Method = method
        .parse()
        .unwrap_or_else(|_| panic!("{method:?} is no HTTP method"));
    let op = doc
        .find(&method, template)
        .unwrap_or_else(|| panic!("awork's {api:?} document has no operation {method} {template}"));
    let mut sampler = sample::Sampler::new(doc, sample::Style::plain(), seed, chrono::Utc::now());
    let mut parameters = Vec::new();
    for param in &op.parameters {
        let value = match param.name.as_str() {
            "filterby" | "orderby" => continue,
            "page" => Value::from(1),
            "pageSize" => Value::from(10),
            name => sampler.named(&param.schema, name),
        };
        parameters.push((param.name.clone(), value));
    }
    let body = op
        .body
        .as_ref()
        .and_then(|b| b.json_schema())
        .map(|schema| sampler.value(schema));
    RequestSample { parameters, body }
}
