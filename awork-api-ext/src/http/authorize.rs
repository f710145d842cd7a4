//! The credentials step of the pipeline, as far as HTTP sees it: a header value for
//! the next request, and after a 401 perhaps a newer one.
//!
//! Where the value comes from (an API key, or OAuth tokens kept fresh) is
//! [`crate::auth`]'s business, behind [`Authorize`]; this layer never sees a token, a
//! refresh or a grant. When the credentials cannot be used the request is not sent, and
//! the [`Refusal`] travels in the request's tally to whoever reports the outcome.

use awork_api::BoxFuture;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::{Response, StatusCode};
use std::fmt;
use std::sync::Arc;

/// A source of `Authorization` headers.
pub(crate) trait Authorize: Send + Sync + fmt::Debug {
    /// The header for the next request. A refusal means the request must not be sent.
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization, Refusal>>;

    /// The header at once, for credentials that never change (an API key), and so
    /// never renew: the pipeline then skips the boxed [`authorize`](Self::authorize)
    /// future, which every request would otherwise allocate, and keeps nothing for a
    /// renewal.
    fn fixed(&self) -> Option<HeaderValue> {
        None
    }

    /// Whether a 401 could be cured by [`renew`](Self::renew). The pipeline keeps a
    /// copy of the request only then.
    fn renews(&self) -> bool;

    /// After awork answered 401 to a request sent with `rejected`: a newer header to
    /// send it once more with, or `None` when there is nothing newer to be had.
    fn renew<'a>(
        &'a self,
        rejected: &'a Authorization,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, Refusal>>;
}

/// The header one request was sent with, and the generation of credentials it came
/// from, so that a renewal can tell whether another request renewed them meanwhile.
#[derive(Clone)]
pub(crate) struct Authorization {
    /// The `Authorization` value, marked sensitive.
    pub(crate) header: HeaderValue,
    /// Grows with every renewal; fixed credentials stay at 0.
    pub(crate) generation: u64,
}

/// Why credentials could not be used: the credential source's own error, kept whole
/// so that the caller gets the same value back ([`crate::error`] turns it into
/// [`Error::Auth`](crate::error::Error::Auth)). Here it is only shown.
#[derive(Clone)]
pub(crate) struct Refusal(Arc<dyn std::error::Error + Send + Sync>);

impl Refusal {
    /// Wraps the credential source's error.
    pub(crate) fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Arc::new(error))
    }

    /// The error as the type the credential source made it, if it is that type.
    pub(crate) fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        let error: &(dyn std::error::Error + 'static) = self.0.as_ref();
        error.downcast_ref()
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether awork rejected the credentials a request was sent with.
pub(crate) fn rejected(result: &reqwest::Result<Response>) -> bool {
    matches!(result, Ok(response) if response.status() == StatusCode::UNAUTHORIZED)
}

/// The answer to a request whose credentials were refused and which was therefore not
/// sent: a 401 in awork's error shape, made here. A generated builder's own `send()`
/// sees this; this crate's calls report the refusal itself.
pub(crate) fn not_sent(operation_id: &'static str, refusal: &Refusal) -> Response {
    tracing::warn!(operation_id, error = %refusal, "awork request not sent: no usable credentials");
    let body = serde_json::json!({
        "code": "not-sent",
        "description": format!("not sent: {refusal}"),
        "link": "https://developers.awork.com/authentication",
    });
    let mut answer = http::Response::new(body.to_string());
    *answer.status_mut() = StatusCode::UNAUTHORIZED;
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, thiserror::Error)]
    #[error("session over")]
    struct Over;

    #[tokio::test]
    async fn a_refusal_gives_back_its_error_and_answers_a_local_401() {
        let refusal = Refusal::new(Over);
        assert_eq!(refusal.downcast_ref::<Over>(), Some(&Over));
        assert!(refusal.downcast_ref::<std::io::Error>().is_none());
        let answer = not_sent("get_me", &refusal);
        assert!(rejected(&Ok(answer)));
        let answer = not_sent("get_me", &refusal);
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["code"], "not-sent");
        assert_eq!(body["description"], "not sent: session over");
    }
}
