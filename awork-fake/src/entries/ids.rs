//! Ids in time-entry paths, and the answers for ids that do not fit.

use axum::extract::Path;
use uuid::Uuid;

use crate::errors::ApiError;

/// A path id that is not a GUID matches no awork route: 404, as for bookings.
pub(crate) fn parse_path_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found(format!("'{raw}' is not a {what} id.")))
}

/// 404 for an unknown time entry.
pub(crate) fn missing(id: Uuid) -> ApiError {
    ApiError::not_found(format!("No time entry with id '{id}'."))
}

/// Methods a by-id route does not serve: 404 when the id is not a GUID (no
/// awork route matches then), 405 `method-not-allowed` otherwise.
pub(crate) async fn other_method(Path(raw_id): Path<String>) -> ApiError {
    match parse_path_id(&raw_id, "time entry") {
        Ok(_) => ApiError::method_not_allowed(),
        Err(not_found) => not_found,
    }
}
