//! `cargo xtask check-generated`: compile what the pipeline writes for documents other
//! than today's.
//!
//! `regen --check` proves the checked-in code is what the inputs produce, and the
//! workspace build proves that code compiles; neither says anything about the next
//! document awork publishes. This command generates awork's older v1 documents
//! (`openapi/history/`) and the reserved-names fixture into `target/check-generated/`,
//! one module each, and lints the workspace with the feature `run` of the member
//! `awork-generated-check` (`tests/generated-check`), which then includes those modules
//! with every feature on. A document shape that makes the generator write broken code
//! fails CI here rather than on the day awork ships it.
//!
//! Why a workspace member rather than a crate of its own: the lint runs with the same
//! feature resolution and flags as `cargo clippy --workspace --all-targets`, so after a
//! developer's clippy every dependency and every other member is already checked and
//! only the generated modules are new work. CI writes the modules with `--write-only`
//! and checks the member in its check lane (`.ci/run`).

use crate::pipeline::{self, Inputs};
use crate::{areas::AreaTable, fsutil, spec};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One document to compile, as a module of the scratch crate.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Module name.
    pub module: String,
    /// The document (a `.json` or `.json.gz` file).
    pub spec: PathBuf,
    /// Whether to gate it with the area table (fixtures without tags are not).
    pub gated: bool,
}

/// The documents `check-generated` compiles: the history, and the collision fixture.
pub fn subjects(root: &Path) -> Result<Vec<Subject>> {
    let history = root.join("openapi/history");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&history)
        .with_context(|| format!("cannot read {}", history.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let mut subjects: Vec<Subject> = files
        .into_iter()
        .map(|spec| Subject {
            module: module_name(&spec),
            spec,
            gated: true,
        })
        .collect();
    subjects.push(Subject {
        module: "reserved_names".to_string(),
        spec: root.join("tests/fixtures/reserved-names.json"),
        gated: false,
    });
    Ok(subjects)
}

/// `awork-v1-2024-09-16.json.gz` → `awork_v1_2024_09_16`.
fn module_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The member that compiles the generated modules, and its manifest.
pub const MEMBER: &str = "awork-generated-check";
const MEMBER_MANIFEST: &str = "tests/generated-check/Cargo.toml";
/// Where the modules are written, relative to the workspace root.
pub const OUT_DIR: &str = "target/check-generated";

/// Generates each subject into `root/OUT_DIR` and writes `modules.rs`, which declares
/// them; the member's `lib.rs` includes it.
pub fn write_modules(root: &Path, subjects: &[Subject]) -> Result<()> {
    let table_text = std::fs::read_to_string(root.join(pipeline::AREAS))
        .with_context(|| format!("{}: cannot read it", pipeline::AREAS))?;
    let dir = root.join(OUT_DIR);
    let mut modules = String::from("// Written by `cargo xtask check-generated`.\n");
    for subject in subjects {
        let origin = subject.spec.display().to_string();
        let bytes = spec::read_source(&origin)?;
        let generated = pipeline::generate(&Inputs {
            spec: &bytes,
            spec_origin: &origin,
            corrections: None,
            areas: subject
                .gated
                .then_some((table_text.as_str(), pipeline::AREAS)),
        })?;
        let file = dir.join(format!("{}.rs", subject.module));
        fsutil::write_atomically(&file, generated.code.as_bytes())?;
        modules.push_str(&module_declaration(&subject.module, &file));
    }
    fsutil::write_atomically(&dir.join("modules.rs"), modules.as_bytes())
}

/// A module at `file` (an absolute path, so that `include!` does not change what it
/// is relative to), and the hooks impl the generated client expects.
fn module_declaration(module: &str, file: &Path) -> String {
    format!(
        "#[path = {file:?}]\n#[allow(warnings, clippy::all)]\npub mod {module};\n\
         impl progenitor_client::ClientHooks<Hooks> for {module}::Client {{}}\n",
        file = file.display().to_string()
    )
}

/// The variables `cargo run` (and so `cargo xtask`) sets for the program it runs. Some
/// build scripts track them, so a cargo started with them would build those crates
/// again instead of reusing what an earlier `cargo clippy` built.
fn set_by_cargo_run(name: &str) -> bool {
    [
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
        || name == "CARGO_PRIMARY_PACKAGE"
}

/// Generates the subjects and lints the workspace with the member's `run` feature, with
/// the same arguments as a developer's `cargo clippy` so that nothing else is checked
/// again.
pub fn run(root: &Path) -> Result<()> {
    let count = write(root)?;
    let mut clippy = Command::new("cargo");
    clippy
        .args(["clippy", "--workspace", "--all-targets", "--features"])
        .arg(format!("{MEMBER}/run"))
        .args(["--", "-D", "warnings"])
        .current_dir(root);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_by_cargo_run) {
            clippy.env_remove(&name);
        }
    }
    let status = clippy.status().context("cannot run cargo")?;
    if !status.success() {
        bail!(
            "the code generated for these documents does not compile (modules in {})",
            root.join(OUT_DIR).display()
        );
    }
    println!("{count} documents generate code that compiles");
    Ok(())
}

/// Checks the member's manifest against the area table and writes the modules afresh;
/// answers how many documents were generated. `check-generated --write-only` stops
/// here, for a CI that compiles the member itself (`cargo check -p
/// awork-generated-check --features run`) in a lane of its own.
pub fn write(root: &Path) -> Result<usize> {
    let table_text = std::fs::read_to_string(root.join(pipeline::AREAS))
        .with_context(|| format!("{}: cannot read it", pipeline::AREAS))?;
    let manifest = std::fs::read_to_string(root.join(MEMBER_MANIFEST))
        .with_context(|| format!("{MEMBER_MANIFEST}: cannot read it"))?;
    crate::areas::check_manifest(
        &manifest,
        &AreaTable::parse(&table_text, pipeline::AREAS)?,
        MEMBER_MANIFEST,
    )?;
    let dir = root.join(OUT_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot empty {}", dir.display()))?;
    }
    let subjects = subjects(root)?;
    write_modules(root, &subjects)?;
    for s in &subjects {
        println!("generated {} → {}", s.spec.display(), s.module);
    }
    Ok(subjects.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_come_from_file_names() {
        assert_eq!(
            module_name(Path::new("openapi/history/awork-v1-2024-09-16.json.gz")),
            "awork_v1_2024_09_16"
        );
    }

    #[test]
    fn the_member_declares_every_area_and_run_turns_them_on() {
        let root = crate::pipeline::workspace_root();
        let manifest = std::fs::read_to_string(root.join(MEMBER_MANIFEST)).unwrap();
        let table = AreaTable::parse(
            &std::fs::read_to_string(root.join(pipeline::AREAS)).unwrap(),
            "areas",
        )
        .unwrap();
        crate::areas::check_manifest(&manifest, &table, MEMBER_MANIFEST).unwrap();
        let parsed: toml::Table = toml::from_str(&manifest).unwrap();
        let run = parsed["features"]["run"].as_array().unwrap();
        assert!(run.iter().any(|f| f.as_str() == Some("full")));
    }

    #[test]
    fn modules_are_declared_by_absolute_path_with_their_hooks() {
        let text = module_declaration("h1", Path::new("/w/target/check-generated/h1.rs"));
        assert!(text.starts_with("#[path = \"/w/target/check-generated/h1.rs\"]"));
        assert!(text.contains("pub mod h1;"));
        assert!(text.contains("ClientHooks<Hooks> for h1::Client"));
    }
}
