//! `POST /api/v1/timeentries/batch/{operation}`: one change applied to many
//! entries, answered with 207 and a `MultiStatusResult` that sorts the
//! requested ids into `ok` and `notFound`.
//!
//! Operations (case-insensitive): `delete`; `setTypeOfWork` (needs
//! `newTypeOfWorkId`); `setIsBillable` (needs `isBillable`); `setIsBilled`
//! (needs `isBilled`). Any other operation answers 400
//! `invalid-batch-operation`. The body (`TimeEntryBatchOperationForm`)
//! needs a non-empty `timeEntryIds`; repeated ids count once. With
//! `requireAllTimeEntries: true`, one unknown id makes the whole batch
//! answer 404 and change nothing.

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::model::TimeEntry;
use super::reader::{FormReader, object_of};
use super::store::TimeEntryStore;
use crate::contract::Call;
use crate::wire::{Answer, ApiError, codes};

/// The change one batch applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Delete,
    SetTypeOfWork(Uuid),
    SetIsBillable(bool),
    SetIsBilled(bool),
}

/// The operation named in the path, before its value is read from the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperationName {
    Delete,
    SetTypeOfWork,
    SetIsBillable,
    SetIsBilled,
}

/// A validated batch request.
#[derive(Debug)]
struct Batch {
    ids: Vec<Uuid>,
    operation: Operation,
    require_all: bool,
}

/// A list of ids in a `MultiStatusResult`.
#[derive(Debug, Default, Serialize)]
struct StatusResult {
    ids: Vec<Uuid>,
}

/// The 207 body.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct MultiStatusResult {
    ok: StatusResult,
    not_found: StatusResult,
}

/// The handler.
pub(crate) fn batch(call: &Call, entries: &mut TimeEntryStore) -> Result<Answer, ApiError> {
    let name = parse_operation(call.path_param("operation").unwrap_or_default())?;
    let batch = parse_batch(call.body.json(), name)?;
    let (found, missing): (Vec<Uuid>, Vec<Uuid>) =
        batch.ids.iter().partition(|id| entries.get(**id).is_some());
    if batch.require_all && !missing.is_empty() {
        return Err(ApiError::not_found(format!(
            "No time entries with ids {missing:?}; nothing was changed."
        )));
    }
    for id in &found {
        match batch.operation {
            Operation::Delete => {
                entries.remove(*id);
            }
            change => {
                entries.change(*id, call.actor, |entry| edit(entry, change));
            }
        }
    }
    let result = MultiStatusResult {
        ok: StatusResult { ids: found },
        not_found: StatusResult { ids: missing },
    };
    let value = serde_json::to_value(&result).expect("a batch result serializes");
    Ok(Answer::json(StatusCode::MULTI_STATUS, value))
}

/// Applies a field-setting operation to one entry.
fn edit(entry: &mut TimeEntry, operation: Operation) {
    match operation {
        Operation::SetTypeOfWork(type_of_work_id) => entry.type_of_work_id = type_of_work_id,
        Operation::SetIsBillable(flag) => entry.is_billable = flag,
        Operation::SetIsBilled(flag) => entry.is_billed = flag,
        Operation::Delete => {}
    }
}

/// Maps the path segment, ignoring case.
fn parse_operation(raw: &str) -> Result<OperationName, ApiError> {
    match raw.to_ascii_lowercase().as_str() {
        "delete" => Ok(OperationName::Delete),
        "settypeofwork" => Ok(OperationName::SetTypeOfWork),
        "setisbillable" => Ok(OperationName::SetIsBillable),
        "setisbilled" => Ok(OperationName::SetIsBilled),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_BATCH_OPERATION,
            "The batch operation is not supported.",
        )
        .with_detail(format!(
            "Unknown operation '{raw}'; use delete, setTypeOfWork, setIsBillable or setIsBilled."
        ))),
    }
}

/// Reads a `TimeEntryBatchOperationForm` for operation `name`.
fn parse_batch(body: Option<&Value>, name: OperationName) -> Result<Batch, ApiError> {
    let object = object_of(body)?;
    let mut reader = FormReader::new(object);
    let ids = read_ids(&mut reader);
    let operation = match name {
        OperationName::Delete => Some(Operation::Delete),
        OperationName::SetTypeOfWork => {
            read_type_of_work(&mut reader).map(Operation::SetTypeOfWork)
        }
        OperationName::SetIsBillable => {
            required_bool(&mut reader, "isBillable").map(Operation::SetIsBillable)
        }
        OperationName::SetIsBilled => {
            required_bool(&mut reader, "isBilled").map(Operation::SetIsBilled)
        }
    };
    let require_all = reader.optional_bool("requireAllTimeEntries");
    match operation {
        Some(operation) if reader.errors.is_empty() => Ok(Batch {
            ids,
            operation,
            require_all,
        }),
        _ => Err(ApiError::validation(reader.errors)),
    }
}

/// `timeEntryIds`: a non-empty array of GUIDs, repeated ids dropped.
fn read_ids(reader: &mut FormReader<'_>) -> Vec<Uuid> {
    let items = match reader.field("timeEntryIds") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) | None => {
            reader.fail("timeEntryIds", "'timeEntryIds' must not be empty.".into());
            return Vec::new();
        }
        Some(_) => {
            reader.fail(
                "timeEntryIds",
                "'timeEntryIds' must be an array of GUIDs.".into(),
            );
            return Vec::new();
        }
    };
    let mut ids = Vec::new();
    for item in items {
        match item.as_str().and_then(|text| Uuid::parse_str(text).ok()) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => reader.fail(
                "timeEntryIds",
                format!("'{item}' in 'timeEntryIds' is not a valid GUID."),
            ),
        }
    }
    ids
}

/// `newTypeOfWorkId`: required, a GUID, not the nil GUID.
fn read_type_of_work(reader: &mut FormReader<'_>) -> Option<Uuid> {
    let id = reader.optional_guid("newTypeOfWorkId");
    if reader.field("newTypeOfWorkId").is_none() || id.is_some_and(|id| id.is_nil()) {
        reader.fail(
            "newTypeOfWorkId",
            "'newTypeOfWorkId' must not be empty.".into(),
        );
        return None;
    }
    id
}

/// A boolean the operation cannot do without.
fn required_bool(reader: &mut FormReader<'_>, name: &str) -> Option<bool> {
    let Some(value) = reader.field(name) else {
        reader.fail(name, format!("'{name}' must not be empty."));
        return None;
    };
    let flag = value.as_bool();
    if flag.is_none() {
        reader.fail(name, format!("'{name}' must be true or false."));
    }
    flag
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60";

    #[test]
    fn operations_ignore_case() {
        assert_eq!(
            parse_operation("SETTYPEOFWORK").unwrap(),
            OperationName::SetTypeOfWork
        );
        assert_eq!(
            parse_operation("setIsBilled").unwrap(),
            OperationName::SetIsBilled
        );
        assert!(parse_operation("setProject").is_err());
    }

    #[test]
    fn ids_are_deduplicated_and_values_required() {
        let body = format!(r#"{{"timeEntryIds":["{ID}","{ID}"],"isBillable":true}}"#);
        let json = |text: &str| -> Value { serde_json::from_str(text).unwrap() };
        let batch = parse_batch(Some(&json(&body)), OperationName::SetIsBillable).unwrap();
        assert_eq!(batch.ids.len(), 1);
        assert_eq!(batch.operation, Operation::SetIsBillable(true));
        let error = parse_batch(
            Some(&json(r#"{"timeEntryIds":[]}"#)),
            OperationName::SetIsBilled,
        )
        .unwrap_err();
        assert_eq!(error.invalid_properties(), ["timeEntryIds", "isBilled"]);
        let error = parse_batch(
            Some(&json(r#"{"timeEntryIds":["x"],"newTypeOfWorkId":"00000000-0000-0000-0000-000000000000"}"#)),
            OperationName::SetTypeOfWork,
        )
        .unwrap_err();
        assert_eq!(
            error.invalid_properties(),
            ["timeEntryIds", "newTypeOfWorkId"]
        );
    }
}
