//! Which redirect URIs a registered one allows.
//!
//! Exact string equality, except for loopback addresses over plain HTTP: a native
//! app listens on whatever port is free, so there the port is ignored (RFC 8252
//! §7.3), while scheme, host, path and query must still agree.

use url::Url;

/// Whether a client registered with `registered` may be redirected to `given`.
pub(crate) fn allows(registered: &str, given: &str) -> bool {
    if registered == given {
        return true;
    }
    match (Url::parse(registered), Url::parse(given)) {
        (Ok(registered), Ok(given)) => {
            is_loopback(&registered) && same_but_port(&registered, &given)
        }
        _ => false,
    }
}

/// Whether `uri` can be used as a redirect at all: absolute, no fragment.
pub(crate) fn acceptable(uri: &str) -> bool {
    Url::parse(uri).is_ok_and(|url| url.fragment().is_none() && url.has_host())
}

fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
}

fn same_but_port(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.path() == b.path()
        && a.query() == b.query()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_ignores_the_port_and_nothing_else() {
        let registered = "http://127.0.0.1/callback";
        assert!(allows(registered, "http://127.0.0.1:49152/callback"));
        assert!(!allows(registered, "http://127.0.0.1:49152/other"));
        assert!(!allows(registered, "http://localhost:49152/callback"));
        assert!(!allows(registered, "https://127.0.0.1:49152/callback"));
        assert!(allows("https://app.example/cb", "https://app.example/cb"));
        assert!(!allows(
            "https://app.example/cb",
            "https://app.example:8443/cb"
        ));
    }

    #[test]
    fn redirects_must_be_absolute_without_fragment() {
        assert!(acceptable("http://127.0.0.1:8400/oauth/callback"));
        assert!(!acceptable("/callback"));
        assert!(!acceptable("https://app.example/cb#x"));
    }
}
