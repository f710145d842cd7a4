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

fn shared() -> PathBuf {
    let dir = repo().parent().unwrap().join("shared/awork");
    assert!(
        dir.is_dir(),
        "these tests read awork's documents from {} (../shared beside the repo)",
        dir.display()
    );
    dir
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures").join(name)).unwrap()
}

/// Runs the pipeline without corrections and returns the code without its header.
fn generate_body(bytes: &[u8], origin: &str) -> (String, xtask::normalize::Report) {
    let (doc, report) = pipeline::prepare(&Inputs {
        spec: bytes,
        spec_origin: origin,
        corrections: None,
    })
    .unwrap();
    (xtask::generate::generate(&doc, origin).unwrap(), report)
}

#[test]
fn edge_case_fixture_generates_and_matches_its_snapshot() {
    let (code, report) = generate_body(&fixture("edge-cases-3.0.json"), "edge-cases-3.0.json");
    insta::assert_snapshot!("edge_cases_report", report.to_string());
    insta::assert_snapshot!("edge_cases_code", code);
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

#[test]
fn time_bookings_slice_of_the_real_spec_matches_its_snapshot() {
    let corrections = std::fs::read_to_string(repo().join("openapi/corrections-v1.json")).unwrap();
    let slice = time_bookings_slice();
    let (doc, report) = pipeline::prepare(&Inputs {
        spec: &slice,
        spec_origin: "time-bookings slice",
        corrections: Some((&corrections, "corrections-v1.json")),
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(report.generated.len(), 10, "{:?}", report.generated);
    insta::assert_snapshot!(
        "time_bookings_code",
        xtask::generate::generate(&doc, "slice").unwrap()
    );
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
    insta::assert_snapshot!("v1_report", report.to_string());
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

#[test]
fn regen_succeeds_on_every_historic_v1_document() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared().join("history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "expected the history documents, found {files:?}"
    );
    for file in files {
        let upstream = std::fs::read(&file).unwrap();
        let origin = file.display().to_string();
        let vendored = xtask::vendor::vendor(
            &upstream,
            &xtask::vendor::Provenance {
                source: origin.clone(),
                upstream_date: None,
            },
        )
        .unwrap();
        let generated = pipeline::generate(&Inputs {
            spec: vendored.as_bytes(),
            spec_origin: &origin,
            corrections: None,
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
        assert!(std::fs::metadata(&out).unwrap().len() > 1_000_000);
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
