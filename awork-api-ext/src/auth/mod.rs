//! Who the client acts as: an API key, an access token, or a user signed in with OAuth.
//!
//! # Which one to use
//!
//! | You are writing… | Use | Acts as |
//! | --- | --- | --- |
//! | a script or tool for your own workspace | an **API key** ([`ClientBuilder::api_key`](crate::ClientBuilder::api_key), or `AWORK_API_KEY` with [`api_key_from_env`](crate::ClientBuilder::api_key_from_env)) | the workspace's API user, with admin rights |
//! | a service that syncs awork with another system, server to server | an **API key** as well: awork has no client-credentials grant, and the key does not expire | the API user |
//! | an app other people sign in to (a CLI, a desktop or web app, an integration) | **OAuth**: [`ClientBuilder::oauth_flow`](crate::ClientBuilder::oauth_flow) once, then [`ClientBuilder::oauth`](crate::ClientBuilder::oauth) | the signed-in user, with their permissions, in the workspace they picked |
//! | a program handed a token by something else (a proxy, a test) | [`ClientBuilder::access_token`](crate::ClientBuilder::access_token) | whoever the token belongs to, until it expires (it is not refreshed) |
//!
//! An API key is an admin credential of one workspace: keep it on servers and in secret
//! stores, never in an app you give to others. With OAuth each user grants access
//! themselves and can revoke it; changes show up under their name.
//!
//! # Signing in with OAuth
//!
//! awork uses the authorization-code flow with PKCE. The app needs a client id: create
//! a client application in awork's settings, or register one on the fly with
//! [`ClientBuilder::register_oauth_client`](crate::ClientBuilder::register_oauth_client).
//! Then [`ClientBuilder::oauth_flow`](crate::ClientBuilder::oauth_flow) gives the
//! [`OAuthFlow`] for the app, sending through the builder's HTTP stack:
//!
//! 1. [`OAuthFlow::authorization_request`] gives the URL to open in the browser (with a
//!    fresh random `state` and PKCE challenge).
//! 2. awork sends the browser back to the redirect URI (for a CLI, a listener on
//!    `127.0.0.1`) with `code` and `state`.
//! 3. [`OAuthFlow::finish`] checks the state, then trades the code for tokens, giving
//!    an [`OAuthSession`]. A callback with a wrong state, an error or no code is
//!    refused with an [`AuthError`] that says which, and nothing is sent.
//! 4. [`ClientBuilder::oauth`](crate::ClientBuilder::oauth) builds the client.
//!
//! The example `oauth_login` does all of this against the embedded fake.
//!
//! # What the client does with the tokens
//!
//! Every request, from this crate's helpers or any generated operation, gets the access
//! token from one place. Shortly before the token expires (by the client's
//! [`Clock`](crate::clock::Clock)) the client refreshes it first; when awork answers
//! 401 anyway, it refreshes once and sends the request once more (when its body can be
//! sent twice; otherwise the 401 is returned). Requests that need a refresh at the same
//! time wait for one refresh together. A refresh that fails ends those requests with
//! [`Error::Auth`](crate::Error::Auth); one that awork refuses ends the session (sign in
//! again), so the client never asks over and over. A request whose credentials failed
//! before it could be sent is not sent; a generated builder's own `send()` (rather than
//! `.call()` or `.stream(..)`, which report [`Error::Auth`](crate::Error::Auth)) sees it
//! as a 401 with the code `not-sent`, made by this crate.
//!
//! # The files of this module
//!
//! The values a program holds (`api_key.rs`, `app.rs`, `session.rs`, `tokens.rs`,
//! `registration.rs`), the sign-in (`flow.rs`, `callback.rs`), awork's authorization
//! server as `oauth2` sees it (`endpoint.rs`, over `oauth2_http.rs`), and what a
//! running client authenticates with (`credentials.rs`, the pipeline's credential
//! source, with `keeper.rs` keeping OAuth tokens fresh). The errors, [`AuthError`] and
//! [`Grant`], live with the crate's other errors and are re-exported here.
//!
//! awork rotates refresh tokens: after a refresh the old one is spent. Attach a
//! [`TokenStore`] ([`OAuthSession::with_store`], [`OAuthSession::restore`]) to keep the
//! latest pair across runs; [`MemoryTokenStore`] keeps them in memory.
//!
//! # Secrets
//!
//! API keys, access and refresh tokens, authorization codes, PKCE verifiers and client
//! secrets are held in [`secrecy::SecretString`]s (or `oauth2`'s redacted types). No
//! `Debug` output, error message or trace of this crate shows them, and the headers
//! that carry them are marked sensitive.

mod api_key;
mod app;
mod callback;
mod credentials;
mod endpoint;
mod flow;
mod keeper;
mod oauth2_http;
mod registration;
mod session;
mod tokens;

pub use crate::error::cases::{AuthError, Grant};
pub use api_key::{API_KEY_ENV, ApiKey};
pub use app::{OAuthApp, Scope};
pub use endpoint::AuthorizationRequest;
pub use flow::OAuthFlow;
pub use registration::{ClientRegistration, RegisteredClient};
pub use session::OAuthSession;
pub use tokens::{MemoryTokenStore, StoreError, TokenStore, Tokens};

pub(crate) use credentials::Credentials;
pub(crate) use endpoint::TokenEndpoint;
pub(crate) use keeper::TokenKeeper;
