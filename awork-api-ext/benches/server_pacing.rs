//! Pacing that listens to awork: how many of a program's requests still meet a 429 when
//! it is not alone on the workspace.
//!
//! One fake awork enforces the Standard plan's limits for the whole workspace (50 a
//! second, 1,000 a minute) and sends awork's rate-limit headers with every answer. Two
//! workers of one integration, each with a limiter of its own for the Standard plan and
//! 8 requests in flight, send 300 requests each, while another app, without this SDK,
//! sends 20 requests a second to the same workspace. The bench runs it twice: with the
//! limiters reading awork's headers (the default) and with them ignoring the headers
//! (the schedule alone, as before), and reports the workers' attempts and the share of
//! them answered 429. 429s are retried; with the headers read every request must finally
//! succeed, while the schedule alone may leave some that met a 429 on every attempt
//! (counted, not fatal).
//!
//! Run with `cargo bench -p awork-api-ext --bench server_pacing --features projects` (a few minutes: the
//! minute window is real). The process fails when more than 5 % of the workers'
//! attempts meet a 429 with the headers read.

use std::sync::Arc;

use std::time::{Duration, Instant};

use awork_api_ext::AworkClient;
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::{Plan, RateLimiter};
use awork_fake::{FakeAwork, Limits};
use futures::StreamExt;
use other_app::OtherApp;

#[path = "support/other_app.rs"]
mod other_app;

const WORKERS: usize = 2;
const REQUESTS: usize = 300;
const IN_FLIGHT: usize = 8;
const OTHER_APP_PER_SECOND: u64 = 20;
const CEILING: f64 = 0.05;

struct Outcome {
    attempts: u64,
    refused: u64,
    /// Requests that gave up after their last retry met a 429 too.
    failed: u64,
    took: Duration,
}

async fn run(read_headers: bool) -> Outcome {
    let fake = FakeAwork::builder()
        .workspace_limits(Limits::STANDARD)
        .start()
        .await;
    let other_app = OtherApp::start(&fake, OTHER_APP_PER_SECOND);
    let started = Instant::now();
    let mut workers = Vec::new();
    for n in 0..WORKERS {
        let mut limiter = RateLimiter::for_plan(Plan::Standard);
        if !read_headers {
            limiter = limiter.without_server_hints();
        }
        let client = AworkClient::builder()
            .api_key(fake.api_key())
            .base_url(fake.base_url())
            .app_name(format!("worker-{n}"))
            .rate_limiter(Arc::new(limiter))
            .build()
            .unwrap();
        workers.push(tokio::spawn(async move {
            futures::stream::iter(0..REQUESTS)
                .map(|_| {
                    let client = client.clone();
                    async move {
                        match client.api().get_projects().page_size(1).call().await {
                            Ok(_) => 0,
                            Err(awork_api_ext::Error::RateLimited(_)) => 1,
                            Err(other) => panic!("only 429s are expected: {other}"),
                        }
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .fold(0_u64, |failed, one| async move { failed + one })
                .await
        }));
    }
    let mut failed = 0;
    for worker in workers {
        failed += worker.await.unwrap();
    }
    let took = started.elapsed();
    other_app.stop().await;
    let log = fake.requests().all();
    let attempts = log
        .iter()
        .filter(|r| {
            r.user_agent
                .as_deref()
                .is_some_and(|ua| ua.contains("worker-"))
        })
        .count() as u64;
    let succeeded = (WORKERS * REQUESTS) as u64 - failed;
    Outcome {
        attempts,
        refused: attempts - succeeded,
        failed,
        took,
    }
}

fn report(label: &str, outcome: &Outcome) -> f64 {
    let share = outcome.refused as f64 / outcome.attempts as f64;
    println!(
        "{label}: {} attempts for {} requests, {} answered 429 ({:.1} %), {} gave up after their last retry, {:.1} s",
        outcome.attempts,
        WORKERS * REQUESTS,
        outcome.refused,
        share * 100.0,
        outcome.failed,
        outcome.took.as_secs_f64()
    );
    share
}

#[tokio::main]
async fn main() {
    let blind = run(false).await;
    let listening = run(true).await;
    report("schedule alone (headers ignored)", &blind);
    let share = report("schedule and awork's headers    ", &listening);
    if listening.failed > 0 {
        println!("FAIL: with awork's headers read, every request must finally succeed");
        std::process::exit(1);
    }
    if share > CEILING {
        println!(
            "FAIL: more than {:.0} % of the attempts met a 429",
            CEILING * 100.0
        );
        std::process::exit(1);
    }
}
