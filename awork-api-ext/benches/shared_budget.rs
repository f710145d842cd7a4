//! One rate budget for the whole workspace, across processes: 4 processes × 500
//! requests share one budget in Redis against one fake awork that enforces the
//! Enterprise plan's limits (50 a second, 3,000 a minute) for the whole workspace.
//!
//! 1. **Alone**: the four processes read (`GET /projects`). Reported: requests answered
//!    429, and throughput against the plan's 50 a second.
//! 2. **Beside another app**: another app, without this SDK, uses half the budget (25
//!    requests a second) while the four processes create one task each per request
//!    (`POST /tasks`, not idempotent). Reported: the share of the processes' attempts
//!    answered 429; every request must finally succeed, and no task may be created
//!    twice.
//! 3. **Redis's round trip** per reservation.
//!
//! Needs `redis-server` (Debian: `apt-get install redis-server`); the bench starts its
//! own on a free port. Run with `cargo bench -p awork-api-ext --bench shared_budget
//! --features redis,projects`; it fails when scenario 1 meets a 429 or stays under 90 % of the
//! plan, or scenario 2 has more than 1 % of its attempts answered 429.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use std::time::{Duration, Instant};

use awork_api_ext::AworkClient;
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::{Budget, Plan, RateLimiter, RedisBudget};
use awork_fake::{FakeAwork, Limits};
use futures::StreamExt;
use other_app::OtherApp;
use redis_server::RedisServer;
use serde_json::json;

#[path = "support/other_app.rs"]
mod other_app;
#[path = "../tests/common/redis_server.rs"]
#[allow(dead_code)] // the tests also skip when Redis is missing; the bench needs it
mod redis_server;

const PROCESSES: usize = 4;
const REQUESTS: usize = 500;
const IN_FLIGHT: usize = 8;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--worker") {
        return worker(&args[1..]);
    }
    let redis = RedisServer::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let failed = runtime.block_on(async {
        let mut failed = false;
        let alone = scenario(&redis, "read", None).await;
        let throughput = (PROCESSES * REQUESTS) as f64 / alone.took.as_secs_f64();
        let share_of_plan = throughput / 50.0;
        println!(
            "1. alone: {} requests from {PROCESSES} processes in {:.1} s, {:.1} requests/s = {:.1} % of the plan's 50/s, {} answered 429",
            PROCESSES * REQUESTS,
            alone.took.as_secs_f64(),
            throughput,
            share_of_plan * 100.0,
            alone.refused
        );
        failed |= alone.refused > 0 || share_of_plan < 0.9;
        let beside = scenario(&redis, "create", Some(25)).await;
        let share = beside.refused as f64 / beside.attempts as f64;
        println!(
            "2. beside another app at 25/s: {} attempts for {} creates, {} answered 429 ({:.2} %), {} tasks stored, each once; the other app met {} 429s",
            beside.attempts,
            PROCESSES * REQUESTS,
            beside.refused,
            share * 100.0,
            beside.stored,
            beside.other_refused
        );
        failed |= share > 0.01 || beside.stored != PROCESSES * REQUESTS;
        let trip = round_trip(&redis).await;
        println!("3. one reservation in Redis: median {:.0} µs, 99th percentile {:.0} µs", trip.0, trip.1);
        failed
    });
    // `exit` runs no destructors: stop the Redis server first.
    drop(redis);
    if failed {
        println!("FAIL");
        std::process::exit(1);
    }
}

struct Outcome {
    took: Duration,
    attempts: u64,
    refused: u64,
    stored: usize,
    other_refused: u64,
}

/// Runs the processes against a fresh fake, with another app at `other` requests a
/// second when given.
async fn scenario(redis: &RedisServer, mode: &str, other: Option<u64>) -> Outcome {
    let fake = FakeAwork::builder()
        .workspace_limits(Limits::ENTERPRISE)
        .start()
        .await;
    let project = fake
        .resources()
        .insert("Project", json!({"name": "Bench"}))
        .unwrap();
    let workspace = format!("bench-{}", uuid::Uuid::new_v4());
    let other_app = other.map(|per_second| OtherApp::start(&fake, per_second));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let started = Instant::now();
    let children: Vec<Child> = (0..PROCESSES)
        .map(|n| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--worker",
                    &fake.base_url(),
                    fake.api_key(),
                    &redis.url(),
                    &workspace,
                    mode,
                    project["id"].as_str().unwrap(),
                    &format!("worker-{n}"),
                ])
                .stdout(Stdio::inherit())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        assert!(status.success(), "a worker process failed");
    }
    let took = started.elapsed();
    let other_refused = match other_app {
        Some(app) => app.stop().await,
        None => 0,
    };
    let attempts = fake
        .requests()
        .all()
        .iter()
        .filter(|r| {
            r.user_agent
                .as_deref()
                .is_some_and(|ua| ua.contains("worker-"))
        })
        .count() as u64;
    let names: std::collections::BTreeSet<String> = fake
        .resources()
        .all("TaskModel")
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    let stored = fake.resources().all("TaskModel").len();
    assert_eq!(names.len(), stored, "a task was created twice");
    Outcome {
        took,
        attempts,
        refused: attempts - (PROCESSES * REQUESTS) as u64,
        stored,
        other_refused,
    }
}

/// One process of the integration: `REQUESTS` requests, `IN_FLIGHT` at a time, paced by
/// the budget in Redis.
fn worker(args: &[String]) {
    let [base, key, redis, workspace, mode, project, name] = args else {
        panic!("--worker BASE KEY REDIS WORKSPACE MODE PROJECT NAME")
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let budget = RedisBudget::new(redis, workspace, Plan::Enterprise).unwrap();
        let client = AworkClient::builder()
            .api_key(key.as_str())
            .base_url(base.as_str())
            .app_name(name.as_str())
            .rate_limiter(Arc::new(RateLimiter::shared(budget)))
            .build()
            .unwrap();
        let done = futures::stream::iter(0..REQUESTS)
            .map(|i| {
                let client = client.clone();
                async move {
                    match mode.as_str() {
                        "create" => {
                            let task = json!({"name": format!("{name}-{i}"), "baseType": "projecttask", "entityId": project});
                            client
                                .raw(reqwest::Method::POST, "/tasks")
                                .json(&task)
                                .send::<serde_json::Value>()
                                .await
                                .map(drop)
                        }
                        _ => client.api().get_projects().page_size(1).call().await.map(drop),
                    }
                    .unwrap_or_else(|e| panic!("{name}: {e}"))
                }
            })
            .buffer_unordered(IN_FLIGHT)
            .count()
            .await;
        assert_eq!(done, REQUESTS);
    });
}

/// Median and 99th percentile of one reservation's round trip, in microseconds, on a
/// budget of its own (with limits no reservation reaches).
async fn round_trip(redis: &RedisServer) -> (f64, f64) {
    let budget =
        RedisBudget::with_limits(&redis.url(), "bench-round-trip", 100_000, 100_000).unwrap();
    budget.reserve(Duration::ZERO).await;
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..2_000 {
        let started = Instant::now();
        budget.reserve(Duration::ZERO).await;
        times.push(started.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 99 / 100])
}
