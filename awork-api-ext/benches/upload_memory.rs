//! Uploading a large file costs memory in proportion to a chunk, not to the file.
//!
//! Creates a 200 MB file in a temporary folder, starts a server on 127.0.0.1 that reads
//! and discards request bodies, and uploads the file through `client.uploads()` (the
//! same path as every upload: multipart form, client transport). A counting global
//! allocator measures how far the live heap rose above where it stood before the client
//! was built; the process's VmHWM (peak resident set) is printed too. Exits non-zero when
//! the heap grew by 20 MB or more, or when the server did not receive every byte.
//!
//! Run with `cargo bench -p awork-api-ext --bench upload_memory`.

#[path = "support/counting.rs"]
mod counting;

use awork_api_ext::AworkClient;
use awork_api_ext::uploads::UploadFile;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const FILE_BYTES: u64 = 200 * 1024 * 1024;
const LIMIT_BYTES: usize = 20 * 1024 * 1024;
const MIB: f64 = 1024.0 * 1024.0;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("large.bin");
    write_file(&path, FILE_BYTES).expect("the test file");
    let received = Arc::new(AtomicU64::new(0));
    let address = start_server(received.clone()).expect("a local server");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");

    let baseline = counting::reset_peak();
    let started = Instant::now();
    runtime.block_on(upload(address, &path));
    let elapsed = started.elapsed();
    let growth = counting::peak().saturating_sub(baseline);

    let got = received.load(Ordering::Relaxed);
    let throughput = FILE_BYTES as f64 / MIB / elapsed.as_secs_f64();
    println!(
        "upload of {:.0} MiB: heap grew by {:.2} MiB at most (limit {:.0} MiB); \
         {:.2} s, {throughput:.0} MiB/s; server received {got} body bytes; VmHWM {}",
        FILE_BYTES as f64 / MIB,
        growth as f64 / MIB,
        LIMIT_BYTES as f64 / MIB,
        elapsed.as_secs_f64(),
        vm_hwm().unwrap_or_else(|| "unknown".into()),
    );
    if got < FILE_BYTES {
        eprintln!("the server received fewer bytes than the file holds");
        std::process::exit(1);
    }
    if growth >= LIMIT_BYTES {
        eprintln!("the upload held too much of the file in memory");
        std::process::exit(1);
    }
}

/// Uploads the file as a task file, through the client like any program would.
async fn upload(address: SocketAddr, path: &std::path::Path) {
    let client = AworkClient::builder()
        .api_key("bench-key")
        .base_url(format!("http://{address}/api/v1"))
        .timeout(std::time::Duration::from_secs(300))
        .build()
        .expect("a client");
    let answer = client
        .uploads()
        .operation("CreateTaskFile")
        .path_param("taskId", "0a3c0de0-fa4e-4a11-8000-000000000001")
        .file("File", UploadFile::from_path(path))
        .send()
        .await
        .expect("the upload");
    assert_eq!(answer, serde_json::json!({}));
}

/// Writes `bytes` bytes of a repeating pattern to `path`, one MiB at a time.
fn write_file(path: &std::path::Path, bytes: u64) -> std::io::Result<()> {
    let block: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    for _ in 0..bytes / block.len() as u64 {
        file.write_all(&block)?;
    }
    file.flush()
}

/// A server that reads each request's body and throws it away, answering `{}`.
fn start_server(received: Arc<AtomicU64>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    thread::spawn(move || {
        for connection in listener.incoming().flatten() {
            let received = received.clone();
            thread::spawn(move || discard_requests(connection, &received));
        }
    });
    Ok(address)
}

/// Answers the requests of one connection, counting the body bytes it discards.
fn discard_requests(connection: TcpStream, received: &AtomicU64) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(64 * 1024, connection.try_clone()?);
    let mut writer = connection;
    while let Some(length) = read_head(&mut reader)? {
        let discarded = std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink())?;
        received.fetch_add(discarded, Ordering::Relaxed);
        writer.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        )?;
    }
    Ok(())
}

/// Reads one request head; returns its `content-length` (0 without one), or `None`
/// when the connection was closed.
fn read_head(reader: &mut impl BufRead) -> std::io::Result<Option<u64>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut length = 0;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    Ok(Some(length))
}

/// The process's peak resident set, from `/proc/self/status` (Linux only).
fn vm_hwm() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .map(|value| value.trim().to_string())
}
