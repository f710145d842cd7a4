//! Helpers shared by the integration tests.
#![allow(dead_code)]

use awork_api_ext::clock::ManualClock;
use awork_api_ext::{AworkClient, ClientBuilder};
use std::sync::{Arc, Mutex};

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
