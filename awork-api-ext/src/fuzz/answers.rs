//! The answers this crate's own types decode: time bookings, time entries of both
//! versions and client registrations (webhook configurations are fuzzed in
//! `webhooks::manage`, whose reader is private).
//!
//! Inputs: values of the answer's model made from awork's contract, and the same
//! broken JSON-wise and byte-wise. The rules: what the contract allows decodes into
//! the generated type, and then becomes this crate's type or, when the type cannot
//! hold it (a negative duration, say), an `Error::Item` for that one item; what it
//! does not allow is a decoding error with a message, never a panic.

use super::input::{self, Body, Samples, pick};
use super::{Verdict, clear_refusal, described, run};
use crate::error::Error;
use awork_fake::contract::Api;
use rand::Rng;
use rand::rngs::SmallRng;
use serde::de::DeserializeOwned;

/// A value of `model` as the contract makes it, or broken.
pub(crate) fn body(rng: &mut SmallRng, samples: &mut Samples, model: &str) -> Body {
    let value = samples.of(rng, model);
    input::body_of(rng, value, &[])
}

/// Decodes `body` as the generated `G`, then as this crate's `T`.
fn typed<G: DeserializeOwned, T>(
    body: &Body,
    convert: impl FnOnce(G) -> Result<T, Error>,
    check: impl FnOnce(&T),
) -> Verdict {
    let generated = match serde_json::from_slice::<G>(&body.bytes) {
        Ok(generated) => generated,
        Err(error) => {
            assert!(
                !body.allowed,
                "an answer the contract allows does not decode: {error}"
            );
            return described(&error, &[]);
        }
    };
    match convert(generated) {
        Ok(value) => {
            check(&value);
            Verdict::Accepted
        }
        Err(error) => {
            assert!(error.is_item(), "not an item error: {error:?}");
            clear_refusal(&error, &[])
        }
    }
}

#[test]
fn fuzz_answer_time_booking() {
    use crate::time_bookings::TimeBooking;
    let mut samples = Samples::new(Api::V1);
    run(
        "answer_time_booking",
        |rng| body(rng, &mut samples, "TimeBooking"),
        |body| {
            typed::<awork_api::types::TimeBooking, _>(body, TimeBooking::try_from, |booking| {
                assert!(booking.dates.start() <= booking.dates.end());
            })
        },
    );
}

#[cfg(feature = "time-entries")]
#[test]
fn fuzz_answer_time_entry() {
    use crate::time_entries::{Summary, TimeEntry};
    let mut v1 = Samples::new(Api::V1);
    let mut v2 = Samples::new(Api::V2);
    let mut summary = Summary::new();
    run(
        "answer_time_entry",
        |rng| {
            let second = rng.random::<bool>();
            let body = match second {
                true => body(rng, &mut v2, "TimeEntry"),
                false => body(rng, &mut v1, "TimeTracking"),
            };
            (second, body)
        },
        |(second, body)| {
            let add = |entry: &TimeEntry| summary.add(entry);
            match second {
                true => typed::<awork_api::v2::types::TimeEntry, _>(body, TimeEntry::try_from, add),
                false => typed::<awork_api::types::TimeTracking, _>(body, TimeEntry::try_from, add),
            }
        },
    );
}

#[test]
fn fuzz_answer_client_registration() {
    use crate::auth::RegisteredClient;
    let mut samples = Samples::new(Api::V1);
    run(
        "answer_client_registration",
        |rng| {
            let mut body = body(rng, &mut samples, "DynamicClientRegistrationResponse");
            if rng.random_range(0..4) == 0 {
                body.bytes = pick(rng, &[&b"{}"[..], b"null", b"[]", b""]).to_vec();
                body.allowed = false;
            }
            body
        },
        |body| {
            // The client secret, where it stands nowhere else in the answer.
            let sent = serde_json::from_slice::<serde_json::Value>(&body.bytes).ok();
            let text = sent.as_ref().map(|v| v.to_string()).unwrap_or_default();
            let secret = sent
                .as_ref()
                .and_then(|v| v["client_secret"].as_str())
                .filter(|s| s.len() >= 4 && text.matches(*s).count() == 1)
                .unwrap_or_default();
            match RegisteredClient::from_answer(&body.bytes) {
                Ok(client) => {
                    let shown = format!("{client:?}");
                    if !secret.is_empty() {
                        assert!(!shown.contains(secret), "the client secret shows: {shown}");
                    }
                    Verdict::Accepted
                }
                Err(error) => {
                    let has_id = sent.as_ref().is_some_and(|v| v["client_id"].is_string());
                    assert!(
                        !(body.allowed && has_id),
                        "an answer the contract allows, with a client_id, is refused: {error}"
                    );
                    // A contract-made answer whose only fault is the missing id.
                    let lacks_id = body.allowed
                        && sent.as_ref().is_some_and(|v| {
                            v.is_object()
                                && v.get("client_id").is_none_or(serde_json::Value::is_null)
                        });
                    if lacks_id {
                        assert!(
                            error.to_string().contains("client_id"),
                            "an answer without a client_id fails without saying so: {error}"
                        );
                    }
                    clear_refusal(&error, &[secret])
                }
            }
        },
    );
}
