//! Helpers shared by the integration tests.
#![allow(dead_code)]

use awork_api::BoxFuture;
use awork_api_ext::transport::Sleeper;
use awork_api_ext::{AworkClient, ClientBuilder};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Records every wait the retry layer asks for and returns at once, so tests check
/// waits without spending them.
#[derive(Default)]
pub struct RecordingSleeper {
    waits: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, wait: Duration) -> BoxFuture<'static, ()> {
        self.waits.lock().unwrap().push(wait);
        Box::pin(async {})
    }
}

/// A builder pointed at `base_url` with `key` and a recording sleeper.
pub fn builder(base_url: &str, key: &str, sleeper: &Arc<RecordingSleeper>) -> ClientBuilder {
    AworkClient::builder()
        .api_key(key)
        .base_url(base_url)
        .sleeper(sleeper.clone())
}

/// A client for the fake with a recording sleeper.
pub fn fake_client(fake: &awork_fake::FakeAwork) -> (AworkClient, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = builder(&fake.base_url(), fake.api_key(), &sleeper)
        .build()
        .unwrap();
    (client, sleeper)
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
