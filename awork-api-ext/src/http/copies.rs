//! A request may be sent more than once (a retry, or once more after the credentials
//! were renewed), and a sent request is gone. This is how the next copy is made, and
//! which headers every copy carries.

use reqwest::Request;
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};

/// Makes a fresh copy of a request whose body cannot be cloned (it is read from a file
/// or a buffer again); `None` when that fails, which ends the request.
pub(crate) type Rebuild<'a> = dyn Fn() -> Option<Request> + Send + Sync + 'a;

/// How further copies of a request are made.
#[derive(Clone, Copy)]
pub(crate) enum Copies<'a> {
    /// Cloned before each send. A streamed body cannot be cloned, so such a request is
    /// sent once.
    Cloned,
    /// Made afresh for each further send (an upload opened again).
    Rebuilt(&'a Rebuild<'a>),
    /// Built again by the generated operation for each further send: nothing is
    /// copied before the first.
    Built(&'a awork_api::Rebuild<'a>),
    /// None: the request is sent once, whatever happens.
    Once,
}

impl Copies<'_> {
    /// The copy to keep aside before `request` is sent, when copies are clones.
    #[inline]
    pub(crate) fn spare(&self, request: &Request) -> Option<Box<Request>> {
        match self {
            Copies::Cloned => copy_of(request).map(Box::new),
            Copies::Rebuilt(_) | Copies::Built(_) | Copies::Once => None,
        }
    }

    /// A copy made now, when copies are rebuilt.
    pub(crate) fn fresh(&self) -> Option<Box<Request>> {
        match self {
            Copies::Rebuilt(make) => make().map(Box::new),
            Copies::Built(build) => build().ok().map(Box::new),
            Copies::Cloned | Copies::Once => None,
        }
    }
}

/// A copy of `request` for sending again. A request with a body is reqwest's
/// `try_clone` (`None` for a stream). One without (most reads) is copied field by
/// field, leaving out the extensions that `try_clone` also copies: reqwest keeps its
/// per-request settings there, and of those only a timeout can be set, which is kept.
/// That clone cost more than the rest of the pipeline in `benches/overhead.rs`.
#[inline(never)]
fn copy_of(request: &Request) -> Option<Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// The headers every copy of a request carries: the user agent and, when the pipeline
/// has credentials, `Authorization`. A rebuilt copy starts without them, so they are
/// kept apart and stamped on each. Two fields, not a map: a stamp is made for every
/// request, and this one costs no allocation.
#[derive(Clone, Default)]
pub(crate) struct Stamp {
    user_agent: Option<HeaderValue>,
    authorization: Option<HeaderValue>,
}

impl std::fmt::Debug for Stamp {
    /// The names only: a value may be a credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = [
            self.user_agent.as_ref().map(|_| USER_AGENT),
            self.authorization.as_ref().map(|_| AUTHORIZATION),
        ];
        f.debug_set().entries(names.iter().flatten()).finish()
    }
}

impl Stamp {
    /// A stamp that sets the user agent.
    pub(crate) fn new(user_agent: HeaderValue) -> Self {
        Self {
            user_agent: Some(user_agent),
            authorization: None,
        }
    }

    /// Sets (or replaces) the `Authorization` header.
    pub(crate) fn authorize(&mut self, value: HeaderValue) {
        self.authorization = Some(value);
    }

    /// Puts the headers on `request`, replacing any of the same name; the stamp is
    /// kept for further copies.
    pub(crate) fn on(&self, request: &mut Request) {
        self.clone().put_on(request);
    }

    /// [`Self::on`] for the last copy to be stamped: the values move onto the request
    /// instead of being copied (the first send of every request, when no stamp is
    /// kept).
    #[inline(always)]
    pub(crate) fn put_on(self, request: &mut Request) {
        let headers = request.headers_mut();
        if let Some(value) = self.user_agent {
            headers.insert(USER_AGENT, value);
        }
        if let Some(value) = self.authorization {
            headers.insert(AUTHORIZATION, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: reqwest::Body) -> Request {
        reqwest::Client::new()
            .put("http://127.0.0.1:9/upload")
            .body(body)
            .build()
            .unwrap()
    }

    #[test]
    fn a_bodiless_copy_keeps_all_a_request_carries() {
        let mut original = reqwest::Client::new()
            .delete("http://127.0.0.1:9/projects/1?force=true")
            .header("accept", "application/json")
            .header("x-one", "1")
            .header("x-one", "2")
            .timeout(std::time::Duration::from_secs(7))
            .build()
            .unwrap();
        *original.version_mut() = reqwest::Version::HTTP_2;
        let copy = Copies::Cloned.spare(&original).unwrap();
        assert_eq!(copy.method(), original.method());
        assert_eq!(copy.url(), original.url());
        assert_eq!(copy.headers(), original.headers());
        assert_eq!(copy.version(), reqwest::Version::HTTP_2);
        assert_eq!(copy.timeout(), Some(&std::time::Duration::from_secs(7)));
        assert!(copy.body().is_none());
        let plain = reqwest::Client::new()
            .get("http://127.0.0.1:9/me")
            .build()
            .unwrap();
        assert_eq!(Copies::Cloned.spare(&plain).unwrap().timeout(), None);
    }

    #[test]
    fn clones_are_kept_aside_and_rebuilds_made_fresh() {
        let plain = request(reqwest::Body::from("{}"));
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(b"{}".to_vec())]);
        let streamed = request(reqwest::Body::wrap_stream(chunks));
        assert!(Copies::Cloned.spare(&plain).is_some());
        assert!(
            Copies::Cloned.spare(&streamed).is_none(),
            "a stream cannot be cloned"
        );
        assert!(Copies::Cloned.fresh().is_none());
        assert!(Copies::Once.spare(&plain).is_none() && Copies::Once.fresh().is_none());
        let rebuild = || Some(request(reqwest::Body::from("again")));
        let rebuilt = Copies::Rebuilt(&rebuild);
        assert!(rebuilt.spare(&streamed).is_none());
        assert!(rebuilt.fresh().is_some());
    }

    #[test]
    fn a_stamp_replaces_the_headers_it_holds() {
        let mut stamp = Stamp::new(HeaderValue::from_static("ua"));
        stamp.authorize(HeaderValue::from_static("Bearer 1"));
        stamp.authorize(HeaderValue::from_static("Bearer 2"));
        let mut copy = request(reqwest::Body::from("{}"));
        copy.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer 0"));
        stamp.on(&mut copy);
        assert_eq!(copy.headers()[USER_AGENT], "ua");
        assert_eq!(copy.headers()[AUTHORIZATION], "Bearer 2");
    }
}
