//! One operation of a document as the fake reads it: its route, parameters, body and
//! answers. Plain data, shared by routing, validation and the behaviours.

use axum::http::Method;
use serde_json::{Map, Value};

/// The path every v1 route lives under.
pub const BASE_PATH: &str = "/api/v1";

/// The path the v2 routes (time entries and the timer) live under.
pub const V2_BASE_PATH: &str = "/api/v2";

/// An API version of awork.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// `/api/v1`: the whole API.
    V1,
    /// `/api/v2`: time entries and the timer.
    V2,
}

impl Api {
    /// The path every route of this version lives under.
    pub(crate) fn base_path(self) -> &'static str {
        match self {
            Api::V1 => BASE_PATH,
            Api::V2 => V2_BASE_PATH,
        }
    }

    /// The URI the version's schemas are registered under for `$ref` resolution.
    #[cfg(feature = "judge")]
    pub(crate) fn schema_uri(self) -> &'static str {
        match self {
            Api::V1 => "urn:awork:v1",
            Api::V2 => "urn:awork:v2",
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamIn {
    Path,
    Query,
    Header,
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) location: ParamIn,
    pub(crate) required: bool,
    pub(crate) schema: Value,
}

/// A declared request body: its media types and their schemas.
#[derive(Debug, Clone)]
pub(crate) struct RequestBody {
    pub(crate) required: bool,
    pub(crate) media: Vec<(String, Option<Value>)>,
}

impl RequestBody {
    /// The schema of the JSON media type (`application/json` or `application/*+json`).
    pub(crate) fn json_schema(&self) -> Option<&Value> {
        self.media
            .iter()
            .find(|(media, _)| is_json_media(media))
            .and_then(|(_, schema)| schema.as_ref())
    }

    /// Whether the body is a `multipart/form-data` upload.
    pub(crate) fn is_multipart(&self) -> bool {
        self.media
            .iter()
            .any(|(media, _)| media.starts_with("multipart/"))
    }
}

/// One declared response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// The status, or `None` for `default`.
    pub(crate) status: Option<u16>,
    /// The media type and schema of its body, if it has one.
    pub(crate) body: Option<(String, Option<Value>)>,
}

impl Response {
    /// The schema of a JSON body.
    pub(crate) fn json_schema(&self) -> Option<&Value> {
        self.body
            .as_ref()
            .filter(|(media, _)| is_json_media(media))
            .and_then(|(_, schema)| schema.as_ref())
    }
}

/// One segment of a route template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Fixed text, kept in lower case (awork's routing ignores case).
    Literal(String),
    /// `{name}`.
    Param(String),
}

/// One operation of a document.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) api: Api,
    pub(crate) method: Method,
    /// The path template below the version's base path, e.g. `/projects/{projectId}`.
    pub(crate) template: String,
    pub(crate) segments: Vec<Segment>,
    pub(crate) operation_id: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<RequestBody>,
    pub(crate) responses: Vec<Response>,
    /// Documented only in awork's guides, not in the OpenAPI document (the OAuth
    /// authorize and token URLs): routed, but nothing to validate.
    pub(crate) guide_only: bool,
    /// Position in its document, for per-operation caches.
    pub(crate) index: usize,
}

impl Operation {
    /// The response a successful call gives: 200, else 201, 202, 207, 204, else the
    /// first 2xx declared.
    pub(crate) fn success(&self) -> Option<&Response> {
        success_of(&self.responses)
    }

    /// The parameter `name` declared in `location`.
    pub(crate) fn parameter(&self, location: ParamIn, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.location == location && p.name.eq_ignore_ascii_case(name))
    }

    /// `METHOD /api/vN/template`, for messages.
    pub(crate) fn label(&self) -> String {
        format!("{} {}{}", self.method, self.api.base_path(), self.template)
    }
}

/// The success response among `responses`.
pub(crate) fn success_of(responses: &[Response]) -> Option<&Response> {
    [200, 201, 202, 207, 204]
        .iter()
        .find_map(|status| responses.iter().find(|r| r.status == Some(*status)))
        .or_else(|| {
            responses
                .iter()
                .find(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
        })
}

/// The name of a `#/components/schemas/…` reference.
pub(crate) fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// Whether a media type carries JSON.
pub(crate) fn is_json_media(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or_default().trim();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

pub(crate) fn operation(
    api: Api,
    method: Method,
    template: &str,
    op: &Value,
    index: usize,
) -> Operation {
    let parameters = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(parameter)
        .collect();
    let body = op.get("requestBody").map(|body| RequestBody {
        required: body["required"].as_bool().unwrap_or(false),
        media: media_list(&body["content"]),
    });
    let responses = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, response)| Response {
            status: status.parse().ok(),
            body: media_list(&response["content"]).into_iter().next(),
        })
        .collect();
    Operation {
        api,
        method,
        template: template.to_owned(),
        segments: segments(template),
        operation_id: op["operationId"].as_str().unwrap_or_default().to_owned(),
        parameters,
        body,
        responses,
        guide_only: false,
        index,
    }
}

fn parameter(param: &Value) -> Option<Parameter> {
    let location = match param["in"].as_str()? {
        "path" => ParamIn::Path,
        "query" => ParamIn::Query,
        "header" => ParamIn::Header,
        _ => return None,
    };
    Some(Parameter {
        name: param["name"].as_str()?.to_owned(),
        location,
        required: param["required"]
            .as_bool()
            .unwrap_or(location == ParamIn::Path),
        schema: param
            .get("schema")
            .cloned()
            .unwrap_or(Value::Object(Map::new())),
    })
}

fn media_list(content: &Value) -> Vec<(String, Option<Value>)> {
    content
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media, entry)| (media.clone(), entry.get("schema").cloned()))
        .collect()
}

/// Splits a template into segments; literals in lower case.
pub(crate) fn segments(template: &str) -> Vec<Segment> {
    template
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_owned()),
                None => Segment::Literal(s.to_ascii_lowercase()),
            },
        )
        .collect()
}
