//! Reading the redirect awork sends the user back with, and deciding whether its code
//! may be used.
//!
//! The order of the checks matters: the `state` is compared first, so a forged or
//! stale redirect is refused whatever else it carries; then an `error` from awork; then
//! the code itself. A callback that fails any check sends nothing.

use crate::error::cases::AuthError;
use secrecy::{ExposeSecret, SecretString};

/// The parameters of one callback.
pub(crate) struct Callback {
    code: Option<SecretString>,
    state: Option<SecretString>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Callback {
    /// Reads a full redirect URL (`http://127.0.0.1:8400/callback?code=…&state=…`), a
    /// request target (`/callback?code=…`) or a bare query string (`code=…&state=…`).
    pub(crate) fn parse(text: &str) -> Result<Self, AuthError> {
        let query = query_of(text.trim())?;
        let mut callback = Callback {
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            let repeated = match name.as_ref() {
                "code" => callback.code.replace(SecretString::from(value)).is_some(),
                "state" => callback.state.replace(SecretString::from(value)).is_some(),
                "error" => callback.error.replace(value).is_some(),
                "error_description" => callback.error_description.replace(value).is_some(),
                _ => false,
            };
            if repeated {
                return Err(AuthError::BadCallback("a parameter is repeated"));
            }
        }
        Ok(callback)
    }

    /// The code, once the callback proved to answer the sign-in that sent `expected`
    /// as its state and carries no error.
    pub(crate) fn into_code(self, expected: &str) -> Result<SecretString, AuthError> {
        let state_matches = self
            .state
            .as_ref()
            .is_some_and(|state| same(state.expose_secret(), expected));
        if !state_matches {
            return Err(AuthError::StateMismatch);
        }
        if let Some(error) = self.error {
            return Err(AuthError::Denied {
                error,
                description: self.error_description,
            });
        }
        self.code
            .filter(|code| !code.expose_secret().is_empty())
            .ok_or(AuthError::MissingCode)
    }
}

/// The query part of `text`.
fn query_of(text: &str) -> Result<&str, AuthError> {
    if text.contains("://") || text.starts_with('/') {
        let query = text
            .split_once('?')
            .map(|(_, query)| query)
            .ok_or(AuthError::BadCallback("the URL has no query string"))?;
        return Ok(query.split('#').next().unwrap_or(query));
    }
    match text.strip_prefix('?') {
        // A relative reference (`?code=…#…`): its fragment is not part of the query.
        Some(query) => Ok(query.split('#').next().unwrap_or(query)),
        None => Ok(text),
    }
}

/// Compares in time independent of where the first difference is, so that the state
/// cannot be guessed byte by byte from response times.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Result<String, AuthError> {
        Callback::parse(text)?
            .into_code("st-42")
            .map(|c| c.expose_secret().to_string())
    }

    #[test]
    fn the_code_is_read_from_every_shape_of_callback() {
        assert_eq!(
            code("http://127.0.0.1:9/cb?code=c%2B1&state=st-42").unwrap(),
            "c+1"
        );
        assert_eq!(code("/cb?state=st-42&code=c1").unwrap(), "c1");
        assert_eq!(code("?code=c1&state=st-42").unwrap(), "c1");
        assert_eq!(
            code("?code=c1&state=st-42#_").unwrap(),
            "c1",
            "found by fuzzing"
        );
        assert_eq!(code("code=c1&state=st-42&extra=1").unwrap(), "c1");
    }

    #[test]
    fn state_is_checked_before_error_and_code() {
        assert!(matches!(
            code("code=c1&state=other"),
            Err(AuthError::StateMismatch)
        ));
        assert!(matches!(code("code=c1"), Err(AuthError::StateMismatch)));
        assert!(matches!(
            code("error=access_denied&state=evil"),
            Err(AuthError::StateMismatch)
        ));
        let denied = code("error=access_denied&error_description=No&state=st-42").unwrap_err();
        assert_eq!(
            denied.to_string(),
            "awork did not authorize the app: access_denied: No; nothing was sent"
        );
        assert!(matches!(code("state=st-42"), Err(AuthError::MissingCode)));
        assert!(matches!(
            code("state=st-42&code="),
            Err(AuthError::MissingCode)
        ));
    }

    #[test]
    fn odd_callbacks_are_refused_without_quoting_them() {
        let repeated = code("code=c-secret&code=c2&state=st-42").unwrap_err();
        assert!(matches!(repeated, AuthError::BadCallback(_)));
        assert!(!repeated.to_string().contains("c-secret"));
        assert!(matches!(
            code("http://127.0.0.1/cb"),
            Err(AuthError::BadCallback(_))
        ));
    }
}

/// The callback, fuzzed (see `crate::fuzz`): redirects as awork sends them in every
/// shape the reader takes, with codes, states, errors and other parameters of any
/// text, percent-encoded or not, repeated, and broken byte-wise. The rules: a clean
/// callback gives its code, or the refusal its parameters call for; no refusal shows
/// the code or the state.
#[cfg(test)]
mod fuzz {
    use super::*;
    use crate::fuzz::input;
    use crate::fuzz::{Verdict, clear_refusal, run};
    use rand::Rng;
    use rand::rngs::SmallRng;

    const STATE: &str = "st-7Qx2-expected";

    #[derive(Debug)]
    struct Case {
        text: String,
        /// What a clean callback must come to: the code, or why not.
        expected: Option<Result<String, &'static str>>,
        code: Option<String>,
    }

    fn encode(value: &str) -> String {
        url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
    }

    fn case(rng: &mut SmallRng) -> Case {
        let code = match rng.random_range(0..6) {
            0 => None,
            1 => Some(String::new()),
            2 => Some(input::text(rng)),
            _ => Some(format!("c-{:x}", rng.random::<u64>())),
        };
        let state = match rng.random_range(0..5) {
            0 => None,
            1 => Some(input::text(rng)),
            _ => Some(STATE.to_string()),
        };
        let error = (rng.random_range(0..5) == 0).then(|| input::text(rng));
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(code) = &code {
            pairs.push(("code", code.clone()));
        }
        if let Some(state) = &state {
            pairs.push(("state", state.clone()));
        }
        if let Some(error) = &error {
            pairs.push(("error", error.clone()));
            if rng.random() {
                pairs.push(("error_description", input::text(rng)));
            }
        }
        let repeated = rng.random_range(0..8) == 0 && !pairs.is_empty();
        if repeated {
            let again = pairs[rng.random_range(0..pairs.len())].clone();
            pairs.push(again);
        }
        if rng.random() {
            pairs.push(("extra", input::text(rng)));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(name, value)| format!("{name}={}", encode(value)))
            .collect();
        let query = query.join("&");
        let shape = rng.random_range(0..4);
        let mut text = match shape {
            0 => format!("http://127.0.0.1:{}/callback?{query}", rng.random::<u16>()),
            1 => format!("/callback?{query}"),
            2 => format!("?{query}"),
            _ => query,
        };
        if rng.random_range(0..6) == 0 {
            text.push_str(&format!("#{}", input::text(rng)));
        }
        // A bare query string has no fragment: `#` there is part of the last value.
        let clean = !(shape == 3 && text.contains('#')) && rng.random_range(0..4) > 0;
        if !clean {
            let broken = input::mutate_bytes(rng, text.as_bytes(), &[b"&code=", b"?", b"#"]);
            text = String::from_utf8_lossy(&broken).into_owned();
        }
        let expected = clean.then(|| {
            if repeated {
                Err("repeated")
            } else if state.as_deref() != Some(STATE) {
                Err("state")
            } else if error.is_some() {
                Err("denied")
            } else {
                match &code {
                    Some(code) if !code.is_empty() => Ok(code.clone()),
                    _ => Err("code"),
                }
            }
        });
        Case {
            text,
            expected,
            code,
        }
    }

    #[test]
    fn fuzz_oauth_callback() {
        run("oauth_callback", case, |case| {
            let got = Callback::parse(&case.text).and_then(|c| c.into_code(STATE));
            if let Some(expected) = &case.expected {
                let kind = match &got {
                    Ok(code) => Ok(code.expose_secret().to_string()),
                    Err(AuthError::BadCallback(_)) => Err("repeated"),
                    Err(AuthError::StateMismatch) => Err("state"),
                    Err(AuthError::Denied { .. }) => Err("denied"),
                    Err(AuthError::MissingCode) => Err("code"),
                    Err(other) => panic!("an unexpected refusal: {other:?}"),
                };
                assert_eq!(&kind, expected, "{}", case.text);
            }
            match got {
                Ok(_) => Verdict::Accepted,
                Err(error) => {
                    let code = case.code.as_deref().unwrap_or_default();
                    let secrets: &[&str] = match &error {
                        // awork's own words are shown, and may contain anything.
                        AuthError::Denied { .. } => &[],
                        _ => &[code, STATE],
                    };
                    clear_refusal(&error, secrets)
                }
            }
        });
    }
}
