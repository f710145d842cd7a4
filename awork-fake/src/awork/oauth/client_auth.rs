//! Who is calling the token endpoint: a confidential client with its secret in
//! `Authorization: Basic` (or in the form), or a public client naming itself
//! with `client_id`.

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;

use super::form::Form;

/// The client's claim about itself, not yet checked against the registry.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ClientClaim {
    /// The client id.
    pub(crate) id: String,
    /// The secret, when the client sent one.
    pub(crate) secret: Option<String>,
}

/// Reads the claim from Basic auth, else from the form (`client_id`, optional
/// `client_secret`); `None` when the request names no client or the Basic
/// header cannot be read.
pub(crate) fn claim(headers: &HeaderMap, form: &Form) -> Option<ClientClaim> {
    match headers.get(header::AUTHORIZATION) {
        Some(value) => basic(value.to_str().ok()?),
        None => Some(ClientClaim {
            id: form.get("client_id")?.to_owned(),
            secret: form.get("client_secret").map(str::to_owned),
        }),
    }
}

/// `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 §2.3.1 asks.
fn basic(value: &str) -> Option<ClientClaim> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some(ClientClaim {
        id: form_decode(id)?,
        secret: Some(form_decode(secret)?),
    })
}

/// Undoes `application/x-www-form-urlencoded` encoding of one value.
fn form_decode(text: &str) -> Option<String> {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8()
        .ok()
        .map(|value| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("my%3Aapp:s+e%2Fcret");
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap(),
        );
        let claim = claim(&headers, &Form::default()).unwrap();
        assert_eq!(claim.id, "my:app");
        assert_eq!(claim.secret.as_deref(), Some("s e/cret"));
    }

    #[test]
    fn a_public_client_names_itself_in_the_form() {
        let form = Form::parse(b"client_id=cli&grant_type=x").unwrap();
        let claim = claim(&HeaderMap::new(), &form).unwrap();
        assert_eq!((claim.id.as_str(), claim.secret), ("cli", None));
        assert_eq!(claim_of_bearer(), None);
    }

    fn claim_of_bearer() -> Option<ClientClaim> {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        claim(&headers, &Form::default())
    }
}
