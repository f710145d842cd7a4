//! What the SDK adds to a call: the same `GET` sent by plain reqwest + serde and by the
//! SDK (`client.api().get_me().call()`: the generated builder, the pipeline, retries'
//! bookkeeping, the attempt count, tracing, and pacing where it is on), in one run,
//! against a server on 127.0.0.1 that answers at once with a fixed body, so the
//! difference is the client's.
//!
//! Two plain baselines: reqwest as `Client::new()` sending only the key ("bare"), and
//! reqwest sending the very request the SDK sends (`Accept`, `api-version`,
//! `User-Agent`, `Authorization`) from a client with the SDK's default timeouts ("same request"). The
//! second is the one the SDK's overhead is measured against: it is what a careful
//! program without the SDK would send, and the server's work is the same. Both are
//! printed.
//!
//! Rounds of a few hundred calls alternate between the variants, so that all meet the
//! same moments of a shared machine; a figure is the median over the rounds, and a
//! ratio the median of the rounds' ratios. Run with
//! `cargo bench -p awork-api-ext --bench overhead --features users`; the process fails
//! when the SDK without pacing takes more than 1.05 × the same request sent plainly.
//!
//! For a profiler, `OVERHEAD_PROFILE=bare|same|sdk|paced` runs only that variant,
//! `OVERHEAD_CALLS` times (default 20,000), and prints nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use awork_api::types::UserAndWorkspace;
use awork_api_ext::AworkClient;
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::RateLimiter;
use axum::Router;
use axum::routing::get;

const ROUNDS: usize = 80;
const CALLS: usize = 300;
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

/// The SDK's `User-Agent` without an app name.
const SDK_USER_AGENT: &str = concat!("awork-rs/", env!("CARGO_PKG_VERSION"));

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let address = serve().await;
    let base = format!("http://{address}/api/v1");
    let url = format!("{base}/me");

    let bare_http = reqwest::Client::new();
    let bare = || {
        let request = bare_http.get(&url).bearer_auth(KEY);
        async move {
            let answer = request.send().await.unwrap();
            assert!(answer.status().is_success());
            let me: UserAndWorkspace = answer.json().await.unwrap();
            assert!(me.id.is_some());
        }
    };
    let same_http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let same = || {
        let request = same_http
            .get(&url)
            .header("accept", "application/json")
            .header("api-version", "1.3.0")
            .header("user-agent", SDK_USER_AGENT)
            .bearer_auth(KEY);
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

    if let Ok(variant) = std::env::var("OVERHEAD_PROFILE") {
        let calls: usize = std::env::var("OVERHEAD_CALLS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000);
        for _ in 0..calls {
            match variant.as_str() {
                "bare" => bare().await,
                "same" => same().await,
                "sdk" => sdk_call().await,
                "paced" => paced_call().await,
                other => panic!("OVERHEAD_PROFILE={other}: not one of bare, same, sdk, paced"),
            }
        }
        return;
    }
    for _ in 0..500 {
        bare().await;
        same().await;
        sdk_call().await;
        paced_call().await;
    }
    let mut rounds: [Vec<f64>; 4] = Default::default();
    for _ in 0..ROUNDS {
        rounds[0].push(per_call(&bare).await);
        rounds[1].push(per_call(&same).await);
        rounds[2].push(per_call(&sdk_call).await);
        rounds[3].push(per_call(&paced_call).await);
    }
    let micros = |s: f64| s * 1e6;
    let ratio = |of: usize, to: usize| {
        median(
            rounds[of]
                .iter()
                .zip(&rounds[to])
                .map(|(a, b)| a / b)
                .collect(),
        )
    };
    let names = [
        "plain, bare",
        "plain, same request",
        "SDK, no pacing",
        "SDK, paced",
    ];
    for (i, name) in names.iter().enumerate() {
        println!(
            "{name:21} {:7.2} µs per call   {:.3} × the same request   {:.3} × bare",
            micros(median(rounds[i].clone())),
            ratio(i, 1),
            ratio(i, 0),
        );
    }
    let overhead = ratio(2, 1);
    if overhead > CEILING {
        println!(
            "FAIL: the SDK takes {overhead:.3} × the same request sent plainly (ceiling {CEILING})"
        );
        std::process::exit(1);
    }
}
