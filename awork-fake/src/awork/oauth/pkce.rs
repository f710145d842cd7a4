//! PKCE with `S256` (RFC 7636): the token request must bring the verifier whose
//! SHA-256 digest, base64url-encoded without padding, is the challenge the
//! authorization request carried.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The only challenge method the fake accepts; `plain` offers no protection.
pub(crate) const S256: &str = "S256";

/// Whether `verifier` is well-formed (43 to 128 unreserved characters) and
/// hashes to `challenge`.
pub(crate) fn verifies(verifier: &str, challenge: &str) -> bool {
    well_formed(verifier) && challenge_of(verifier) == challenge
}

/// The `S256` challenge of `verifier`.
pub(crate) fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43..=128 characters of `[A-Za-z0-9-._~]`.
fn well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifies() {
        // Appendix B of RFC 7636.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(challenge_of(verifier), challenge);
        assert!(verifies(verifier, challenge));
        assert!(!verifies(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx",
            challenge
        ));
        assert!(!verifies("short", &challenge_of("short")));
    }
}
