//! The whole pipeline for one API version: vendored document + corrections →
//! down-conversion → normalization → code, and `regen`'s write-or-check step.

use crate::areas::{self, AreaTable};
use crate::corrections::{self, Correction};
use crate::layout::{Areas, LayoutReport, Plan};
use crate::normalize::{self, Report};
use crate::spec::{self, Dialect};
use crate::{downconvert, fsutil, generate, vendor};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One API version the workspace generates.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// Short name, also the module name in `awork-api` (`v1`, `v2`).
    pub name: &'static str,
    /// The vendored document, relative to the workspace root.
    pub spec: &'static str,
    /// Our corrections, relative to the workspace root.
    pub corrections: &'static str,
    /// The generated file, relative to the workspace root.
    pub output: &'static str,
    /// Where `cargo xtask vendor` fetches the document by default.
    pub default_source: &'static str,
    /// The tag → area table that gates operations by feature (none: not split).
    pub areas: Option<&'static str>,
    /// The decode corpus's table (schema → generated type), and the types' module path.
    pub decode_table: (&'static str, &'static str),
    /// The strict copy of the corrected document the fake server validates against.
    pub contract: &'static str,
    /// The conformance cases (one per generated operation), and the client's module.
    pub conformance: (&'static str, &'static str),
}

/// The tag → area table of v1, relative to the workspace root.
pub const AREAS: &str = "openapi/areas.json";

/// The manifest whose `[features]` must match the area table.
pub const API_MANIFEST: &str = "awork-api/Cargo.toml";

/// The API versions of awork the SDK carries.
pub const APIS: [Api; 2] = [
    Api {
        name: "v1",
        spec: "openapi/awork-v1.json",
        corrections: "openapi/corrections-v1.json",
        output: "awork-api/src/generated/v1.rs",
        default_source: "https://api.awork.com/openapi/v1",
        areas: Some(AREAS),
        decode_table: ("tests/tests/generated/decode_v1.rs", "awork_api::types"),
        contract: "awork-fake/contract/awork-v1.json",
        conformance: (
            "tests/conformance/tests/generated/conformance_v1.rs",
            "awork_api",
        ),
    },
    Api {
        name: "v2",
        spec: "openapi/awork-v2.json",
        corrections: "openapi/corrections-v2.json",
        output: "awork-api/src/generated/v2.rs",
        default_source: "https://api.awork.com/openapi/v2",
        areas: None,
        decode_table: ("tests/tests/generated/decode_v2.rs", "awork_api::v2::types"),
        contract: "awork-fake/contract/awork-v2.json",
        conformance: (
            "tests/conformance/tests/generated/conformance_v2.rs",
            "awork_api::v2",
        ),
    },
];

/// Looks up an API version by name.
pub fn api(name: &str) -> Result<Api> {
    match APIS.iter().find(|a| a.name == name) {
        Some(api) => Ok(*api),
        None => bail!("unknown API {name:?}; known: v1, v2"),
    }
}

/// The result of running the pipeline on one document.
#[derive(Debug)]
pub struct Generated {
    /// The formatted Rust source, header included.
    pub code: String,
    /// What normalization did.
    pub report: Report,
    /// What the layout passes did.
    pub layout: LayoutReport,
    /// The document progenitor read (corrected, normalized).
    pub document: Value,
    /// The fake server's contract: the corrected document before normalization,
    /// as text (see [`crate::contract`]).
    pub contract: String,
}

/// Inputs of one generation, already read.
pub struct Inputs<'a> {
    /// The document's bytes (vendored, or straight from upstream).
    pub spec: &'a [u8],
    /// Where the document came from, for messages and the header.
    pub spec_origin: &'a str,
    /// Our corrections file, if any: its text and its name.
    pub corrections: Option<(&'a str, &'a str)>,
    /// The area table, if operations are to be gated by feature: its text and its name.
    pub areas: Option<(&'a str, &'a str)>,
}

/// Runs corrections, down-conversion and normalization; returns the 3.0 document
/// progenitor will read, with the report.
pub fn prepare(inputs: &Inputs<'_>) -> Result<(Value, Report)> {
    let mut doc = corrected(inputs)?;
    let report = normalize::normalize(&mut doc);
    Ok((doc, report))
}

/// The document with our corrections applied and down-converted to OpenAPI 3.0, before
/// any normalization: what awork states, as strictly as it states it.
pub fn corrected(inputs: &Inputs<'_>) -> Result<Value> {
    let (mut doc, dialect) = spec::parse(inputs.spec, inputs.spec_origin)?;
    if let Some((text, origin)) = inputs.corrections {
        let list: Vec<Correction> = corrections::parse(text, origin)?;
        corrections::apply_all(&mut doc, &list)
            .with_context(|| format!("{origin} does not apply"))?;
    }
    if dialect == Dialect::V31 {
        downconvert::to_openapi_30(&mut doc);
    }
    Ok(doc)
}

/// The full pipeline: prepared document → progenitor → formatted code with a header.
pub fn generate(inputs: &Inputs<'_>) -> Result<Generated> {
    let strict = corrected(inputs)?;
    let contract = crate::contract::to_text(&crate::contract::contract(&strict));
    let mut doc = strict;
    let report = normalize::normalize(&mut doc);
    let areas = match inputs.areas {
        Some((text, origin)) => {
            let table = AreaTable::parse(text, origin)?;
            let assigned = areas::assign(&doc, &table)
                .with_context(|| format!("{}: {origin}", inputs.spec_origin))?;
            Some(Areas {
                assigned,
                order: table.names().map(str::to_string).collect(),
            })
        }
        None => None,
    };
    let docs = crate::facts::operation_docs(&doc, areas.as_ref().map(|a| &a.assigned));
    let plan = Plan { areas, docs };
    let (body, layout) = generate::generate(&doc, inputs.spec_origin, &plan)?;
    let missing = generate::missing_methods(&body, &report.generated);
    if !missing.is_empty() {
        bail!(
            "{}: progenitor generated no method for {}",
            inputs.spec_origin,
            missing.join(", ")
        );
    }
    let code = format!("{}{body}", header(&doc, inputs));
    Ok(Generated {
        code,
        report,
        layout,
        document: doc,
        contract,
    })
}

fn header(doc: &Value, inputs: &Inputs<'_>) -> String {
    let provenance = doc.pointer("/info/x-provenance");
    let field = |name: &str| {
        provenance
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string()
    };
    let mut input_bytes = inputs.spec.to_vec();
    for (text, _) in inputs.corrections.iter().chain(inputs.areas.iter()) {
        input_bytes.extend_from_slice(text.as_bytes());
    }
    format!(
        "// @generated by `cargo xtask regen` from {origin}. Do not edit by hand:\n\
         // change the spec, openapi/corrections-*.json or the xtask, then regenerate.\n\
         // upstream sha256: {upstream} (awork {version}, {date})\n\
         // inputs sha256:   {inputs_sha}\n\n",
        origin = inputs.spec_origin,
        upstream = field("sha256"),
        version = field("upstreamVersion"),
        date = field("upstreamDate"),
        inputs_sha = vendor::sha256_hex(&input_bytes),
    )
}

/// Reads the inputs of `api` below `root` and generates its code.
pub fn generate_api(root: &Path, api: &Api) -> Result<Generated> {
    let spec_bytes = std::fs::read(root.join(api.spec))
        .with_context(|| format!("{}: cannot read it", api.spec))?;
    let corrections_path = root.join(api.corrections);
    let corrections = match std::fs::read_to_string(&corrections_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read it", api.corrections)),
    };
    let areas = match api.areas {
        Some(path) => Some(
            std::fs::read_to_string(root.join(path))
                .with_context(|| format!("{path}: cannot read it"))?,
        ),
        None => None,
    };
    generate(&Inputs {
        spec: &spec_bytes,
        spec_origin: api.spec,
        corrections: corrections.as_deref().map(|t| (t, api.corrections)),
        areas: areas.as_deref().zip(api.areas),
    })
}

/// Checks that awork-api's manifest declares a feature for every area of the table.
pub fn check_features(root: &Path) -> Result<()> {
    let table_text = std::fs::read_to_string(root.join(AREAS))
        .with_context(|| format!("{AREAS}: cannot read it"))?;
    let manifest = std::fs::read_to_string(root.join(API_MANIFEST))
        .with_context(|| format!("{API_MANIFEST}: cannot read it"))?;
    areas::check_manifest(
        &manifest,
        &AreaTable::parse(&table_text, AREAS)?,
        API_MANIFEST,
    )
}

/// What `regen` found for one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The checked-in file already matched.
    Unchanged,
    /// The file was (re)written.
    Written,
    /// `--check`: the file is stale; the diff is attached.
    Stale(String),
}

/// Writes `code` to `path` atomically, or with `check` only compares.
pub fn write_or_check(path: &Path, code: &str, check: bool) -> Result<Outcome> {
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == code {
        return Ok(Outcome::Unchanged);
    }
    if check {
        return Ok(Outcome::Stale(short_diff(&current, code, 40)));
    }
    fsutil::write_atomically(path, code.as_bytes())?;
    Ok(Outcome::Written)
}

/// A unified diff of at most `max_lines` lines.
pub fn short_diff(old: &str, new: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("checked in", "regenerated")
        .to_string();
    let total = text.lines().count();
    let mut out: String = text
        .lines()
        .take(max_lines)
        .map(|l| format!("{l}\n"))
        .collect();
    if total > max_lines {
        out.push_str(&format!("… {} more diff lines\n", total - max_lines));
    }
    out
}

/// The workspace root: the parent of the xtask crate.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
