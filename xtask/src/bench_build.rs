//! `cargo xtask bench-build`: what a clean build of `awork-api` costs, per feature set.
//!
//! Each figure is one clean debug build of the `awork-api` crate alone (its
//! dependencies are built first and not counted), with `CARGO_INCREMENTAL=0`, in a
//! target folder of its own: the wall time, and the peak memory of the largest process
//! (rustc). `--cold-example` adds the README's main command from an empty target folder
//! (every dependency included). `--write` puts the table into BENCHMARKS.md and the
//! README between their `bench-build` markers.
//!
//! Each build is run by a child `xtask measure`, so that the peak memory it reports
//! belongs to that build alone (`getrusage(RUSAGE_CHILDREN)` only ever grows).

use crate::fsutil;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One measured command.
#[derive(Debug, Clone, Copy)]
pub struct Measurement {
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory of the largest process in the tree, in MiB.
    pub peak_mib: f64,
}

/// Runs `args` (a command and its arguments), waits for it, and measures it. Used by
/// `xtask measure`, in a process of its own.
pub fn measure(args: &[String]) -> Result<Measurement> {
    let Some((program, rest)) = args.split_first() else {
        bail!("measure needs a command");
    };
    let started = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .status()
        .with_context(|| format!("cannot run {program}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("{} failed ({status})", args.join(" "));
    }
    Ok(Measurement {
        seconds,
        peak_mib: children_peak_kib()? / 1024.0,
    })
}

#[cfg(unix)]
fn children_peak_kib() -> Result<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    if rc != 0 {
        bail!("getrusage failed: {}", std::io::Error::last_os_error());
    }
    // SAFETY: getrusage returned 0, so the struct is initialised.
    Ok(unsafe { usage.assume_init() }.ru_maxrss as f64)
}

#[cfg(not(unix))]
fn children_peak_kib() -> Result<f64> {
    bail!("bench-build measures memory with getrusage, which needs a Unix system")
}

/// Runs `cargo <args>` through a child `xtask measure` with `target` as target folder.
fn measured_cargo(root: &Path, target: &Path, args: &[&str]) -> Result<Measurement> {
    let me = std::env::current_exe().context("cannot find the xtask binary")?;
    let output = Command::new(me)
        .arg("measure")
        .arg("cargo")
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot run xtask measure")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with("measured "))
        .with_context(|| format!("cargo {} did not finish", args.join(" ")))?;
    let mut parts = line.split_whitespace().skip(1);
    let mut number = || -> Result<f64> {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .context("unreadable measurement")
    };
    Ok(Measurement {
        seconds: number()?,
        peak_mib: number()?,
    })
}

fn cargo(root: &Path, target: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("cargo")
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

/// Clean build of the `awork-api` crate alone with `features`, dependencies warm.
fn crate_alone(root: &Path, target: &Path, features: &str) -> Result<Measurement> {
    let build = ["build", "-p", "awork-api", "--features", features];
    cargo(root, target, &build)?;
    cargo(root, target, &["clean", "-p", "awork-api"])?;
    measured_cargo(root, target, &build)
}

/// The figures of one run.
#[derive(Debug)]
pub struct Figures {
    /// `awork-api` with `full`.
    pub full: Measurement,
    /// `awork-api` with `time-bookings` only.
    pub time_bookings: Measurement,
    /// The README's main command from an empty target folder, if measured.
    pub cold_example: Option<Measurement>,
}

/// Measures the builds below `root`, in `root/target/bench-build`.
pub fn run(root: &Path, cold_example: bool) -> Result<Figures> {
    let target = root.join("target/bench-build");
    let full = crate_alone(root, &target.join("warm"), "full")?;
    let time_bookings = crate_alone(root, &target.join("warm"), "time-bookings")?;
    let cold_example = match cold_example {
        true => {
            let cold = target.join("cold");
            if cold.exists() {
                std::fs::remove_dir_all(&cold)
                    .with_context(|| format!("cannot empty {}", cold.display()))?;
            }
            Some(measured_cargo(
                root,
                &cold,
                &["run", "-p", "awork-examples", "--example", "plan_week"],
            )?)
        }
        false => None,
    };
    Ok(Figures {
        full,
        time_bookings,
        cold_example,
    })
}

/// The figures as a Markdown table.
pub fn table(f: &Figures) -> String {
    let row = |what: &str, m: &Measurement| {
        format!("| {what} | {:.1} s | {:.0} MiB |\n", m.seconds, m.peak_mib)
    };
    let mut out = String::from(
        "| clean debug build, `CARGO_INCREMENTAL=0`, 2 cores | time | peak memory |\n|---|---|---|\n",
    );
    out.push_str(&row("`awork-api`, feature `full` (crate alone)", &f.full));
    out.push_str(&row(
        "`awork-api`, feature `time-bookings` only (crate alone)",
        &f.time_bookings,
    ));
    out.push_str(&format!(
        "| `time-bookings` / `full` | {:.2} × | |\n",
        f.time_bookings.seconds / f.full.seconds
    ));
    if let Some(cold) = &f.cold_example {
        out.push_str(&row(
            "`cargo run -p awork-examples --example plan_week`, empty target folder (all dependencies)",
            cold,
        ));
    }
    out
}

/// Replaces what stands between the `bench-build` markers of `path` with `table`.
pub fn write_between_markers(path: &Path, table: &str) -> Result<()> {
    const START: &str = "<!-- bench-build:start -->";
    const END: &str = "<!-- bench-build:end -->";
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read it", path.display()))?;
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        bail!("{}: no {START} … {END} markers", path.display());
    };
    if end < start {
        bail!(
            "{}: the bench-build markers are out of order",
            path.display()
        );
    }
    let updated = format!("{}{START}\n{table}{}", &text[..start], &text[end..]);
    fsutil::write_atomically(path, updated.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lands_between_the_markers_and_nowhere_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("B.md");
        std::fs::write(
            &file,
            "intro\n<!-- bench-build:start -->\nold\n<!-- bench-build:end -->\nrest\n",
        )
        .unwrap();
        write_between_markers(&file, "| new |\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "intro\n<!-- bench-build:start -->\n| new |\n<!-- bench-build:end -->\nrest\n"
        );
        std::fs::write(&file, "no markers").unwrap();
        assert!(write_between_markers(&file, "x").is_err());
    }

    #[test]
    fn measure_reports_a_failed_command_as_an_error() {
        let err = measure(&["false".to_string()]).unwrap_err().to_string();
        assert!(err.contains("false failed"), "{err}");
    }
}
