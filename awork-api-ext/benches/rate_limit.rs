//! How close the client-side rate limiter comes to awork's limits, and whether it ever
//! exceeds them.
//!
//! Bursts of 100, 1,000 and 3,000 requests go through a real client (the generated
//! `get_time_bookings`, the transport, the limiter) to the fake awork on 127.0.0.1. The
//! client runs on a [`ManualClock`], so the limiter's waits pass instantly and each
//! request's send time is the clock's reading once it returns: a burst that takes
//! minutes of awork time runs in a few seconds. For every burst the bench reports
//!
//! * the time the last request went, against the least time the limits allow for that
//!   many requests (request `i`, from 0, can go no earlier than
//!   `60 s × ⌊i / per_minute⌋ + 1 s × ⌊(i mod per_minute) / per_second⌋`), and their
//!   ratio as throughput (100 % = as fast as the plan allows);
//! * windows over the limit: for every request, the requests in the one-second and the
//!   one-minute window starting at it, counted when more than the limit.
//!
//! Run with `cargo bench -p awork-api-ext --bench rate_limit`. The process fails when a
//! burst stays under 95 % of the plan's maximum or any window is over the limit.

use awork_api_ext::AworkClient;
use awork_api_ext::clock::{Clock, ManualClock};
use awork_api_ext::prelude::*;
use awork_api_ext::rate_limit::{Plan, RateLimiter};
use awork_api_ext::retry::RetryPolicy;
use awork_fake::FakeAwork;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BURSTS: [usize; 3] = [100, 1_000, 3_000];
const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
const FLOOR: f64 = 0.95;

/// The least time the `i`-th request (from 0) can go at under `(per_second, per_minute)`.
fn earliest(i: usize, (per_second, per_minute): (u32, u32)) -> Duration {
    let (second, minute) = (per_second as usize, per_minute as usize);
    MINUTE * (i / minute) as u32 + SECOND * ((i % minute) / second) as u32
}

/// Requests in `[t_i, t_i + length)` for every `i` where that is more than `limit`.
fn windows_over(times: &[Duration], length: Duration, limit: u32) -> usize {
    let mut over = 0;
    let mut end = 0;
    for start in 0..times.len() {
        while end < times.len() && times[end] < times[start] + length {
            end += 1;
        }
        if end - start > limit as usize {
            over += 1;
        }
    }
    over
}

struct Row {
    plan: Plan,
    burst: usize,
    last: Duration,
    least: Duration,
    over_second: usize,
    over_minute: usize,
    wall: Duration,
}

impl Row {
    fn throughput(&self) -> f64 {
        if self.last.is_zero() {
            return 1.0;
        }
        self.least.as_secs_f64() / self.last.as_secs_f64()
    }

    fn passes(&self) -> bool {
        self.throughput() >= FLOOR && self.over_second == 0 && self.over_minute == 0
    }
}

async fn run(fake: &FakeAwork, plan: Plan, burst: usize) -> Row {
    let clock = ManualClock::default();
    let limiter = Arc::new(RateLimiter::for_plan(plan).with_clock(Arc::new(clock.clone())));
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .retry_policy(RetryPolicy::none())
        .clock(Arc::new(clock.clone()))
        .rate_limiter(limiter)
        .build()
        .expect("client");
    let started = Instant::now();
    let mut times = Vec::with_capacity(burst);
    for _ in 0..burst {
        client
            .api()
            .get_time_bookings()
            .page_size(1)
            .call()
            .await
            .expect("request");
        times.push(clock.elapsed());
    }
    let (per_second, per_minute) = plan.limits();
    Row {
        plan,
        burst,
        last: *times.last().unwrap_or(&Duration::ZERO),
        least: earliest(burst - 1, plan.limits()),
        over_second: windows_over(&times, SECOND, per_second),
        over_minute: windows_over(&times, MINUTE, per_minute),
        wall: started.elapsed(),
    }
}

#[tokio::main]
async fn main() {
    let fake = FakeAwork::start().await;
    println!(
        "| plan | burst | last request at | least possible | throughput | windows over 1 s / 60 s limit | wall time |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut failed = false;
    for plan in [Plan::Standard, Plan::Enterprise] {
        for burst in BURSTS {
            let row = run(&fake, plan, burst).await;
            println!(
                "| {:?} | {} | {:.3} s | {:.3} s | {:.1} % | {} / {} | {:.2} s |",
                row.plan,
                row.burst,
                row.last.as_secs_f64(),
                row.least.as_secs_f64(),
                row.throughput() * 100.0,
                row.over_second,
                row.over_minute,
                row.wall.as_secs_f64()
            );
            failed |= !row.passes();
        }
    }
    if failed {
        eprintln!(
            "a burst stayed under {:.0} % of the plan's maximum or exceeded a limit",
            FLOOR * 100.0
        );
        std::process::exit(1);
    }
}
