//! The xtask binary as a user runs it: bad input gives one clear line and a non-zero
//! exit, and leaves the checked-in files untouched; `regen --check` detects stale code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch workspace whose vendored v1 spec is a sentinel we can check afterwards.
fn scratch_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::write(dir.path().join("openapi/awork-v1.json"), "SENTINEL").unwrap();
    dir
}

fn assert_rejected(from: &Path, expected: &str) {
    let root = scratch_root();
    let out = xtask(&[
        "vendor",
        "--root",
        root.path().to_str().unwrap(),
        "--from",
        from.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line expected, got: {err}");
    assert!(err.starts_with("xtask: error: "), "{err}");
    assert!(
        err.contains(expected),
        "{err:?} should mention {expected:?}"
    );
    assert_eq!(
        std::fs::read_to_string(root.path().join("openapi/awork-v1.json")).unwrap(),
        "SENTINEL"
    );
    assert_eq!(
        std::fs::read_dir(root.path().join("openapi"))
            .unwrap()
            .count(),
        1,
        "stray files left behind"
    );
}

#[test]
fn vendor_rejects_bad_input_with_one_line_and_touches_nothing() {
    let inputs = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = inputs.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    assert_rejected(
        &inputs.path().join("missing.json"),
        "missing.json: no such file",
    );
    assert_rejected(&write("notjson.json", "openapi: 3.0.0\n"), "not JSON");
    assert_rejected(
        &write("other.json", r#"{"name": "x"}"#),
        "not an OpenAPI document (no top-level \"openapi\" field)",
    );
    assert_rejected(
        &write("swagger.json", r#"{"swagger": "2.0", "paths": {}}"#),
        "a Swagger 2.0 document",
    );
}

/// Vendoring is deterministic, and a fixed point on its own output: vendoring the
/// checked-in (facts-only) v2 document again gives the same facts. Reads only the
/// repository, so it passes in a clone with nothing beside it.
#[test]
fn vendor_is_deterministic_and_a_fixed_point_on_the_checked_in_v2() {
    let root = scratch_root();
    let source = repo().join("openapi/awork-v2.json");
    let run = || {
        let out = xtask(&[
            "vendor",
            "--api",
            "v2",
            "--root",
            root.path().to_str().unwrap(),
            "--from",
            source.to_str().unwrap(),
            "--upstream-date",
            "2026-08-20",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(root.path().join("openapi/awork-v2.json")).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    let without_provenance = |text: &str| {
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        doc["info"]["x-provenance"] = serde_json::Value::Null;
        doc
    };
    let checked_in = std::fs::read_to_string(&source).unwrap();
    assert_eq!(without_provenance(&first), without_provenance(&checked_in));
    assert_ne!(first, "SENTINEL");
}

/// A scratch workspace holding copies of the given checked-in files.
fn scratch_copy(files: &[&str]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for f in files {
        let to = root.path().join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo().join(f), to).unwrap();
    }
    root
}

#[test]
fn regen_check_fails_on_stale_code_and_regen_repairs_it() {
    let root = scratch_copy(&["openapi/awork-v2.json", "openapi/corrections-v2.json"]);
    let r = root.path();
    std::fs::create_dir_all(r.join("awork-api/src/generated")).unwrap();
    let out_file = r.join("awork-api/src/generated/v2.rs");
    std::fs::write(&out_file, "// stale\n").unwrap();
    let root_arg = r.to_str().unwrap();

    let check = xtask(&["regen", "--check", "--api", "v2", "--root", root_arg]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("STALE"));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "// stale\n",
        "--check must not write"
    );

    let regen = xtask(&["regen", "--api", "v2", "--root", root_arg]);
    assert!(regen.status.success(), "{}", stderr(&regen));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        checked_in("awork-api/src/generated/v2.rs")
    );
    assert!(
        xtask(&["regen", "--check", "--api", "v2", "--root", root_arg])
            .status
            .success()
    );
}

#[test]
fn regen_writes_the_uploads_table_and_check_finds_a_stale_one() {
    let root = scratch_copy(&[
        "openapi/awork-v1.json",
        "openapi/corrections-v1.json",
        "openapi/areas.json",
        "awork-api/Cargo.toml",
    ]);
    let r = root.path();
    let table = xtask::uploads_table::OUTPUT;
    std::fs::create_dir_all(r.join(table).parent().unwrap()).unwrap();
    std::fs::write(r.join(table), "// stale\n").unwrap();
    let root_arg = r.to_str().unwrap();

    let check = xtask(&["regen", "--check", "--api", "v1", "--root", root_arg]);
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(said.contains(&format!("{table}: STALE")), "{said}");
    assert_eq!(
        std::fs::read_to_string(r.join(table)).unwrap(),
        "// stale\n"
    );

    let regen = xtask(&["regen", "--api", "v1", "--root", root_arg]);
    assert!(regen.status.success(), "{}", stderr(&regen));
    assert_eq!(
        std::fs::read_to_string(r.join(table)).unwrap(),
        checked_in(table)
    );
}

#[test]
fn a_correction_that_no_longer_applies_stops_regen_and_writes_nothing() {
    let root = scratch_copy(&["openapi/awork-v2.json"]);
    let r = root.path();
    std::fs::write(
        r.join("openapi/corrections-v2.json"),
        r#"{"corrections": [{"target": "/paths/~1gone", "why": "test", "merge": {"x": 1}}]}"#,
    )
    .unwrap();
    let out = xtask(&["regen", "--api", "v2", "--root", r.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("correction #1 (test) at /paths/~1gone: target does not exist"),
        "{err}"
    );
    assert!(!r.join("awork-api").exists());
}

/// A scratch workspace with v1's inputs and the given area table and manifest.
fn v1_root(areas: &str, manifest: &str) -> tempfile::TempDir {
    let root = scratch_copy(&["openapi/awork-v1.json", "openapi/corrections-v1.json"]);
    let r = root.path();
    std::fs::create_dir_all(r.join("awork-api")).unwrap();
    std::fs::write(r.join("openapi/areas.json"), areas).unwrap();
    std::fs::write(r.join("awork-api/Cargo.toml"), manifest).unwrap();
    root
}

/// Runs `regen --api v1` on a scratch workspace with the given inputs and checks that
/// it stops with one error naming `expected`, and writes no code.
fn assert_regen_stops(areas: &str, manifest: &str, expected: &str) {
    let root = v1_root(areas, manifest);
    let out = xtask(&[
        "regen",
        "--api",
        "v1",
        "--root",
        root.path().to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(expected), "{err}");
    assert!(
        !root.path().join("awork-api/src").exists(),
        "nothing written"
    );
}

fn checked_in(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap()
}

#[test]
fn a_tag_the_area_table_does_not_place_stops_regen_naming_it() {
    let areas = checked_in("openapi/areas.json")
        .replace("\"TimeBookings\",", "")
        .replace("\"TimeBookings\"", "");
    let manifest = checked_in("awork-api/Cargo.toml");
    assert_regen_stops(&areas, &manifest, "tag \"TimeBookings\" (10 operations");
}

#[test]
fn a_manifest_without_an_area_feature_stops_regen_naming_it() {
    let areas = checked_in("openapi/areas.json");
    let manifest = checked_in("awork-api/Cargo.toml").replace("\nworkload = []", "");
    assert_regen_stops(&areas, &manifest, "no feature \"workload\"");
}

#[test]
fn diff_of_the_history_finds_the_new_time_booking_routes() {
    let old = repo().join("openapi/history/awork-v1-2024-09-16.json.gz");
    let new = repo().join("openapi/history/awork-v1-2025-05-13.json.gz");
    let out = xtask(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let changes: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let added: Vec<&str> = changes
        .iter()
        .filter(|c| c["kind"] == "operation added")
        .filter_map(|c| c["place"].as_str())
        .collect();
    for route in [
        "GET /timebookings",
        "POST /timebookings",
        "PUT /timebookings/{timeBookingId}",
        "DELETE /timebookings/{timeBookingId}",
        "GET /users/timebookings",
    ] {
        assert!(added.contains(&route), "{route} not among {added:?}");
    }
    assert!(
        changes
            .iter()
            .all(|c| c["kind"] != "operation added" || c["breaking"] == false)
    );

    let text = xtask(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.starts_with(&format!("{} changes, ", changes.len())),
        "{text}"
    );
}

#[test]
fn diff_of_a_file_that_is_not_openapi_says_so_in_one_line() {
    let out = xtask(&["diff", repo().join("README.md").to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("README.md: not JSON"), "{err}");
}

#[test]
fn vendor_says_what_changed_when_it_replaces_a_document() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path().to_str().unwrap();
    let history = |date: &str| {
        repo()
            .join(format!("openapi/history/awork-v1-{date}.json.gz"))
            .display()
            .to_string()
    };
    let first = xtask(&["vendor", "--root", r, "--from", &history("2024-09-16")]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!String::from_utf8_lossy(&first.stdout).contains("changes, "));
    let second = xtask(&["vendor", "--root", r, "--from", &history("2025-05-13")]);
    assert!(second.status.success(), "{}", stderr(&second));
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(
        text.contains("breaking for users of the Rust crate"),
        "{text}"
    );
    assert!(
        text.contains("operation added: GET /timebookings"),
        "{text}"
    );
}
