//! What the SDK adds to a call: the same `GET` sent by plain reqwest + serde and by the
//! SDK (`client.api().get_me().call()`: the pipeline, retries' bookkeeping, the attempt
//! count, tracing, and pacing where it is on), in one run, against a server on
//! 127.0.0.1 that answers at once with a fixed body, so the difference is the client's.
//!
//! Rounds alternate between the two so that both meet the same machine; the figure is
//! the median of the rounds' per-call times. Run with
//! `cargo bench -p awork-api-ext --bench overhead --features users`; the process fails when the SDK
//! without pacing takes more than 1.05 × the plain call.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use awork_api::types::UserAndWorkspace;
use awork_api_ext::AworkClient;
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::RateLimiter;
use axum::Router;
use axum::routing::get;

const ROUNDS: usize = 15;
const CALLS: usize = 2_000;
const CEILING: f64 = 1.05;
const KEY: &str = "bench-key";

/// A server that answers `GET /api/v1/me` with a small user at once.
async fn serve() -> SocketAddr {
    let body = serde_json::json!({
        "id": "0a3c0de0-fa4e-4a11-8000-000000000001",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "workspaceId": "0a3c0de0-fa4e-4a11-8000-000000000002"
    })
    .to_string();
    let app = Router::new().route(
        "/api/v1/me",
        get(move || {
            let body = body.clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Seconds per call over `CALLS` calls of `call`.
async fn per_call<F, Fut>(call: &F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    for _ in 0..CALLS {
        call().await;
    }
    started.elapsed().as_secs_f64() / CALLS as f64
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let address = serve().await;
    let base = format!("http://{address}/api/v1");
    let url = format!("{base}/me");

    let http = reqwest::Client::new();
    let plain = || {
        let request = http.get(&url).bearer_auth(KEY);
        async move {
            let answer = request.send().await.unwrap();
            assert!(answer.status().is_success());
            let me: UserAndWorkspace = answer.json().await.unwrap();
            assert!(me.id.is_some());
        }
    };
    let sdk = AworkClient::builder()
        .api_key(KEY)
        .base_url(&base)
        .build()
        .unwrap();
    let sdk_call = || async {
        let me = sdk.api().get_me().call().await.unwrap();
        assert!(me.id.is_some());
    };
    // Paced at limits no call reaches, so that the pacing's bookkeeping is measured,
    // not its waits.
    let limiter = Arc::new(RateLimiter::custom(1_000_000, 1_000_000).unwrap());
    let paced = AworkClient::builder()
        .api_key(KEY)
        .base_url(&base)
        .rate_limiter(limiter)
        .build()
        .unwrap();
    let paced_call = || async {
        let me = paced.api().get_me().call().await.unwrap();
        assert!(me.id.is_some());
    };

    for _ in 0..500 {
        plain().await;
        sdk_call().await;
        paced_call().await;
    }
    let (mut plains, mut sdks, mut paceds) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        plains.push(per_call(&plain).await);
        sdks.push(per_call(&sdk_call).await);
        paceds.push(per_call(&paced_call).await);
    }
    let (plain, sdk, paced) = (median(plains), median(sdks), median(paceds));
    let micros = |s: f64| Duration::from_secs_f64(s).as_secs_f64() * 1e6;
    println!("plain reqwest + serde:   {:7.2} µs per call", micros(plain));
    println!(
        "SDK, no pacing:          {:7.2} µs per call ({:.3} ×, +{:.2} µs)",
        micros(sdk),
        sdk / plain,
        micros(sdk - plain)
    );
    println!(
        "SDK, paced:              {:7.2} µs per call ({:.3} ×, +{:.2} µs)",
        micros(paced),
        paced / plain,
        micros(paced - plain)
    );
    if sdk / plain > CEILING {
        println!("FAIL: the SDK takes more than {CEILING} × a plain call");
        std::process::exit(1);
    }
}
