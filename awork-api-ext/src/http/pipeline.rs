//! The one path every request takes to awork, composed here and nowhere else.
//!
//! In order: the request gets the user agent; then, when the pipeline has credentials,
//! an `Authorization` header (a refusal ends it here, unsent); then the retry step
//! sends it attempt after attempt, each attempt paced by the rate limiter. After a 401,
//! credentials that can be renewed are renewed once and a copy of the request goes
//! through the retry step again. The whole request runs in one `awork.request` span.
//!
//! What comes back is [`Sent`]: the last answer and the request's tally as data.

use crate::http::authorize::{self, Authorization, Authorize};
use crate::http::copies::{Copies, Stamp};
use crate::http::retry::Retrying;
use crate::http::tally::{Sent, Tally};
use crate::http::trace;
use reqwest::Request;
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use std::fmt;
use std::sync::Arc;
use tracing::Instrument;

/// A configured path to awork: user agent, credentials (or none), retries, pacing.
#[derive(Clone)]
pub(crate) struct Pipeline {
    user_agent: HeaderValue,
    credentials: Option<Arc<dyn Authorize>>,
    retrying: Retrying,
}

impl Pipeline {
    /// A pipeline without credentials: for requests that bring their own or need none
    /// (OAuth's token requests, client registration).
    pub(crate) fn new(user_agent: HeaderValue, retrying: Retrying) -> Self {
        Self {
            user_agent,
            credentials: None,
            retrying,
        }
    }

    /// This pipeline, authorizing every request with `credentials`.
    pub(crate) fn authorized_by(self, credentials: Arc<dyn Authorize>) -> Self {
        Self {
            credentials: Some(credentials),
            ..self
        }
    }

    /// The HTTP client requests are sent with, to build them with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        self.retrying.wire().http()
    }

    /// Sends `request`, traced as `operation_id`, making further copies as `copies`
    /// says. Answers whatever the status; the tally says what happened on the way.
    pub(crate) async fn send(
        &self,
        request: Request,
        copies: Copies<'_>,
        operation_id: &'static str,
    ) -> Sent {
        let span = trace::request_span(operation_id, &request);
        self.run(request, copies, operation_id)
            .instrument(span)
            .await
    }

    async fn run(
        &self,
        mut request: Request,
        copies: Copies<'_>,
        operation_id: &'static str,
    ) -> Sent {
        let mut stamp = Stamp::default().with(USER_AGENT, self.user_agent.clone());
        let Some(credentials) = &self.credentials else {
            stamp.on(&mut request);
            return self
                .attempts(request, &copies, &stamp, Tally::default())
                .await;
        };
        let authorization = match credentials.authorize().await {
            Ok(authorization) => authorization,
            Err(refusal) => {
                return Sent {
                    result: Ok(authorize::not_sent(operation_id, &refusal)),
                    tally: Tally::default().refused(refusal),
                };
            }
        };
        stamp.set(AUTHORIZATION, authorization.header.clone());
        stamp.on(&mut request);
        let again = credentials
            .renews()
            .then(|| copies.copy(&request))
            .flatten();
        let sent = self
            .attempts(request, &copies, &stamp, Tally::default())
            .await;
        if !authorize::rejected(&sent.result) || !credentials.renews() {
            return sent;
        }
        let Some(again) = again else {
            tracing::debug!(
                operation_id,
                "awork answered 401; the body cannot be resent"
            );
            return sent;
        };
        self.renewed(
            credentials.as_ref(),
            &authorization,
            again,
            copies,
            stamp,
            sent,
        )
        .await
    }

    /// After a 401: renews the credentials and sends `again` once more through the
    /// retry step; keeps `rejected` as the answer when nothing newer can be had.
    async fn renewed(
        &self,
        credentials: &dyn Authorize,
        authorization: &Authorization,
        mut again: Request,
        copies: Copies<'_>,
        mut stamp: Stamp,
        rejected: Sent,
    ) -> Sent {
        match credentials.renew(authorization).await {
            Ok(Some(header)) => {
                stamp.set(AUTHORIZATION, header);
                stamp.on(&mut again);
                let Sent { result, tally } = rejected;
                drop(result);
                self.attempts(again, &copies, &stamp, tally).await
            }
            Ok(None) => rejected,
            Err(refusal) => Sent {
                tally: rejected.tally.refused(refusal),
                ..rejected
            },
        }
    }

    /// The retry step, its attempts added to `tally`.
    async fn attempts(
        &self,
        request: Request,
        copies: &Copies<'_>,
        stamp: &Stamp,
        tally: Tally,
    ) -> Sent {
        let before = tally.attempts().unwrap_or(0);
        let (result, made) = self.retrying.send(request, copies, stamp, before).await;
        Sent {
            result,
            tally: tally.sent(made),
        }
    }
}

#[cfg(test)]
impl Pipeline {
    /// A pipeline for tests: no credentials, no retries, no limiter, the system clock.
    pub(crate) fn plain() -> Self {
        let wire = crate::http::wire::Wire::new(reqwest::Client::new(), None);
        let clock = Arc::new(crate::clock::SystemClock::new());
        let retrying = Retrying::new(crate::http::retry::RetryPolicy::none(), clock, wire);
        Self::new(HeaderValue::from_static("awork-rs/test"), retrying)
    }
}

impl fmt::Debug for Pipeline {
    /// The credentials as their own `Debug` shows them (secrets redacted), and the
    /// retry step; never a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("credentials", &self.credentials)
            .field("retrying", &self.retrying)
            .finish_non_exhaustive()
    }
}
