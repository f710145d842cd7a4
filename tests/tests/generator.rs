//! The generator pipeline on small fixtures, on the real spec and on its history.
//! Snapshots guard the generated code of the fixtures and the normalization report;
//! the full 215k-line file is guarded by `cargo xtask regen --check` instead.

use serde_json::Value;
use std::path::{Path, PathBuf};
use xtask::pipeline::{self, Inputs};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures").join(name)).unwrap()
}

/// Runs the pipeline without corrections, with the fixture's area table, and returns
/// the code without its header and both reports.
fn generate_body(bytes: &[u8], origin: &str) -> (String, String) {
    let areas = String::from_utf8(fixture("edge-cases-areas.json")).unwrap();
    let generated = pipeline::generate(&Inputs {
        spec: bytes,
        spec_origin: origin,
        corrections: None,
        areas: Some((&areas, "edge-cases-areas.json")),
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    let body = generated
        .code
        .split_once("\n\n")
        .map(|(_, body)| body.to_string())
        .unwrap();
    (body, format!("{}{}", generated.report, generated.layout))
}

#[test]
fn edge_case_fixture_generates_and_matches_its_snapshot() {
    let (code, report) = generate_body(&fixture("edge-cases-3.0.json"), "edge-cases-3.0.json");
    insta::assert_snapshot!("edge_cases_report", report);
    insta::assert_snapshot!("edge_cases_code", code);
}

#[test]
fn edge_case_operations_and_types_sit_behind_their_features() {
    let (code, _) = generate_body(&fixture("edge-cases-3.0.json"), "edge-cases-3.0.json");
    let gate_of = |needle: &str| -> String {
        let at = code
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the code"));
        let before = &code[..at];
        let cfg = before.rfind("#[cfg(").expect("a cfg before it");
        before[cfg..].lines().next().unwrap().to_string()
    };
    assert_eq!(gate_of("pub fn get_items("), "#[cfg(feature = \"items\")]");
    assert_eq!(
        gate_of("pub fn get_item_content_download("),
        "#[cfg(feature = \"downloads\")]"
    );
    assert_eq!(
        gate_of("pub struct GetItems<'a>"),
        "#[cfg(feature = \"items\")]"
    );
    // A type only the items operations use, and the error body every area uses.
    assert_eq!(
        gate_of("pub struct ItemForm"),
        "#[cfg(feature = \"items\")]"
    );
    assert_eq!(
        gate_of("pub struct Problem"),
        "#[cfg(any(feature = \"items\", feature = \"downloads\"))]"
    );
    assert!(
        !code.contains("pub mod builder {\n        #[derive"),
        "type builders are gone"
    );
    assert!(!code.contains("types::builder::"));
}

#[test]
fn openapi_31_input_generates_the_same_code_as_its_30_twin() {
    let (code_30, _) = generate_body(&fixture("edge-cases-3.0.json"), "twin");
    let (code_31, _) = generate_body(&fixture("edge-cases-3.1.json"), "twin");
    assert_eq!(code_31, code_30);
}

fn time_bookings_slice() -> Vec<u8> {
    let vendored: Value =
        serde_json::from_slice(&std::fs::read(repo().join("openapi/awork-v1.json")).unwrap())
            .unwrap();
    let slice = xtask::slice::keep_paths(
        &vendored,
        &[
            "/projecttimebookings",
            "/projecttimebookings/{timeBookingId}",
            "/timebookings",
            "/timebookings/{timeBookingId}",
            "/users/projecttimebookings",
            "/users/timebookings",
        ],
    );
    serde_json::to_vec(&slice).unwrap()
}

/// Our corrections, less those whose target is outside `slice` (the time-entry
/// corrections, for the time-bookings slice).
fn corrections_that_apply_to(slice: &[u8]) -> String {
    let doc: Value = serde_json::from_slice(slice).unwrap();
    let mut corrections: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("openapi/corrections-v1.json")).unwrap(),
    )
    .unwrap();
    corrections["corrections"]
        .as_array_mut()
        .unwrap()
        .retain(|c| {
            let target = c["target"].as_str().unwrap();
            let parent = &target[..target.rfind('/').unwrap()];
            doc.pointer(parent).is_some()
        });
    corrections.to_string()
}

#[test]
fn time_bookings_slice_of_the_real_spec_matches_its_snapshot() {
    let slice = time_bookings_slice();
    let corrections = corrections_that_apply_to(&slice);
    let areas = std::fs::read_to_string(repo().join(pipeline::AREAS)).unwrap();
    let generated = pipeline::generate(&Inputs {
        spec: &slice,
        spec_origin: "time-bookings slice",
        corrections: Some((&corrections, "corrections-v1.json")),
        areas: Some((&areas, pipeline::AREAS)),
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        generated.report.generated.len(),
        10,
        "{:?}",
        generated.report.generated
    );
    let body = generated.code.split_once("\n\n").unwrap().1;
    insta::assert_snapshot!("time_bookings_code", body);
}

#[test]
fn normalization_report_of_the_vendored_v1_spec() {
    let generated = pipeline::generate_api(&repo(), &pipeline::api("v1").unwrap()).unwrap();
    let report = &generated.report;
    assert_eq!(report.operations_in_spec, 707);
    assert_eq!(
        report.generated.len() + report.excluded.len(),
        report.operations_in_spec
    );
    assert!(
        report
            .excluded
            .iter()
            .all(|e| e.reason.starts_with("multipart/form-data"))
    );
    // The bodiless 2xx answers one_success_type dropped are still told in the docs.
    let dropped = report.to_string();
    let dropped: usize = dropped
        .lines()
        .find(|l| l.contains("one_success_type"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert_eq!(dropped, 16);
    assert_eq!(
        generated
            .code
            .matches("awork may also answer 204 with no body")
            .count(),
        dropped
    );
    insta::assert_snapshot!("v1_report", report.to_string());
    // Where the answers were rewritten (files, bodiless 2xx): a change in awork's
    // document shows up here by operation.
    let places: Vec<String> = report
        .passes
        .iter()
        .filter(|p| matches!(p.name, "binary_answers_are_files" | "one_success_type"))
        .flat_map(|p| {
            p.places
                .iter()
                .map(move |place| format!("{}: {place}", p.name))
        })
        .collect();
    insta::assert_snapshot!("v1_rewritten_answers", places.join("\n"));
    // Which fields print as <redacted>: a field a new document renames drops out here.
    insta::assert_snapshot!(
        "v1_redacted_fields",
        generated.layout.redacted_fields.join("\n")
    );
}

#[test]
fn every_time_booking_operation_is_a_generated_method() {
    let code = std::fs::read_to_string(repo().join("awork-api/src/generated/v1.rs")).unwrap();
    for method in [
        "get_project_time_bookings",
        "post_project_time_booking",
        "put_project_time_booking",
        "delete_project_time_booking",
        "get_time_bookings",
        "post_time_booking",
        "put_time_booking_by_id",
        "delete_time_booking_by_id",
        "get_project_time_bookings_for_users",
        "get_users_time_bookings",
    ] {
        assert!(
            code.contains(&format!("pub fn {method}(")),
            "no method {method}"
        );
    }
}

/// The facts-only copies of awork's older v1 documents (`cargo xtask vendor --out
/// openapi/history/….json.gz`).
fn history() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("openapi/history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    files
}

#[test]
fn regen_succeeds_on_every_historic_v1_document() {
    let areas = std::fs::read_to_string(repo().join(pipeline::AREAS)).unwrap();
    let files = history();
    assert!(
        files.len() >= 3,
        "expected the history documents, found {files:?}"
    );
    for file in files {
        let origin = file.display().to_string();
        let vendored = xtask::spec::read_source(&origin).unwrap();
        let generated = pipeline::generate(&Inputs {
            spec: &vendored,
            spec_origin: &origin,
            corrections: None,
            areas: Some((&areas, pipeline::AREAS)),
        })
        .unwrap_or_else(|e| panic!("{origin}: {e:#}"));
        let report = &generated.report;
        assert_eq!(
            report.generated.len() + report.excluded.len(),
            report.operations_in_spec,
            "{origin}"
        );
        assert!(
            report.generated.len() > 400,
            "{origin}: only {} operations",
            report.generated.len()
        );
        let out = tempfile_path(&file);
        xtask::fsutil::write_atomically(&out, generated.code.as_bytes()).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 500_000);
        std::fs::remove_file(out).unwrap();
    }
}

fn tempfile_path(source: &Path) -> PathBuf {
    std::env::temp_dir().join(format!(
        "awork-history-{}-{}.rs",
        std::process::id(),
        source.file_stem().unwrap().to_string_lossy()
    ))
}

/// Every operationId that would name a method the generated `Client` already has
/// (constructors, `ClientInfo` accessors, `ClientHooks` hooks) is renamed, and the
/// report says how.
#[test]
fn operation_ids_that_collide_with_client_methods_are_renamed() {
    let bytes = fixture("reserved-names.json");
    let generated = pipeline::generate(&Inputs {
        spec: &bytes,
        spec_origin: "reserved-names.json",
        corrections: None,
        areas: None,
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    let pass = generated
        .report
        .passes
        .iter()
        .find(|p| p.name == "avoid_reserved_method_names")
        .unwrap();
    assert_eq!(
        pass.places.len(),
        xtask::normalize::RESERVED_METHOD_NAMES.len()
    );
    assert!(
        pass.places
            .contains(&"POST /post: Post → PostPost".to_string())
    );
    for reserved in xtask::normalize::RESERVED_METHOD_NAMES {
        let clash = format!("pub fn {reserved}(&self) -> builder::");
        assert!(!generated.code.contains(&clash), "{clash}");
    }
    assert!(
        generated
            .code
            .contains("pub fn post_post(&self) -> builder::PostPost<'_>")
    );
    assert!(
        generated
            .code
            .contains("pub fn client_client(&self) -> builder::ClientClient<'_>")
    );
    // Each client method hands itself to its builder: nine operations, nine methods.
    assert_eq!(generated.code.matches("::new(self)").count(), 9);
    // The hooks are still progenitor's, called from every send().
    assert!(
        generated
            .code
            .contains("client.post(&result, &info).await?;")
    );
}
