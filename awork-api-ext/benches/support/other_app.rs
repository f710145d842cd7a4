//! Another app on the same workspace, without this SDK: plain reqwest, a steady number
//! of `GET /projects` a second, counting the 429s it meets. Shared by the rate-limit
//! benches (included with `#[path]`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use awork_fake::FakeAwork;

/// The other app, sending until [`OtherApp::stop`].
pub struct OtherApp {
    stop: Arc<AtomicBool>,
    refused: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl OtherApp {
    /// Starts sending `per_second` requests a second to `fake`, with its key.
    pub fn start(fake: &FakeAwork, per_second: u64) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicU64::new(0));
        let (url, key) = (
            format!("{}/projects", fake.base_url()),
            fake.api_key().to_owned(),
        );
        let task = tokio::spawn({
            let (stop, refused) = (stop.clone(), refused.clone());
            async move {
                let http = reqwest::Client::builder()
                    .user_agent("another-app")
                    .build()
                    .unwrap();
                let mut tick = tokio::time::interval(Duration::from_millis(1000 / per_second));
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    let answer = http.get(&url).bearer_auth(&key).send().await;
                    if answer.is_ok_and(|a| a.status() == 429) {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
        Self {
            stop,
            refused,
            task,
        }
    }

    /// Stops sending; answers how many of its requests met a 429.
    pub async fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap();
        self.refused.load(Ordering::Relaxed)
    }
}
