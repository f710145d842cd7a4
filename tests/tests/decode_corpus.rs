//! Every schema of v1 and v2 decodes into its generated type from documents that are
//! valid by it: optional fields absent, every field at edge values, nulls where
//! nullable, empty and one-element arrays, unknown fields and enum values (see
//! `xtask::corpus`). A failure names the schema, the probe and the JSON pointer.

// Written by `cargo xtask regen`, which `--check` guards: rustfmt keeps off them.
#[path = "generated/decode_v1.rs"]
#[rustfmt::skip]
mod decode_v1;
#[path = "generated/decode_v2.rs"]
#[rustfmt::skip]
mod decode_v2;

use serde_json::Value;
use std::path::{Path, PathBuf};
use xtask::corpus;
use xtask::pipeline::{self, Inputs};

type Decode = fn(&str, &[u8]) -> Option<Result<(), serde_json::Error>>;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The document the generated code was made from: vendored, corrected, normalized.
fn prepared(api: &str) -> Value {
    let api = pipeline::api(api).unwrap();
    let spec = std::fs::read(repo().join(api.spec)).unwrap();
    let corrections = std::fs::read_to_string(repo().join(api.corrections)).ok();
    pipeline::prepare(&Inputs {
        spec: &spec,
        spec_origin: api.spec,
        corrections: corrections.as_deref().map(|t| (t, api.corrections)),
        areas: None,
    })
    .unwrap()
    .0
}

/// Decodes every probe of every schema; returns one line per failure.
fn failures(doc: &Value, decode: Decode) -> (usize, Vec<String>) {
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut decoded = 0;
    let mut failures = Vec::new();
    for name in schemas.keys() {
        for document in corpus::documents(doc, name) {
            let (text, pointers) = corpus::pretty_with_pointers(&document.value);
            match decode(name, text.as_bytes()) {
                None => failures.push(format!("{name}: no generated type")),
                Some(Ok(())) => decoded += 1,
                Some(Err(e)) => {
                    let pointer = pointers.get(e.line().saturating_sub(1)).cloned();
                    failures.push(format!(
                        "{name} ({}) at {}: {e}",
                        document.label,
                        pointer.unwrap_or_default()
                    ))
                }
            }
        }
    }
    (decoded, failures)
}

/// Every document of every schema of `api` decodes with `decode`.
fn assert_corpus_decodes(api: &str, decode: Decode) {
    let doc = prepared(api);
    let (decoded, failures) = failures(&doc, decode);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        decoded,
        doc["components"]["schemas"].as_object().unwrap().len() * 5
    );
}

#[test]
fn every_v1_schema_decodes_its_corpus() {
    assert_corpus_decodes("v1", decode_v1::decode);
}

#[test]
fn every_v2_schema_decodes_its_corpus() {
    assert_corpus_decodes("v2", decode_v2::decode);
}

/// The harness can fail, and says where: a local date-time with an offset is not what
/// the time-entry type takes.
#[test]
fn a_document_the_type_rejects_is_reported_with_its_pointer() {
    let mut doc = prepared("v1");
    let schema = doc
        .pointer_mut("/components/schemas/TimeTracking/properties/startDateLocal")
        .unwrap();
    *schema = serde_json::json!({"type": "string", "format": "date-time"});
    let only_time_tracking = |name: &str, bytes: &[u8]| match name {
        "TimeTracking" => decode_v1::decode(name, bytes),
        _ => Some(Ok(())),
    };
    let (_, failures) = failures(&doc, only_time_tracking);
    assert!(!failures.is_empty());
    assert!(
        failures
            .iter()
            .all(|f| f.starts_with("TimeTracking (") && f.contains(" at /startDateLocal: ")),
        "{failures:#?}"
    );
}
