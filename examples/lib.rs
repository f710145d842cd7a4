//! Runnable examples of `awork-api-ext`: each file's header says how to run it. Offline
//! by default, against the embedded fake.
//!
//! This library holds what the examples share.

/// Ends the program with a message saying how to rebuild it, when it is about to talk
/// to awork itself (over HTTPS) but was built without TLS: offline runs need none, so
/// the examples leave it out unless `--features rustls` asks for it.
pub fn require_tls(example: &str, features: &[&str]) {
    if cfg!(feature = "rustls") {
        return;
    }
    let features = features
        .iter()
        .copied()
        .chain(["rustls"])
        .collect::<Vec<_>>()
        .join(",");
    eprintln!(
        "{example} would talk to awork itself over HTTPS, but was built without TLS \
         (offline runs against the embedded fake need none). Run it with TLS on:\n  \
         cargo run -p awork-examples --features {features} --example {example}"
    );
    std::process::exit(2);
}
