//! The way every request takes, in this order:
//!
//! 1. it is logged and counted (under its route template, or its literal path);
//! 2. an armed [`crate::Fault`] may take it: latency is waited out, rate limits and
//!    error statuses answer at once;
//! 3. it is authenticated (401), except on the OAuth routes, and counted against the
//!    workspace's rate limits when they are on (429 past them);
//! 4. the contract routes it (404 for an unknown path, 405 for a method the path does
//!    not serve) and judges its parameters and body (400, listing every problem);
//! 5. a behaviour serves it ([`super::dispatch`]);
//! 6. the answer is judged by the contract too (a violation is the fake's bug: 500,
//!    and [`crate::FakeAwork`] reports it);
//! 7. it is written, with `trace-id` and `x-edge-ref`, and a body-damaging fault is
//!    applied last.

use std::sync::Arc;

use axum::body::{Body as HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

use super::auth::authenticate;
use super::dispatch::dispatch;
use super::render::render;
use super::trace::TraceContext;
use super::world::{Violation, World};
use crate::awork::files::MAX_UPLOAD_BYTES;
use crate::awork::oauth::ANONYMOUS_ROUTES;
use crate::contract::validate::{Sent, check_answer, check_request};
use crate::contract::{Api, Call, Document, Matched, contract};
use crate::controls::faults::{Fault, short_circuit, transform};
use crate::controls::limits::Admission;
use crate::sync::lock;
use crate::wire::{Answer, ApiError, Body, FormPart, QueryParams, codes};

/// Where a request's path leads in the contract.
struct Route {
    doc: Option<&'static Document>,
    matched: Matched,
}

impl Route {
    fn of(method: &Method, path: &str) -> Self {
        let versions = [
            (Api::V1, crate::contract::BASE_PATH),
            (Api::V2, crate::contract::V2_BASE_PATH),
        ];
        for (api, base) in versions {
            let rest = match path.strip_prefix(base) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
                _ => continue,
            };
            let doc = contract().document(api);
            return Self {
                doc: Some(doc),
                matched: doc.routes().find(method, rest),
            };
        }
        Self {
            doc: None,
            matched: Matched::NotFound,
        }
    }

    /// The route template to count the request under, else its literal path.
    fn label(&self, path: &str) -> String {
        match (&self.matched, self.doc) {
            (Matched::Operation { index, .. }, Some(doc)) => {
                let op = &doc.operations()[*index];
                format!("{}{}", op.api.base_path(), op.template)
            }
            (Matched::WrongMethod { template, .. }, Some(doc)) => {
                format!("{}{template}", doc.api().base_path())
            }
            _ => path.to_owned(),
        }
    }

    /// The OAuth routes take no bearer credential.
    fn is_anonymous(&self) -> bool {
        match (&self.matched, self.doc) {
            (Matched::Operation { index, .. }, Some(doc)) => {
                let op = &doc.operations()[*index];
                op.api == Api::V1
                    && ANONYMOUS_ROUTES
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&op.template))
            }
            _ => false,
        }
    }
}

/// The one handler of the fake's router.
pub(crate) async fn handle(State(world): State<Arc<World>>, request: Request) -> Response {
    let route = Route::of(request.method(), request.uri().path());
    lock(&world.requests).record(&request, &route.label(request.uri().path()));
    let trace = TraceContext::new(world.next_sequence());
    let fault = lock(&world.faults).take(request.method(), request.uri().path());
    if let Some(fault) = &fault {
        tracing::debug!(method = %request.method(), path = request.uri().path(), ?fault, "injecting fault");
    }
    wait_for(fault.as_ref()).await;
    let answer = match fault.as_ref().and_then(short_circuit) {
        Some(answer) => answer,
        None => serve(&world, route, request).await,
    };
    let mut response = render(answer, &trace.trace_id);
    if let Some(fault) = &fault {
        response = transform(fault, response).await;
    }
    trace.stamp(&mut response);
    response
}

/// Steps 3 to 6: authentication and the workspace's rate limits, then the rest.
async fn serve(world: &World, route: Route, request: Request) -> Answer {
    let actor = match route.is_anonymous() {
        true => world.user_id,
        false => match authenticate(request.headers(), world) {
            Ok(actor) => actor,
            Err(error) => return Answer::error(error),
        },
    };
    let counted = match route.is_anonymous() {
        true => Admission::Unlimited,
        false => lock(&world.limits).admit(world.clock.now()),
    };
    match counted {
        Admission::Refused(answer) => answer,
        Admission::Unlimited => serve_counted(world, route, request, actor).await,
        Admission::Counted(headers) => {
            let mut answer = serve_counted(world, route, request, actor).await;
            answer.headers.extend(headers);
            answer
        }
    }
}

/// Steps 4 to 6.
async fn serve_counted(world: &World, route: Route, request: Request, actor: uuid::Uuid) -> Answer {
    let (parts, body) = request.into_parts();
    let (doc, index, path) = match (route.doc, route.matched) {
        (Some(doc), Matched::Operation { index, params }) => (doc, index, params),
        (_, Matched::WrongMethod { methods, .. }) => return wrong_method(&methods),
        _ => return Answer::error(ApiError::not_found("No route matches this path.")),
    };
    let op = &doc.operations()[index];
    let body = match read_body(&parts.headers, body).await {
        Ok(body) => body,
        Err(error) => return Answer::error(error),
    };
    let query = QueryParams::parse(parts.uri.query());
    let sent = Sent {
        path: &path,
        query: &query,
        headers: &parts.headers,
        body: &body,
    };
    if let Err(error) = check_request(doc.validators(), op, &sent) {
        return Answer::error(error);
    }
    let call = Call {
        op,
        path,
        query,
        headers: parts.headers,
        body,
        actor,
        now: world.clock.now(),
    };
    let answer = dispatch(&call, world).unwrap_or_else(Answer::error);
    judge(world, doc, &call, answer)
}

/// Step 6: an answer that breaks the contract is the fake's bug.
fn judge(world: &World, doc: &Document, call: &Call, answer: Answer) -> Answer {
    if !world.check_answers {
        return answer;
    }
    let Err(problem) = check_answer(
        doc.validators(),
        call.op,
        answer.status.as_u16(),
        &answer.body,
    ) else {
        return answer;
    };
    tracing::error!(operation = %call.op.label(), %problem, "the fake's answer breaks awork's contract");
    lock(&world.violations).push(Violation {
        operation: call.op.label(),
        status: answer.status.as_u16(),
        problem: problem.clone(),
    });
    Answer::error(
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::FAKE_CONTRACT_VIOLATION,
            "The fake's answer would break awork's contract (a bug of the fake).",
        )
        .with_detail(format!("{}: {problem}", call.op.label())),
    )
}

/// 405 with the methods the path serves.
fn wrong_method(methods: &[Method]) -> Answer {
    let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
    Answer::error(ApiError::method_not_allowed()).header(header::ALLOW, &allow.join(","))
}

/// Sleeps for the fault's latency, if it has one.
async fn wait_for(fault: Option<&Fault>) {
    if let Some(delay) = fault.and_then(Fault::delay) {
        tokio::time::sleep(delay).await;
    }
}

/// Reads the body by its content type: JSON parsed, multipart split into parts, the
/// rest kept as bytes.
async fn read_body(headers: &HeaderMap, body: HttpBody) -> Result<Body, ApiError> {
    let bytes = to_bytes(body, MAX_UPLOAD_BYTES).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request-body-too-large",
            format!("The body is larger than {MAX_UPLOAD_BYTES} bytes."),
        )
    })?;
    if bytes.is_empty() {
        return Ok(Body::Empty);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if crate::contract::is_json_media(&media) {
        return serde_json::from_slice(&bytes)
            .map(Body::Json)
            .map_err(|error| {
                ApiError::invalid_model(format!("The body is not valid JSON: {error}"))
            });
    }
    if media == "multipart/form-data" {
        return multipart(&content_type, bytes).await.map(Body::Multipart);
    }
    Ok(Body::Raw {
        content_type,
        bytes,
    })
}

async fn multipart(content_type: &str, bytes: Bytes) -> Result<Vec<FormPart>, ApiError> {
    let unreadable = |error: multer::Error| {
        ApiError::invalid_model(format!("The multipart body cannot be read: {error}"))
    };
    let boundary = multer::parse_boundary(content_type).map_err(unreadable)?;
    let stream =
        futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let bytes = field.bytes().await.map_err(unreadable)?;
        parts.push(FormPart {
            name,
            file_name,
            content_type,
            bytes,
        });
    }
    Ok(parts)
}
