//! `cargo xtask fuzz`: runs every fuzz target of awork-api-ext with many cases each
//! and tabulates what they report.
//!
//! The targets are tests named `fuzz_*` inside the crate (see its `fuzz` module): the
//! parsers they drive are partly private, and the tests run on stable Rust. Each prints
//! one `fuzz-report target=… cases=… accepted=… refused=… panics=… seed=… seconds=…`
//! line; this command sets the case count and the seed, runs them in release mode
//! (the `bench` profile: our code fully optimized, the generated crate lightly), and
//! fails when a target is missing, ran fewer cases than asked, or had a failed case.
//! `--dev` runs them in the workspace's test build instead, as CI does with a slice.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

/// Every target, by the name it reports under.
pub const TARGETS: [&str; 12] = [
    "webhook_delivery",
    "automation_delivery",
    "webhook_auth_header",
    "oauth_callback",
    "retry_after",
    "rate_limit_headers",
    "paging_headers",
    "error_body",
    "answer_time_booking",
    "answer_time_entry",
    "answer_client_registration",
    "answer_webhook_config",
];

/// Cases per target unless `--cases` says otherwise.
pub const DEFAULT_CASES: u64 = 1_000_000;

/// What one target reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub target: String,
    pub cases: u64,
    pub accepted: u64,
    pub refused: u64,
    pub panics: u64,
    pub seconds: String,
}

impl Report {
    /// Reads a `fuzz-report` line; `None` for any other line.
    pub fn parse(line: &str) -> Option<Self> {
        let rest = line.trim().strip_prefix("fuzz-report ")?;
        let field = |name: &str| {
            rest.split_whitespace()
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        };
        let number = |name: &str| field(name)?.parse::<u64>().ok();
        Some(Self {
            target: field("target")?.to_string(),
            cases: number("cases")?,
            accepted: number("accepted")?,
            refused: number("refused")?,
            panics: number("panics")?,
            seconds: field("seconds").unwrap_or("?").to_string(),
        })
    }
}

/// `cargo xtask fuzz [--cases N] [--seed S] [--dev] [--root DIR]`.
pub fn main(args: &[String]) -> Result<ExitCode> {
    let mut cases = DEFAULT_CASES;
    let mut seed = None;
    let mut dev = false;
    let mut root = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .with_context(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--cases" => {
                let text = value("--cases")?;
                cases = text
                    .replace('_', "")
                    .parse()
                    .with_context(|| format!("--cases takes a whole number, not {text:?}"))?;
            }
            "--seed" => seed = Some(value("--seed")?),
            "--dev" => dev = true,
            "--root" => root = Some(std::path::PathBuf::from(value("--root")?)),
            other => bail!("unknown flag {other:?} for fuzz (see `cargo xtask help`)"),
        }
    }
    if cases == 0 {
        bail!("--cases must be at least 1");
    }
    let root = root.unwrap_or_else(xtask::pipeline::workspace_root);
    let mut reports = run(&root, cases, seed.as_deref(), dev)?;
    reports.sort_by_key(|r| TARGETS.iter().position(|t| *t == r.target));
    print!("{}", table(&reports, cases, dev));
    let problems = problems(&reports, cases);
    for problem in &problems {
        eprintln!("xtask fuzz: {problem}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs the targets through `cargo test`, echoing its output, and collects the reports.
fn run(root: &Path, cases: u64, seed: Option<&str>, dev: bool) -> Result<Vec<Report>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).arg("test");
    if dev {
        // The workspace's own test build (as `cargo test --workspace` makes it), so CI
        // compiles nothing again.
        command.args(["--workspace", "--lib"]);
    } else {
        command.args([
            "--profile",
            "bench",
            "-p",
            "awork-api-ext",
            "--features",
            "full,axum",
            "--lib",
        ]);
    }
    command
        .args(["--", "fuzz_", "--nocapture"])
        .env("AWORK_FUZZ_CASES", cases.to_string())
        .stdout(Stdio::piped());
    if let Some(seed) = seed {
        command.env("AWORK_FUZZ_SEED", seed);
    }
    let mut child = command.spawn().context("running cargo test")?;
    let mut reports = Vec::new();
    let stdout = child.stdout.take().context("cargo test's output")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        reports.extend(Report::parse(&line));
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("the fuzz targets failed ({status}); their output is above");
    }
    Ok(reports)
}

/// What is wrong with a run: targets missing, short or with failed cases.
pub fn problems(reports: &[Report], cases: u64) -> Vec<String> {
    let mut problems = Vec::new();
    for target in TARGETS {
        match reports.iter().find(|r| r.target == target) {
            None => problems.push(format!("target {target} did not report")),
            Some(r) if r.cases < cases => {
                problems.push(format!("target {target} ran {} of {cases} cases", r.cases))
            }
            Some(r) if r.panics > 0 => {
                problems.push(format!("target {target}: {} cases failed", r.panics))
            }
            Some(_) => {}
        }
    }
    problems
}

/// The reports as a Markdown table, with the totals.
pub fn table(reports: &[Report], cases: u64, dev: bool) -> String {
    let mut out = format!(
        "\nfuzz: {} targets, {cases} cases each, {} build\n\n\
         | target | cases | accepted | refused | failed | seconds |\n|---|---:|---:|---:|---:|---:|\n",
        reports.len(),
        if dev { "test (debug)" } else { "release" }
    );
    for r in reports {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.target, r.cases, r.accepted, r.refused, r.panics, r.seconds
        ));
    }
    let total: u64 = reports.iter().map(|r| r.cases).sum();
    let failed: u64 = reports.iter().map(|r| r.panics).sum();
    out.push_str(&format!("\n{total} cases in all, {failed} failed\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(target: &str, cases: u64, panics: u64) -> Report {
        Report {
            target: target.into(),
            cases,
            accepted: cases - panics,
            refused: 0,
            panics,
            seconds: "1.0".into(),
        }
    }

    #[test]
    fn report_lines_are_read_and_other_lines_ignored() {
        let line = "fuzz-report target=oauth_callback cases=1000 accepted=600 refused=400 panics=0 seed=0x1f seconds=2.5";
        assert_eq!(
            Report::parse(line),
            Some(Report {
                target: "oauth_callback".into(),
                cases: 1000,
                accepted: 600,
                refused: 400,
                panics: 0,
                seconds: "2.5".into(),
            })
        );
        assert_eq!(Report::parse("test fuzz::x ... ok"), None);
        assert_eq!(Report::parse("fuzz-report target=x cases=many"), None);
    }

    #[test]
    fn a_run_fails_for_a_missing_short_or_failing_target() {
        let mut all: Vec<Report> = TARGETS.iter().map(|t| report(t, 10, 0)).collect();
        assert!(problems(&all, 10).is_empty());
        assert_eq!(
            problems(&all, 11).len(),
            TARGETS.len(),
            "every target ran too few"
        );
        all[0].panics = 2;
        all.pop();
        let found = problems(&all, 10);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("2 cases failed"));
        assert!(found[1].contains("did not report"));
        assert!(table(&all, 10, false).contains("| webhook_delivery | 10 | 10 | 0 | 2 | 1.0 |"));
    }
}
