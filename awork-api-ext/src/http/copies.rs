//! A request may be sent more than once (a retry, or once more after the credentials
//! were renewed), and a sent request is gone. This is how the next copy is made, and
//! which headers every copy carries.

use reqwest::Request;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

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
    /// None: the request is sent once, whatever happens.
    Once,
}

impl Copies<'_> {
    /// The copy to keep aside before `request` is sent, when copies are clones.
    pub(crate) fn spare(&self, request: &Request) -> Option<Request> {
        match self {
            Copies::Cloned => request.try_clone(),
            Copies::Rebuilt(_) | Copies::Once => None,
        }
    }

    /// A copy made now, when copies are rebuilt.
    pub(crate) fn fresh(&self) -> Option<Request> {
        match self {
            Copies::Rebuilt(make) => make(),
            Copies::Cloned | Copies::Once => None,
        }
    }
}

/// The headers the client puts on every copy of a request (user agent, credentials).
/// A rebuilt copy starts without them, so they are kept apart and stamped on each.
#[derive(Clone, Default)]
pub(crate) struct Stamp(HeaderMap);

impl std::fmt::Debug for Stamp {
    /// The names only: a value may be a credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Stamp {
    /// A stamp that sets `name` to `value`.
    pub(crate) fn with(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.set(name, value);
        self
    }

    /// Sets (or replaces) `name`.
    pub(crate) fn set(&mut self, name: HeaderName, value: HeaderValue) {
        self.0.insert(name, value);
    }

    /// Puts the headers on `request`, replacing any of the same name.
    pub(crate) fn on(&self, request: &mut Request) {
        for (name, value) in &self.0 {
            request.headers_mut().insert(name, value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{AUTHORIZATION, USER_AGENT};

    fn request(body: reqwest::Body) -> Request {
        reqwest::Client::new()
            .put("http://127.0.0.1:9/upload")
            .body(body)
            .build()
            .unwrap()
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
        let mut stamp = Stamp::default().with(USER_AGENT, HeaderValue::from_static("ua"));
        stamp.set(AUTHORIZATION, HeaderValue::from_static("Bearer 1"));
        stamp.set(AUTHORIZATION, HeaderValue::from_static("Bearer 2"));
        let mut copy = request(reqwest::Body::from("{}"));
        copy.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer 0"));
        stamp.on(&mut copy);
        assert_eq!(copy.headers()[USER_AGENT], "ua");
        assert_eq!(copy.headers()[AUTHORIZATION], "Bearer 2");
    }
}
