//! Helpers shared by the integration tests.
#![allow(dead_code)]

use awork_api_ext::clock::ManualClock;
use awork_api_ext::{AworkClient, ClientBuilder};
use std::ops::Sub;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub mod redis_server;

/// A builder pointed at `base_url` with `key` and a manual clock, so waits are recorded
/// instead of spent.
pub fn builder(base_url: &str, key: &str, clock: &ManualClock) -> ClientBuilder {
    AworkClient::builder()
        .api_key(key)
        .base_url(base_url)
        .clock(Arc::new(clock.clone()))
}

/// A client for the fake with a manual clock.
pub fn fake_client(fake: &awork_fake::FakeAwork) -> (AworkClient, ManualClock) {
    let clock = ManualClock::default();
    let client = builder(&fake.base_url(), fake.api_key(), &clock)
        .build()
        .unwrap();
    (client, clock)
}

/// Collects what a `tracing` subscriber writes, for assertions on log output.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A subscriber that logs everything, spans included, into `buffer`.
pub fn capture(buffer: &LogBuffer) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish()
}

/// Keeps every `tracing` callsite's interest open for the test binary, so that a
/// subscriber installed for one thread (`with_default`) sees all of that thread's events.
///
/// Without it, a callsite that another test thread registers while this one installs
/// its subscriber can be cached as "nobody listens" and stay silent here (a race in
/// tracing-core's interest cache, seen as a missing warning under load). A global
/// subscriber that answers "ask me every time" keeps every cached interest at
/// "sometimes". For binaries that do not set a global subscriber of their own.
pub fn keep_callsites_open() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        tracing::subscriber::set_global_default(AskEveryTime)
            .expect("this test binary sets no other global subscriber");
    });
}

/// Interested in every callsite, enabled for none.
struct AskEveryTime;

impl tracing::Subscriber for AskEveryTime {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// The redirect URI the OAuth tests sign in with: a loopback URI, so the fake's default
/// client accepts it on any port.
pub const REDIRECT: &str = "http://127.0.0.1:45678/callback";

/// Plays the browser at the fake's authorization endpoint, which decides at once: returns
/// the URL it sends the user back to (with `code` and `state`, or `error`).
pub async fn approve(authorization_url: &str) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = browser.get(authorization_url).send().await.unwrap();
    assert_eq!(answer.status(), 302, "{answer:?}");
    answer.headers()["location"].to_str().unwrap().to_string()
}

/// Settings for a client of `fake` that waits and reads time on `clock`, without
/// credentials yet.
pub fn fake_settings(fake: &awork_fake::FakeAwork, clock: &ManualClock) -> ClientBuilder {
    AworkClient::builder()
        .base_url(fake.base_url())
        .app_name("oauth-test")
        .clock(Arc::new(clock.clone()))
}

/// Signs in at the fake as `app` with `settings`; returns the session and the callback
/// URL the browser came back with (it holds the code).
pub async fn sign_in_as(
    settings: &ClientBuilder,
    app: awork_api_ext::auth::OAuthApp,
) -> (awork_api_ext::auth::OAuthSession, String) {
    let flow = settings.oauth_flow(app).unwrap();
    let login = flow.authorization_request();
    let callback = approve(login.url()).await;
    let session = flow.finish(login, &callback).await.unwrap();
    (session, callback)
}

/// Signs in at the fake with its default public client.
pub async fn sign_in(settings: &ClientBuilder) -> awork_api_ext::auth::OAuthSession {
    let app = awork_api_ext::auth::OAuthApp::new(awork_fake::DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    sign_in_as(settings, app).await.0
}

/// The most moments of `times` in any half-open window `[t, t + length)` (sorts them).
pub fn busiest<T: Copy + Ord + Sub<Output = Duration>>(times: &mut [T], length: Duration) -> usize {
    times.sort();
    let (mut most, mut start) = (0, 0);
    for end in 0..times.len() {
        while times[end] - times[start] >= length {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}
