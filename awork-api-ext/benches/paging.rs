//! How much prefetch buys, and what it costs in memory, when walking a long listing.
//!
//! A local server on 127.0.0.1 answers `GET /api/v1/timebookings` like awork (pages of
//! `pageSize`, `aw-*` headers), 20 ms after each request, generating the bookings of a
//! page from the page number: it stores nothing, so the heap it uses is only what is in
//! flight. The walk goes through the generated client and `paging::items`, checks that
//! every booking arrives once and in order, and drops each one. Peak live heap is
//! measured by a counting global allocator, reset before each run; it counts the whole
//! process (the server's few KiB of buffers included), which makes it an upper bound
//! for the client.
//!
//! Run with `cargo bench --bench paging`; it prints a table and asserts nothing about
//! speed.

#[path = "support/counting.rs"]
mod counting;

use awork_api_ext::paging::{self, PageOptions};
use futures::TryStreamExt;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The latency the server adds to every answer.
const LATENCY: Duration = Duration::from_millis(20);
const PAGE_SIZE: u32 = 1000;
const TOTALS: [u64; 2] = [50_000, 200_000];
const PREFETCH: [usize; 3] = [1, 4, 8];
/// Each configuration runs this often; the table shows the median time and the
/// highest peak.
const REPEATS: usize = 3;
/// The server's body chunks.
const CHUNK_BYTES: usize = 16 * 1024;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// A listing of `total` bookings served over HTTP/1.1 on 127.0.0.1, one thread per
/// connection, each page made up on the spot. (wiremock is not used here: it keeps
/// every request it matched, so its memory would grow with the number of pages.)
struct Listing {
    total: u64,
    requests: AtomicU64,
}

/// Starts serving `listing`; the threads end with the process.
fn start_server(listing: Arc<Listing>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    thread::spawn(move || {
        for connection in listener.incoming().flatten() {
            let listing = listing.clone();
            thread::spawn(move || serve_connection(connection, &listing));
        }
    });
    Ok(address)
}

/// Answers the requests of one keep-alive connection until the client closes it.
fn serve_connection(connection: TcpStream, listing: &Listing) -> std::io::Result<()> {
    connection.set_nodelay(true)?;
    let mut reader = BufReader::new(connection.try_clone()?);
    let mut writer = BufWriter::with_capacity(CHUNK_BYTES * 2, connection);
    while let Some(target) = read_request_target(&mut reader)? {
        listing.requests.fetch_add(1, Ordering::Relaxed);
        thread::sleep(LATENCY);
        listing.answer(&target, &mut writer)?;
    }
    Ok(())
}

/// Reads one request head and returns its target (`/api/v1/timebookings?page=…`), or
/// `None` when the connection was closed.
fn read_request_target(reader: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(None);
    }
    let mut header = String::new();
    while reader.read_line(&mut header)? > 0 && header != "\r\n" {
        header.clear();
    }
    Ok(request_line.split_whitespace().nth(1).map(str::to_string))
}

impl Listing {
    /// Writes the answer to one page request. The body goes out in chunks as it is
    /// generated, so the server never holds a whole page.
    fn answer(&self, target: &str, out: &mut impl Write) -> std::io::Result<()> {
        let page = query_number(target, "page").unwrap_or(1).max(1);
        let size = query_number(target, "pageSize")
            .unwrap_or(1000)
            .clamp(1, 1000);
        let start = (page - 1).saturating_mul(size).min(self.total);
        let end = start.saturating_add(size).min(self.total);
        write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\
             aw-page: {page}\r\naw-pagesize: {size}\r\naw-items: {}\r\naw-totalitems: {}\r\n\r\n",
            end - start,
            self.total
        )?;
        let mut chunk = String::with_capacity(CHUNK_BYTES + 1024);
        chunk.push('[');
        for n in start..end {
            if n > start {
                chunk.push(',');
            }
            push_booking(&mut chunk, n);
            if chunk.len() >= CHUNK_BYTES {
                write_chunk(out, &chunk)?;
                chunk.clear();
            }
        }
        chunk.push(']');
        write_chunk(out, &chunk)?;
        out.write_all(b"0\r\n\r\n")?;
        out.flush()
    }
}

/// One chunk of a `transfer-encoding: chunked` body.
fn write_chunk(out: &mut impl Write, data: &str) -> std::io::Result<()> {
    write!(out, "{:x}\r\n", data.len())?;
    out.write_all(data.as_bytes())?;
    out.write_all(b"\r\n")
}

/// A whole-number query parameter of a request target.
fn query_number(target: &str, name: &str) -> Option<u64> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
}

/// Appends booking number `n`, shaped like awork's.
fn push_booking(json: &mut String, n: u64) {
    use std::fmt::Write as _;
    let user = "0a3c0de0-fa4e-4a11-8000-000000000001";
    // Writing into a String cannot fail.
    let _ = write!(
        json,
        r#"{{"id":"00000000-0000-4000-8000-{n:012x}","createdOn":"2024-05-01T08:00:00Z","createdBy":"{user}","updatedOn":"2024-05-01T08:00:00Z","updatedBy":"{user}","userId":"{user}","projectId":null,"startDate":"2024-05-01","endDate":"2024-05-01","duration":3600,"description":"booking {n}","laneOrder":{n},"isAnonymized":false}}"#
    );
}

/// One walk's figures.
struct Run {
    total: u64,
    prefetch: usize,
    requests: u64,
    wall: Duration,
    peak_bytes: usize,
}

/// Walks the listing (all `total` bookings, or up to `cap`), checking that booking `n`
/// comes `n`-th, and measures it.
async fn walk(
    client: &awork_api::Client,
    listing: &Listing,
    prefetch: usize,
    cap: Option<u64>,
) -> Run {
    listing.requests.store(0, Ordering::Relaxed);
    let mut options = PageOptions::new().page_size(PAGE_SIZE).prefetch(prefetch);
    if let Some(cap) = cap {
        options = options.max_items(cap);
    }
    let baseline = counting::reset_peak();
    let started = Instant::now();
    let count = paging::items(options, |page, size| {
        client.get_time_bookings().page(page).page_size(size).send()
    })
    .try_fold(0u64, |n, booking| {
        assert_eq!(
            booking.lane_order.map(i64::from),
            Some(n as i64),
            "booking out of order"
        );
        std::future::ready(Ok(n + 1))
    })
    .await
    .expect("the walk failed");
    let wall = started.elapsed();
    assert_eq!(count, cap.unwrap_or(listing.total), "bookings missing");
    let peak_bytes = counting::peak().saturating_sub(baseline);
    Run {
        total: listing.total,
        prefetch,
        requests: listing.requests.load(Ordering::Relaxed),
        wall,
        peak_bytes,
    }
}

/// Runs one configuration [`REPEATS`] times: the median wall time, the highest peak.
async fn measure(client: &awork_api::Client, listing: &Listing, prefetch: usize) -> Run {
    let mut runs = Vec::new();
    for _ in 0..REPEATS {
        runs.push(walk(client, listing, prefetch, None).await);
    }
    runs.sort_by_key(|run| run.wall);
    let peak_bytes = runs.iter().map(|run| run.peak_bytes).max().unwrap_or(0);
    let median = runs.swap_remove(REPEATS / 2);
    Run {
        peak_bytes,
        ..median
    }
}

/// The best speed-up prefetch can give: the first page alone, then `prefetch` at a time.
fn ideal_speed_up(pages: u64, prefetch: usize) -> f64 {
    let rounds = 1 + pages.saturating_sub(1).div_ceil(prefetch as u64);
    pages as f64 / rounds as f64
}

fn print_table(runs: &[Run]) {
    println!(
        "paging bench: pageSize {PAGE_SIZE}, {} ms added per request, median of {REPEATS} runs, highest peak",
        LATENCY.as_millis()
    );
    println!(
        "{:>8} {:>9} {:>9} {:>9} {:>9} {:>7} {:>14}",
        "items", "prefetch", "requests", "wall ms", "speed-up", "ideal", "peak heap MiB"
    );
    for run in runs {
        let sequential = runs
            .iter()
            .find(|other| other.total == run.total && other.prefetch == 1);
        let speed_up =
            sequential.map_or(1.0, |seq| seq.wall.as_secs_f64() / run.wall.as_secs_f64());
        println!(
            "{:>8} {:>9} {:>9} {:>9.0} {:>8.2}x {:>6.2}x {:>14.2}",
            run.total,
            run.prefetch,
            run.requests,
            run.wall.as_secs_f64() * 1000.0,
            speed_up,
            ideal_speed_up(run.requests, run.prefetch),
            run.peak_bytes as f64 / (1024.0 * 1024.0)
        );
    }
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let mut runs = Vec::new();
    for total in TOTALS {
        let listing = Arc::new(Listing {
            total,
            requests: AtomicU64::new(0),
        });
        let address = start_server(listing.clone()).expect("cannot listen on 127.0.0.1");
        let base_url = format!("http://{address}/api/v1");
        let client =
            awork_api::Client::new_with_client(&base_url, http.clone(), awork_api::Hooks::new());
        // One untimed walk warms up connections and the allocator.
        walk(&client, &listing, 8, Some(5 * u64::from(PAGE_SIZE))).await;
        for prefetch in PREFETCH {
            runs.push(measure(&client, &listing, prefetch).await);
        }
    }
    print_table(&runs);
}
