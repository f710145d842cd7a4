//! The `trace-id` and `x-edge-ref` headers every response carries.

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use uuid::Uuid;

/// Name of the header holding the 32-hex-digit trace id.
pub const TRACE_ID_HEADER: &str = "trace-id";
/// Name of the header holding the edge (CDN) reference.
pub const EDGE_REF_HEADER: &str = "x-edge-ref";

/// Identifiers the pipeline attaches to one request.
#[derive(Debug, Clone)]
pub(crate) struct TraceContext {
    /// 32 lowercase hex digits; repeated as `traceId` in error bodies.
    pub(crate) trace_id: String,
    /// Free-form edge reference, unique per request of one fake.
    pub(crate) edge_ref: String,
}

impl TraceContext {
    /// Makes the identifiers for the request with sequence number `seq`.
    pub(crate) fn new(seq: u64) -> Self {
        Self {
            trace_id: Uuid::new_v4().simple().to_string(),
            edge_ref: format!("Ref A: fake-edge-{seq:08}"),
        }
    }

    /// Adds both headers to `response`.
    pub(crate) fn stamp(&self, response: &mut Response) {
        let headers = response.headers_mut();
        headers.insert(
            HeaderName::from_static(TRACE_ID_HEADER),
            header_value(&self.trace_id),
        );
        headers.insert(
            HeaderName::from_static(EDGE_REF_HEADER),
            header_value(&self.edge_ref),
        );
    }
}

/// Converts text that is known to be header-safe.
fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("trace values are plain ASCII")
}
