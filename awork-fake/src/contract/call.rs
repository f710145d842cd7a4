//! A request the contract routed and accepted: what a behaviour is asked to serve.

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::operation::Operation;
use crate::wire::{ApiError, Body, QueryParams};

/// One routed, validated request.
#[derive(Debug)]
pub(crate) struct Call {
    /// The operation it matched.
    pub(crate) op: &'static Operation,
    /// The path parameters, decoded, in template order.
    pub(crate) path: Vec<(String, String)>,
    /// The query.
    pub(crate) query: QueryParams,
    /// The request headers.
    pub(crate) headers: HeaderMap,
    /// The body.
    pub(crate) body: Body,
    /// The user the credential belongs to (the API key's user, or an OAuth token's).
    pub(crate) actor: Uuid,
    /// The fake's clock when the request arrived.
    pub(crate) now: DateTime<Utc>,
}

impl Call {
    /// The path parameter `name`, as sent.
    pub(crate) fn path_param(&self, name: &str) -> Option<&str> {
        self.path
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The path parameter `name` as a GUID. The contract has checked its format
    /// already; a value that still is no GUID names nothing: 404.
    pub(crate) fn path_id(&self, name: &str) -> Result<Uuid, ApiError> {
        let raw = self.path_param(name).unwrap_or_default();
        Uuid::parse_str(raw).map_err(|_| ApiError::not_found(format!("'{raw}' is not a {name}.")))
    }
}
