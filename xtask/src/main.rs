//! `cargo xtask`: vendor awork's OpenAPI documents and regenerate `awork-api`.

mod fuzz;

use anyhow::{Result, bail};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use xtask::pipeline::{self, Api, Inputs, Outcome};
use xtask::{fsutil, spec, vendor};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  vendor [--api v1|v2] [--from PATH|URL] [--upstream-date YYYY-MM-DD] [--out PATH]
      Read awork's document (default: the live URL of the API version), keep its facts,
      drop its prose, record provenance, write openapi/awork-<api>.json (or PATH;
      a PATH ending in .gz is compressed, as the history in openapi/history/ is).
  regen [--check] [--api v1|v2]
      Regenerate awork-api/src/generated/<api>.rs from openapi/ (all APIs by default),
      with the decode corpus's tables, the conformance cases, awork-api-ext's table of uploads and
      awork-fake/contract/awork-<api>.json, the strict document the fake judges by.
      --check writes nothing and fails with a diff when the checked-in code is stale.
  regen --spec PATH --out PATH [--no-corrections]
      Run the pipeline on any document (e.g. an older awork spec) into any file.
  diff [OLD] NEW [--json]
      What changed from OLD (default: the vendored openapi/awork-v1.json) to NEW, each
      change marked breaking or not for users of the Rust crate; --json for tools.
  check-generated [--write-only]
      Generate awork's older documents (openapi/history/) and the reserved-names fixture
      into a scratch crate under target/ and lint it with the workspace; --write-only
      only generates (compile with `cargo check -p awork-generated-check --features run`).
  bench-regen [--runs N]
      Time the v1 pipeline in-process (median of N runs, default 5).
  bench-build [--cold-example] [--write]
      Clean debug builds of awork-api with `full` and with `time-bookings` (crate alone,
      time and peak memory); --cold-example adds the README's main command from an
      empty target folder; --write puts the table into BENCHMARKS.md and README.md.
  fuzz [--cases N] [--seed S] [--dev]
      Run every fuzz target of awork-api-ext (its parsers of outside input) with N cases
      each (default 1000000) in release mode, and print the counts per target; fails
      on any failed case. --dev uses the workspace's test build (CI's slice).

Every command takes --root DIR to work on another checkout of the workspace.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let (command, rest) = args
        .split_first()
        .map(|(c, r)| (c.as_str(), r))
        .unwrap_or(("help", &[]));
    let flags = match command {
        "measure" => Flags::default(),
        "diff" => return diff_cmd(rest),
        "fuzz" => return fuzz::main(rest),
        _ => Flags::parse(rest)?,
    };
    match command {
        "vendor" => vendor_cmd(&flags),
        "regen" => regen_cmd(&flags),
        "bench-regen" => bench_cmd(&flags),
        "bench-build" => bench_build_cmd(&flags),
        "check-generated" => {
            if flags.write_only {
                xtask::check_generated::write(&flags.root())?;
            } else {
                xtask::check_generated::run(&flags.root())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        "measure" => {
            let m = xtask::bench_build::measure(rest)?;
            println!("measured {:.3} {:.1}", m.seconds, m.peak_mib);
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

/// The command line flags, all optional.
#[derive(Default)]
struct Flags {
    api: Option<String>,
    from: Option<String>,
    upstream_date: Option<String>,
    spec: Option<String>,
    out: Option<String>,
    runs: Option<usize>,
    root: Option<String>,
    check: bool,
    no_corrections: bool,
    cold_example: bool,
    write: bool,
    write_only: bool,
}

impl Flags {
    fn parse(args: &[String]) -> Result<Self> {
        let mut flags = Flags::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |name: &str| match iter.next() {
                Some(v) => Ok(v.clone()),
                None => bail!("{name} needs a value"),
            };
            match arg.as_str() {
                "--check" => flags.check = true,
                "--cold-example" => flags.cold_example = true,
                "--write" => flags.write = true,
                "--write-only" => flags.write_only = true,
                "--no-corrections" => flags.no_corrections = true,
                "--api" => flags.api = Some(value("--api")?),
                "--from" => flags.from = Some(value("--from")?),
                "--upstream-date" => flags.upstream_date = Some(value("--upstream-date")?),
                "--root" => flags.root = Some(value("--root")?),
                "--spec" => flags.spec = Some(value("--spec")?),
                "--out" => flags.out = Some(value("--out")?),
                "--runs" => {
                    flags.runs = Some(
                        value("--runs")?
                            .parse()
                            .map_err(|_| anyhow::anyhow!("--runs takes a number"))?,
                    )
                }
                other => bail!("unknown flag {other:?} (see `cargo xtask help`)"),
            }
        }
        Ok(flags)
    }

    /// The workspace to read and write: `--root`, else the one this xtask belongs to.
    fn root(&self) -> std::path::PathBuf {
        self.root
            .as_ref()
            .map(std::path::PathBuf::from)
            .unwrap_or_else(pipeline::workspace_root)
    }

    fn apis(&self) -> Result<Vec<Api>> {
        match &self.api {
            Some(name) => Ok(vec![pipeline::api(name)?]),
            None => Ok(pipeline::APIS.to_vec()),
        }
    }
}

fn vendor_cmd(flags: &Flags) -> Result<ExitCode> {
    let api = pipeline::api(flags.api.as_deref().unwrap_or("v1"))?;
    let source = flags
        .from
        .clone()
        .unwrap_or_else(|| api.default_source.to_string());
    let bytes = spec::read_source(&source)?;
    let upstream_date = flags
        .upstream_date
        .clone()
        .or_else(|| vendor::date_in_name(&source));
    let text = vendor::vendor(
        &bytes,
        &vendor::Provenance {
            source: source.clone(),
            upstream_date,
        },
    )?;
    let root = flags.root();
    let out = flags.out.clone().unwrap_or_else(|| api.spec.to_string());
    let bytes_out = match out.ends_with(".gz") {
        true => spec::gzip(text.as_bytes())?,
        false => text.clone().into_bytes(),
    };
    let previous = std::fs::read(root.join(&out)).ok();
    fsutil::write_atomically(&root.join(&out), &bytes_out)?;
    if let Some(previous) = previous.filter(|p| !out.ends_with(".gz") && p != &bytes_out) {
        let before = spec::parse(&previous, &out)?.0;
        let after: serde_json::Value = serde_json::from_str(&text)?;
        print!(
            "{}",
            xtask::diff::Summary(&xtask::diff::diff(&before, &after)?)
        );
    }
    println!(
        "vendored {source} → {out} ({} operations, upstream sha256 {})",
        xtask::json::operations(&serde_json::from_str(&text)?).len(),
        vendor::sha256_hex(&bytes)
    );
    println!("next: cargo xtask regen");
    Ok(ExitCode::SUCCESS)
}

fn regen_cmd(flags: &Flags) -> Result<ExitCode> {
    if let Some(spec_path) = &flags.spec {
        return regen_one_document(spec_path, flags);
    }
    let root = flags.root();
    let apis = flags.apis()?;
    if apis.iter().any(|api| api.areas.is_some()) {
        pipeline::check_features(&root)?;
    }
    let mut stale = false;
    for api in apis {
        let started = Instant::now();
        let generated = pipeline::generate_api(&root, &api)?;
        let outcome =
            pipeline::write_or_check(&root.join(api.output), &generated.code, flags.check)?;
        stale |= write_table(&root, api.contract, &generated.contract, flags.check)?;
        let (table_path, types) = api.decode_table;
        let table =
            xtask::corpus::decode_table(&generated.document, &generated.code, types, api.spec);
        stale |= write_table(&root, table_path, &table, flags.check)?;
        let (cases_path, client) = api.conformance;
        let cases =
            xtask::conformance::cases(&generated.document, &generated.code, client, api.spec)?;
        stale |= write_table(&root, cases_path, &cases, flags.check)?;
        if let Some(uploads) = xtask::uploads_table::for_api(&api, &generated.report)? {
            let path = xtask::uploads_table::OUTPUT;
            stale |= write_table(&root, path, &uploads, flags.check)?;
        }
        println!("── awork {} ({}) ──", api.name, api.spec);
        print!("{}{}", generated.report, generated.layout);
        let lines = generated.code.lines().count();
        let elapsed = started.elapsed().as_secs_f64();
        match outcome {
            Outcome::Unchanged => {
                println!("{}: up to date ({lines} lines, {elapsed:.2} s)", api.output)
            }
            Outcome::Written => println!("{}: written ({lines} lines, {elapsed:.2} s)", api.output),
            Outcome::Stale(diff) => {
                stale = true;
                println!("{}: STALE, run `cargo xtask regen`:\n{diff}", api.output);
            }
        }
    }
    Ok(if stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one table that regen makes beside the code (or with `check` compares it) and
/// says so; true when the checked-in table is stale.
fn write_table(root: &Path, path: &str, text: &str, check: bool) -> Result<bool> {
    match pipeline::write_or_check(&root.join(path), text, check)? {
        Outcome::Stale(diff) => {
            println!("{path}: STALE, run `cargo xtask regen`:\n{diff}");
            Ok(true)
        }
        Outcome::Written => {
            println!("{path}: written");
            Ok(false)
        }
        Outcome::Unchanged => Ok(false),
    }
}

fn regen_one_document(spec_path: &str, flags: &Flags) -> Result<ExitCode> {
    let Some(out) = &flags.out else {
        bail!("--spec needs --out PATH")
    };
    let bytes = spec::read_source(spec_path)?;
    let api = pipeline::api(flags.api.as_deref().unwrap_or("v1"))?;
    let root = flags.root();
    let corrections = match flags.no_corrections {
        true => None,
        false => Some(std::fs::read_to_string(root.join(api.corrections))?),
    };
    let generated = pipeline::generate(&Inputs {
        spec: &bytes,
        spec_origin: spec_path,
        corrections: corrections.as_deref().map(|t| (t, api.corrections)),
        areas: None,
    })?;
    print!("{}{}", generated.report, generated.layout);
    match pipeline::write_or_check(Path::new(out), &generated.code, flags.check)? {
        Outcome::Stale(diff) => {
            println!("{out}: STALE:\n{diff}");
            Ok(ExitCode::FAILURE)
        }
        _ => {
            println!("{out}: {} lines", generated.code.lines().count());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench_cmd(flags: &Flags) -> Result<ExitCode> {
    let runs = flags.runs.unwrap_or(5).max(1);
    let root = flags.root();
    let api = pipeline::api(flags.api.as_deref().unwrap_or("v1"))?;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            pipeline::generate_api(&root, &api).map(|_| started.elapsed().as_secs_f64())
        })
        .collect::<Result<_>>()?;
    times.sort_by(f64::total_cmp);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "regen {} ({profile} xtask, {runs} runs): median {:.3} s, min {:.3} s, max {:.3} s",
        api.name,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    Ok(ExitCode::SUCCESS)
}

fn bench_build_cmd(flags: &Flags) -> Result<ExitCode> {
    let root = flags.root();
    let figures = xtask::bench_build::run(&root, flags.cold_example)?;
    let table = xtask::bench_build::table(&figures);
    print!("{table}");
    if flags.write {
        for file in ["BENCHMARKS.md", "README.md"] {
            xtask::bench_build::write_between_markers(&root.join(file), &table)?;
            println!("written into {file}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `diff [OLD] NEW [--json] [--root DIR]`: positional documents, so parsed here.
fn diff_cmd(args: &[String]) -> Result<ExitCode> {
    let mut json = false;
    let mut root = None;
    let mut documents = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--root" => match iter.next() {
                Some(dir) => root = Some(std::path::PathBuf::from(dir)),
                None => bail!("--root needs a value"),
            },
            flag if flag.starts_with("--") => {
                bail!("unknown flag {flag:?} (see `cargo xtask help`)")
            }
            document => documents.push(document.to_string()),
        }
    }
    let root = root.unwrap_or_else(pipeline::workspace_root);
    let vendored = root.join("openapi/awork-v1.json").display().to_string();
    let (old, new) = match documents.as_slice() {
        [new] => (vendored, new.clone()),
        [old, new] => (old.clone(), new.clone()),
        _ => bail!("diff takes one or two documents: diff [OLD] NEW"),
    };
    let read = |source: &str| -> Result<serde_json::Value> {
        Ok(spec::parse(&spec::read_source(source)?, source)?.0)
    };
    let changes = xtask::diff::diff(&read(&old)?, &read(&new)?)?;
    match json {
        true => println!(
            "{}",
            serde_json::to_string_pretty(&xtask::diff::to_json(&changes))?
        ),
        false => print!("{}", xtask::diff::Summary(&changes)),
    }
    Ok(ExitCode::SUCCESS)
}
