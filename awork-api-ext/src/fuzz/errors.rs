//! awork's error answers: any status from 400 to 599, any headers, any body.
//!
//! Inputs: `ErrorResponse` bodies made from awork's contract (v1 and v2), OAuth's
//! `{error, error_description}`, the same broken JSON-wise and byte-wise, HTML, deep
//! nesting and noise. The rules: every answer becomes an error of the right variant;
//! a body of awork's shape gives its code, description and validation errors; the
//! message is one line that starts by saying what answered.

use super::input::{self, pick};
use super::{Verdict, run};
use crate::error::Error;
use awork_fake::contract::{self as spec, Api, SampleStyle};
use http::{HeaderMap, HeaderValue, StatusCode};
use rand::Rng;
use rand::rngs::SmallRng;
use serde_json::{Value, json};

#[derive(Debug)]
struct Answer {
    status: u16,
    trace_id: Option<Vec<u8>>,
    body: Vec<u8>,
    /// The body as awork's contract makes it, when it was sent unbroken.
    shaped: Option<Value>,
}

/// An error body of awork's shape, from the contract.
fn shaped(rng: &mut SmallRng) -> Value {
    let api = *pick(rng, &[Api::V1, Api::V2]);
    let style = *pick(
        rng,
        &[
            SampleStyle::Random,
            SampleStyle::Extremes,
            SampleStyle::Plain,
        ],
    );
    spec::sample(api, "ErrorResponse", style, rng.random())
}

fn answer(rng: &mut SmallRng) -> Answer {
    let status = rng.random_range(400..600);
    let trace_id = rng
        .random::<bool>()
        .then(|| input::mutate_bytes(rng, b"4bf92f3577b34da6", &[]));
    let (body, shaped_body) = match rng.random_range(0..8) {
        0 | 1 => {
            let value = shaped(rng);
            (serde_json::to_vec(&value).unwrap_or_default(), Some(value))
        }
        2 => {
            let mut value = shaped(rng);
            input::mutate_json(rng, &mut value);
            (serde_json::to_vec(&value).unwrap_or_default(), None)
        }
        3 => {
            let value =
                json!({"error": input::text(rng), "error_description": input::json(rng, 1)});
            (serde_json::to_vec(&value).unwrap_or_default(), None)
        }
        4 => {
            let whole = serde_json::to_vec(&shaped(rng)).unwrap_or_default();
            (input::mutate_bytes(rng, &whole, &[b"<html>"]), None)
        }
        5 => {
            let depth = rng.random_range(100..3000);
            let mut deep = "[".repeat(depth).into_bytes();
            deep.extend(std::iter::repeat_n(b']', depth));
            (deep, None)
        }
        6 => (
            format!("<html><body>{}</body></html>", input::text(rng)).into_bytes(),
            None,
        ),
        _ => (
            (0..rng.random_range(0..300))
                .map(|_| rng.random())
                .collect(),
            None,
        ),
    };
    Answer {
        status,
        trace_id,
        body,
        shaped: shaped_body,
    }
}

#[test]
fn fuzz_error_body() {
    run("error_body", answer, |answer| {
        let status = StatusCode::from_u16(answer.status).expect("400..600");
        let mut headers = HeaderMap::new();
        if let Some(Ok(value)) = answer.trace_id.as_deref().map(HeaderValue::from_bytes) {
            headers.insert("trace-id", value);
        }
        let error = Error::from_status(status, &headers, &answer.body);
        let api = match &error {
            Error::RateLimited(limited) => {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
                &limited.api
            }
            Error::Api(api) => api,
            other => panic!("an error answer is an Api error: {other:?}"),
        };
        assert_eq!(api.status, status);
        assert_eq!(error.status(), Some(status));
        if let Some(body) = &answer.shaped {
            let text = |field: &str| body.get(field).and_then(Value::as_str);
            assert_eq!(api.code.as_deref(), text("code"));
            assert_eq!(api.description.as_deref(), text("description"));
            let fields = body["validationErrors"].as_array().map_or(0, Vec::len);
            assert_eq!(api.validation_errors.len(), fields);
            if headers.is_empty() {
                assert_eq!(api.trace_id.as_deref(), text("traceId"));
            }
        }
        let shown = error.to_string();
        let start = if status == StatusCode::TOO_MANY_REQUESTS {
            "rate limited by awork (429)"
        } else {
            "awork answered "
        };
        assert!(shown.starts_with(start), "{shown}");
        assert!(
            !shown.contains('\n') && !shown.contains('\r'),
            "more than one line: {shown:?}"
        );
        let _ = format!("{error:?}");
        if api.code.is_some() {
            Verdict::Accepted
        } else {
            Verdict::Refused
        }
    });
}
