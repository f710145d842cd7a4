//! The HTTP machinery under every request: credentials (API key, fixed token, or OAuth
//! tokens kept fresh) and user agent, the rate limit, retries, tracing, and the attempt
//! count that errors report; and the sender that OAuth's own requests go through.
//!
//! Nothing here is public. Users configure it through [`ClientBuilder`](crate::ClientBuilder)
//! (a [`RetryPolicy`](crate::retry::RetryPolicy), a [`Plan`](crate::rate_limit::Plan) or a
//! shared [`RateLimiter`](crate::rate_limit::RateLimiter), a [`Clock`](crate::clock::Clock));
//! the generated operations reach it through `awork_api::Transport`.

pub(crate) mod attempts;
pub(crate) mod credentials;
pub(crate) mod headers;
pub(crate) mod oauth_http;
pub(crate) mod pacing;
pub(crate) mod retry;
pub(crate) mod sender;
pub(crate) mod token_keeper;
pub(crate) mod transport;
