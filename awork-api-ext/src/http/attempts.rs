//! How many times a request was sent, for the error that ends it.
//!
//! The transport knows the count, but what it hands back is a `reqwest::Result`, and a
//! `reqwest::Error` (a timeout, a refused connection) cannot carry anything extra. So
//! this crate's calls run each request inside [`counted`], a task-local cell that the
//! transport writes after every attempt; the error is built with the count read from
//! it. Concurrent requests (prefetched pages) each get a cell of their own.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static ATTEMPTS: Cell<u32>;
}

/// Notes that attempt `number` of the current request was made (no-op outside [`counted`]).
pub(crate) fn record(number: u32) {
    let _ = ATTEMPTS.try_with(|cell| cell.set(number));
}

/// Runs `request` and returns its output with the number of attempts the transport
/// made (`None` when it made none, e.g. a request rejected before sending).
pub(crate) async fn counted<F: Future>(request: F) -> (F::Output, Option<u32>) {
    ATTEMPTS
        .scope(Cell::new(0), async {
            let output = request.await;
            let attempts = ATTEMPTS.with(Cell::get);
            (output, (attempts > 0).then_some(attempts))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_request_counts_in_its_own_cell() {
        let one = counted(async {
            record(1);
            record(3);
        });
        let other = counted(async { record(2) });
        let ((_, a), (_, b)) = futures::join!(one, other);
        assert_eq!((a, b), (Some(3), Some(2)));
        assert_eq!(counted(async {}).await.1, None);
        record(9); // outside any cell: ignored, no panic
    }
}
