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
//! printed, and so are two floors under the SDK, sending the same request: the
//! generated client alone (no hook, its own `send()`), and the generated client with
//! a hook that passes requests straight to reqwest, awaited with `.call()`.
//!
//! Rounds of a few hundred calls alternate between the variants, so that all meet the
//! same moments of a shared machine; a figure is the median over the rounds, and a
//! ratio the median of the rounds' ratios. Run with
//! `cargo bench -p awork-api-ext --bench overhead --features users`; the process fails
//! when the SDK without pacing takes more than 1.05 × the same request sent plainly.
//!
//! `OVERHEAD_ROUNDS` sets the number of rounds (default 80). For a profiler,
//! `OVERHEAD_PROFILE=bare|same|sdk|paced|generated|hooked` runs only that variant,
//! `OVERHEAD_CALLS` times (default 20,000), after a warm-up, and prints nothing: two
//! runs with different counts under `valgrind --tool=cachegrind` give the per-call
//! instructions and cache misses by difference.

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

/// A reqwest client with the SDK's default timeouts and these default headers.
fn http_client(defaults: reqwest::header::HeaderMap) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .default_headers(defaults)
        .build()
        .unwrap()
}

/// The user agent and the key, for a client that sends them on every request.
fn identity_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("user-agent", SDK_USER_AGENT.parse().unwrap());
    headers.insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    headers
}

/// A hook that sends each request as it is: no retries, pacing, tracing or tally.
struct PassThrough;

impl awork_api::Transport for PassThrough {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _again: Option<&'a awork_api::Rebuild<'a>>,
        _operation_id: &'static str,
    ) -> awork_api::BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        Box::pin(client.execute(request))
    }
}

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
    let same_http = http_client(reqwest::header::HeaderMap::new());
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
    // Two floors below the SDK, sending the same request (the user agent and the key
    // come from the HTTP client's default headers): the generated client with no
    // hook, awaited with its own `send()`; and the same with a hook that passes each
    // request straight to reqwest, awaited with `.call()`. The second is what any
    // request path on the generated client's hook costs before it does anything.
    let generated = awork_api::Client::new_with_client(
        &base,
        http_client(identity_headers()),
        awork_api::Hooks::new(),
    );
    let generated_call = || async {
        let me = generated.get_me().send().await.unwrap().into_inner();
        assert!(me.id.is_some());
    };
    let hooked = awork_api::Client::new_with_client(
        &base,
        http_client(identity_headers()),
        awork_api::Hooks::with_transport(Arc::new(PassThrough)),
    );
    let hooked_call = || async {
        let me = hooked.get_me().call().await.unwrap();
        assert!(me.id.is_some());
    };

    for _ in 0..500 {
        bare().await;
        same().await;
        sdk_call().await;
        paced_call().await;
        generated_call().await;
        hooked_call().await;
    }
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
                "generated" => generated_call().await,
                "hooked" => hooked_call().await,
                other => panic!(
                    "OVERHEAD_PROFILE={other}: not one of bare, same, sdk, paced, generated, hooked"
                ),
            }
        }
        return;
    }
    let rounds_wanted: usize = std::env::var("OVERHEAD_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROUNDS);
    let mut rounds: [Vec<f64>; 6] = Default::default();
    for _ in 0..rounds_wanted {
        rounds[0].push(per_call(&bare).await);
        rounds[1].push(per_call(&same).await);
        rounds[2].push(per_call(&sdk_call).await);
        rounds[3].push(per_call(&paced_call).await);
        rounds[4].push(per_call(&generated_call).await);
        rounds[5].push(per_call(&hooked_call).await);
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
        "generated, no hook",
        "generated, bare hook",
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
