//! How fast the fake starts and serves, with every request judged by the contract and
//! every answer checked against it (the default).
//!
//! * **Start**: the first `FakeAwork::start()` of the process, which parses both
//!   documents and builds their route tables; then a later start, which reuses them.
//!   The validators of an operation are compiled on its first request, so the first
//!   `GET /projects/{projectId}` is reported on its own.
//! * **Throughput**: validated `GET /api/v1/projects/{projectId}` of a stored project over
//!   keep-alive connections, one at a time and with 16 in flight, after a warm-up.
//!
//! Run with `cargo bench -p awork-fake --bench serve`. The process fails when the first
//! start takes more than 100 ms or 16 in flight serve fewer than 5,000 requests a second.

use std::sync::Arc;
use std::time::{Duration, Instant};

use awork_fake::FakeAwork;
use serde_json::json;

const REQUESTS: usize = 20_000;
const IN_FLIGHT: usize = 16;
const START_BUDGET: Duration = Duration::from_millis(100);
const RATE_FLOOR: f64 = 5_000.0;

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let fake = FakeAwork::start().await;
    let first_start = started.elapsed();
    let started = Instant::now();
    let second = FakeAwork::start().await;
    let later_start = started.elapsed();
    drop(second);

    let project = fake
        .resources()
        .insert("Project", json!({"name": "Bench"}))
        .unwrap();
    let url = format!(
        "{}/projects/{}",
        fake.base_url(),
        project["id"].as_str().unwrap()
    );
    let http = reqwest::Client::new();
    let key = fake.api_key().to_owned();
    let get = {
        let (http, url, key) = (http.clone(), url.clone(), key.clone());
        move || {
            let request = http.get(&url).bearer_auth(&key);
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap();
            }
        }
    };
    let started = Instant::now();
    get().await;
    let first_request = started.elapsed();
    for _ in 0..500 {
        get().await;
    }

    let started = Instant::now();
    for _ in 0..REQUESTS / 4 {
        get().await;
    }
    let sequential = (REQUESTS / 4) as f64 / started.elapsed().as_secs_f64();

    let get = Arc::new(get);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..IN_FLIGHT {
        let get = get.clone();
        workers.push(tokio::spawn(async move {
            for _ in 0..REQUESTS / IN_FLIGHT {
                get().await;
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let concurrent = REQUESTS as f64 / started.elapsed().as_secs_f64();
    assert!(fake.contract_violations().is_empty());

    println!("fake start, both documents loaded (first in the process): {first_start:.1?}");
    println!("fake start, documents already loaded:                      {later_start:.1?}");
    println!("first GET /projects/{{projectId}} (compiles its validators): {first_request:.1?}");
    println!(
        "validated GET /projects/{{projectId}}, one at a time:        {sequential:.0} requests/s"
    );
    println!(
        "validated GET /projects/{{projectId}}, {IN_FLIGHT} in flight:          {concurrent:.0} requests/s"
    );
    let mut failed = false;
    if first_start > START_BUDGET {
        println!("FAIL: the first start took more than {START_BUDGET:?}");
        failed = true;
    }
    if concurrent < RATE_FLOOR {
        println!("FAIL: fewer than {RATE_FLOOR} validated requests a second");
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}
