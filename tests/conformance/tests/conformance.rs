//! awork's contract, both ways, over the whole API: every operation the SDK generates
//! (v1 and v2) and the 20 uploads, sent through the SDK with values awork's contract
//! allows, to the fake that judges every request by that contract and checks its own
//! answers by it too. The SDK must send nothing the contract refuses (0 validation
//! errors) and read every answer the contract allows (0 decode errors).
//!
//! The cases are written by `cargo xtask regen` from the generated client (names and
//! types only); the values are made here at run time from the contract, by
//! `awork_fake::contract::sample_request`, and read into the SDK's own types.

use std::collections::BTreeMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::pin::Pin;

use awork_api_ext::uploads::{FieldKind, OPERATIONS, ParamKind, UploadFile};
use awork_api_ext::{AworkClient, Error};
use awork_fake::contract::{self as spec, Api, RequestSample};
use awork_fake::{FakeAwork, NewTimeEntry, Resources};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

// Written by `cargo xtask regen`, which `--check` guards: rustfmt keeps off them.
#[rustfmt::skip]
#[path = "generated/conformance_v1.rs"]
mod v1;
#[rustfmt::skip]
#[path = "generated/conformance_v2.rs"]
mod v2;

/// How a case sends its operation with a client of type `C`.
pub(crate) type Run<C> = for<'a> fn(&'a C, &'a Args) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One generated operation.
pub(crate) struct Case<C> {
    pub(crate) operation_id: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) run: Run<C>,
}

/// What came of sending one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A success, read into the SDK's type.
    Answered,
    /// The fake refused the request by the contract (400 `validation-failed` or
    /// `invalid-model`): the SDK sent what awork's contract does not allow.
    Invalid(String),
    /// The fake refused it by one of awork's rules (a timer that does not run, …).
    Refused(String),
    /// The answer could not be read into the SDK's type.
    Decode(String),
    /// Anything else.
    Failed(String),
}

/// The values of one request: a contract-made sample, with the ids of the items this
/// test keeps stored in place of made-up ones.
pub(crate) struct Args {
    label: String,
    sample: RequestSample,
    ids: BTreeMap<String, Uuid>,
}

impl Args {
    fn raw(&self, name: &str) -> Option<Value> {
        let sampled = self
            .sample
            .parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())?;
        match (self.ids.get(name), &sampled) {
            (Some(id), Value::String(text)) if Uuid::parse_str(text).is_ok() => Some(json!(id)),
            _ => Some(sampled),
        }
    }

    fn read<T: DeserializeOwned>(&self, what: &str, value: Value) -> T {
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            panic!(
                "{}: {what} = {value} does not fit the SDK's type: {e}",
                self.label
            )
        })
    }

    /// The value of a parameter the operation requires.
    pub(crate) fn required<T: DeserializeOwned>(&self, name: &str) -> T {
        let value = self
            .raw(name)
            .unwrap_or_else(|| panic!("{}: no value for {name}", self.label));
        self.read(name, value)
    }

    /// The value of an optional parameter, if the sample has one.
    pub(crate) fn optional<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.raw(name).map(|value| self.read(name, value))
    }

    /// The body.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> T {
        let value = self
            .sample
            .body
            .clone()
            .unwrap_or_else(|| panic!("{}: no body", self.label));
        self.read("the body", value)
    }

    /// What came of the call.
    pub(crate) fn settle<O>(&self, result: Result<O, Error>) -> Outcome {
        outcome(result)
    }
}

fn outcome<O>(result: Result<O, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Answered,
        Err(Error::Api(api)) => {
            let text = format!(
                "{} {}: {:?} {:?}",
                api.status,
                api.code.as_deref().unwrap_or("-"),
                api.details,
                api.validation_errors
            );
            match api.code.as_deref() {
                Some("validation-failed" | "invalid-model") => Outcome::Invalid(text),
                _ if api.status.is_client_error() => Outcome::Refused(text),
                _ => Outcome::Failed(text),
            }
        }
        Err(error @ Error::Decode { .. }) => Outcome::Decode(error.to_string()),
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// A stable GUID for a parameter name, so that every route naming `projectId` names the
/// same project.
fn id_for(name: &str) -> Uuid {
    let mut hasher = DefaultHasher::new();
    name.to_ascii_lowercase().hash(&mut hasher);
    let high = hasher.finish();
    "salt".hash(&mut hasher);
    Uuid::from_u64_pair(high, hasher.finish())
}

/// What this test keeps stored so that routes naming an item find it.
struct World {
    fake: FakeAwork,
    ids: BTreeMap<String, Uuid>,
}

impl World {
    async fn start() -> Self {
        let fake = FakeAwork::start().await;
        Self {
            fake,
            ids: BTreeMap::new(),
        }
    }

    fn client(&self) -> AworkClient {
        AworkClient::builder()
            .api_key(self.fake.api_key())
            .base_url(self.fake.base_url())
            .build()
            .unwrap()
    }

    /// Stores what the route reads and fills in the ids to send.
    fn prepare(&mut self, api: Api, method: &str, path: &str) -> Args {
        self.keep_entries();
        let mut sample = spec::sample_request(api, method, path, 7);
        let mut ids = BTreeMap::new();
        for (name, _) in &sample.parameters {
            ids.insert(name.clone(), self.id(name));
        }
        if path == "/timeentries/batch/{operation}" {
            // The route's `{operation}` is free text in the document; awork knows four.
            sample.parameters.retain(|(name, _)| name != "operation");
            sample
                .parameters
                .push(("operation".into(), json!("delete")));
        }
        let args = Args {
            label: format!("{api:?} {method} {path}"),
            sample,
            ids,
        };
        let scope: Vec<(String, String)> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .filter_map(|name| Some((name.to_owned(), args.raw(name)?.as_str()?.to_owned())))
            .collect();
        let scope: Vec<(&str, &str)> = scope
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let (Api::V1, Some((model, id_param))) = (api, Resources::item_of(api, method, path)) {
            let id = self.id(&id_param);
            self.fake.resources().ensure(&model, &scope, id).unwrap();
        }
        if path.contains("{timeBookingId}") {
            let id = self.id("timeBookingId");
            self.fake
                .resources()
                .ensure("TimeBooking", &[], id)
                .unwrap();
        }
        args
    }

    /// The id a parameter names: the stored time entry for `timeEntryId`, else a
    /// stable GUID of its name.
    fn id(&self, name: &str) -> Uuid {
        self.ids.get(name).copied().unwrap_or_else(|| id_for(name))
    }

    /// Keeps one finished time entry of the key's user and of the user every
    /// `{userId}` names, and names the first in `timeEntryId`.
    fn keep_entries(&mut self) {
        let entries = self.fake.time_entries();
        let stored = self.ids.get("timeEntryId").and_then(|id| entries.get(*id));
        if stored.is_some() {
            return;
        }
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
        let work = self.fake.type_of_work_id();
        let mut first = None;
        for user in [self.fake.user_id(), id_for("userId")] {
            let id = entries.insert(NewTimeEntry::new(
                user,
                work,
                at("2024-05-06T08:00:00Z"),
                at("2024-05-06T09:00:00Z"),
            ));
            first.get_or_insert(id);
        }
        self.ids.insert(
            "timeEntryId".into(),
            first.expect("two entries were stored"),
        );
    }
}

/// Timer routes run in the order a timer lives: start, pause, resume, stop.
fn timer_rank(path: &str) -> u8 {
    ["/start", "/pause", "/resume", "/stop"]
        .iter()
        .position(|end| path.contains("/timetracking/") && path.ends_with(end))
        .map_or(0, |i| i as u8)
}

/// Runs every case of one client; returns the outcome of each, by label.
async fn run_all<C>(
    world: &mut World,
    api: Api,
    client: &C,
    mut cases: Vec<Case<C>>,
) -> Vec<(String, Outcome)> {
    cases.sort_by_key(|case| (case.path.contains("/timetracking/"), timer_rank(case.path)));
    let mut out = Vec::new();
    for case in cases {
        let args = world.prepare(api, case.method, case.path);
        let outcome = (case.run)(client, &args).await;
        out.push((
            format!(
                "{api:?} {} {} ({})",
                case.method, case.path, case.operation_id
            ),
            outcome,
        ));
    }
    out
}

/// The 20 multipart uploads, each with a small file (or text) in every form part.
async fn run_uploads(world: &mut World, client: &AworkClient) -> Vec<(String, Outcome)> {
    let mut out = Vec::new();
    for op in OPERATIONS.iter() {
        let _ = world.prepare(Api::V1, op.method.as_str(), op.path);
        let mut request = client.uploads().operation(op.operation_id);
        for param in op.path_params {
            request = match param.kind {
                ParamKind::Uuid => request.path_param(param.name, world.id(param.name)),
                ParamKind::Letters => request.path_param(param.name, "task"),
            };
        }
        for field in op.fields {
            request = match field.kind {
                FieldKind::File => request.file(
                    field.name,
                    UploadFile::from_bytes("notes.txt", "some notes"),
                ),
                FieldKind::Uuid => request.text(field.name, id_for(field.name).to_string()),
                FieldKind::Bool => request.text(field.name, "false"),
                FieldKind::Number => request.text(field.name, "1.5"),
                FieldKind::OneOf(values) => request.text(field.name, values[0]),
                FieldKind::Text => request.text(field.name, "text"),
            };
        }
        let outcome = outcome(request.send().await);
        out.push((
            format!(
                "V1 {} {} ({}, upload)",
                op.method.as_str(),
                op.path,
                op.operation_id
            ),
            outcome,
        ));
    }
    out
}

#[tokio::test]
async fn every_operation_goes_through_the_sdk_as_the_contract_allows_and_its_answers_decode() {
    let mut world = World::start().await;
    let client = world.client();
    let mut outcomes = run_all(&mut world, Api::V1, client.api(), v1::cases()).await;
    outcomes.extend(run_all(&mut world, Api::V2, client.v2(), v2::cases()).await);
    outcomes.extend(run_uploads(&mut world, &client).await);

    let count = |wanted: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| wanted(o)).count();
    let answered = count(|o| *o == Outcome::Answered);
    let invalid: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Invalid(_)))
        .collect();
    let decode: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Decode(_)))
        .collect();
    let refused: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
        .collect();
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .collect();
    println!(
        "conformance: {} operations sent ({} generated v1, {} generated v2, {} uploads): {answered} answered and read, \
         {} refused by the contract, {} answers not decoded, {} refused by awork's rules, {} other",
        outcomes.len(),
        v1::cases().len(),
        v2::cases().len(),
        OPERATIONS.len(),
        invalid.len(),
        decode.len(),
        refused.len(),
        failed.len()
    );
    for (label, outcome) in invalid.iter().chain(&decode).chain(&refused).chain(&failed) {
        println!("  {label}: {outcome:?}");
    }
    assert!(
        invalid.is_empty(),
        "the SDK sent requests awork's contract refuses: {invalid:#?}"
    );
    assert!(
        decode.is_empty(),
        "answers the contract allows did not decode: {decode:#?}"
    );
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(world.fake.contract_violations().is_empty());
}
