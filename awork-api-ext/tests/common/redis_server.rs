//! A `redis-server` (Debian's) of a test's or bench's own, on a free port of 127.0.0.1.
//! Used by the Redis tests (through `common`) and the shared-budget bench (with
//! `#[path]`), so it needs nothing but the standard library.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` of its own on a free port of 127.0.0.1, stopped on drop.
pub struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// A fresh server, or `None` (with a note) when `redis-server` is not installed and
    /// the environment does not require it.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let required = std::env::var_os("AWORK_TESTS_REQUIRE_REDIS").is_some_and(|v| v == "1");
        if installed || required {
            return Some(Self::start());
        }
        eprintln!(
            "{test}: skipped, redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it and requires it)"
        );
        None
    }

    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}): install it (Debian: apt-get install redis-server); .ci/run does")
            });
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not start listening on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
