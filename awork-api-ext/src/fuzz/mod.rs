//! Fuzzing every parser of outside input, on stable Rust: webhook deliveries (both
//! kinds) and their header, the OAuth callback, the `Retry-After`, rate-limit and
//! `aw-*` paging headers, awork's error bodies, and the answers this crate's types
//! decode (random answers awork's contract allows, and broken ones).
//!
//! Each target makes its inputs from a seeded generator (plain random values, values
//! made from awork's contract by `awork_fake::contract::sample`, and mutations of
//! both and of awork's documented examples: bytes flipped, inserted, cut, spliced, JSON
//! nodes replaced or removed), runs the parser on each inside `catch_unwind`, and
//! checks what came out: an answer that keeps what it was given, or a refusal whose
//! message says what is wrong (and never holds a secret). A panic, or a broken check,
//! counts as a failed case; a target passes with none.
//!
//! `AWORK_FUZZ_CASES` sets the cases per target (default [`DEFAULT_CASES`], a slice
//! every `cargo test` runs), `AWORK_FUZZ_SEED` the seed. Each target prints one
//! `fuzz-report` line with its counts; `cargo xtask fuzz` runs the targets in release
//! mode with a million cases each and tabulates those lines.
//!
//! The targets sit beside this module (the public parsers) and in the modules of the
//! private ones (`auth::callback`, `webhooks::manage`), each a test named `fuzz_*`.

pub(crate) mod answers;
mod errors;
mod headers;
pub(crate) mod input;
mod webhooks;

use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::fmt::{Debug, Display};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// Cases per target when `AWORK_FUZZ_CASES` is not set.
pub(crate) const DEFAULT_CASES: u64 = 300;

/// The seed when `AWORK_FUZZ_SEED` is not set: runs repeat unless asked otherwise.
const DEFAULT_SEED: u64 = 0x0018_f022_5eed;

/// What one case came to.
pub(crate) enum Verdict {
    /// The parser gave a value (that passed the target's checks).
    Accepted,
    /// The parser refused the input with an error (that passed the target's checks).
    Refused,
}

/// Cases per target.
pub(crate) fn cases() -> u64 {
    std::env::var("AWORK_FUZZ_CASES")
        .ok()
        .and_then(|text| text.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// The run's seed.
fn seed() -> u64 {
    std::env::var("AWORK_FUZZ_SEED")
        .ok()
        .and_then(|text| {
            let text = text.trim();
            match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => text.parse().ok(),
            }
        })
        .unwrap_or(DEFAULT_SEED)
}

/// Runs `target`: [`cases`] inputs from `generate`, each judged by `check`, which
/// runs the parser and panics when what it gave breaks a rule of the target.
pub(crate) fn run<I: Debug>(
    target: &str,
    mut generate: impl FnMut(&mut SmallRng) -> I,
    mut check: impl FnMut(&I) -> Verdict,
) {
    let cases = cases();
    let seed = seed()
        ^ target
            .bytes()
            .fold(0u64, |h, b| h.rotate_left(7) ^ u64::from(b));
    let mut rng = SmallRng::seed_from_u64(seed);
    let (mut accepted, mut refused, mut panics) = (0u64, 0u64, 0u64);
    let mut first = None;
    let started = Instant::now();
    for case in 0..cases {
        let input = generate(&mut rng);
        match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(Verdict::Accepted) => accepted += 1,
            Ok(Verdict::Refused) => refused += 1,
            Err(payload) => {
                panics += 1;
                if first.is_none() {
                    let message = payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    first = Some(format!("case {case}: {message}\ninput: {input:?}"));
                }
            }
        }
    }
    println!(
        "fuzz-report target={target} cases={cases} accepted={accepted} refused={refused} \
         panics={panics} seed={seed:#x} seconds={:.1}",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        panics,
        0,
        "{target}: {panics} of {cases} cases panicked or broke a check; the first:\n{}",
        first.unwrap_or_default()
    );
}

/// The checks every refusal of this crate passes: a message that says something, on
/// one line (text from outside cannot break it, or a log line, in two), and holds none
/// of `secrets` (those of four characters or more: shorter ones may occur in any text).
pub(crate) fn clear_refusal(error: &(impl Display + Debug), secrets: &[&str]) -> Verdict {
    let text = error.to_string();
    assert!(
        !text.contains(['\n', '\r']),
        "a refusal over several lines: {text}"
    );
    described(error, secrets)
}

/// The checks a refusal of another crate's reader (serde's) passes: a message that
/// says something, and holds none of `secrets`.
pub(crate) fn described(error: &(impl Display + Debug), secrets: &[&str]) -> Verdict {
    let text = error.to_string();
    assert!(
        text.trim().len() > 10,
        "a refusal without a message: {error:?}"
    );
    let debug = format!("{error:?}");
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        assert!(
            !text.contains(secret) && !debug.contains(secret),
            "a refusal shows a secret: {text}"
        );
    }
    Verdict::Refused
}
