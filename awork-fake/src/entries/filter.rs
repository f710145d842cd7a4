//! `filterby` for time entries: the booking filter's grammar (clauses
//! `property operator literal` joined by `and`, case-insensitive keywords)
//! over the entry's properties.
//!
//! * `id`, `userId`, `projectId`, `taskId`, `typeOfWorkId` take `guid'…'`
//!   or `null` with `eq`/`ne`;
//! * `isBillable`, `isBilled` take `true`/`false` with `eq`/`ne`;
//! * `startDate`, `endDate` take `datetime'…'` — a full date-time (an offset
//!   is honoured, none means UTC) or a bare date (midnight UTC) — with all six
//!   operators, compared as instants; `endDate` also takes `null` with
//!   `eq`/`ne` to find running and date-only entries. An entry without an end
//!   only satisfies `endDate ne datetime'…'` among the date comparisons.
//!
//! Anything else answers 400 `invalid-filter-or-order`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::instants::parse_instant;
use super::model::TimeEntry;
use crate::errors::ApiError;
use crate::filter::{Op, clauses, compare, parse_op, quoted_after};

/// A filterable property of a time entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    UserId,
    ProjectId,
    TaskId,
    TypeOfWorkId,
    IsBillable,
    IsBilled,
    StartDate,
    EndDate,
}

/// The kind of value a property holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Guid,
    Bool,
    Instant,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Literal {
    Guid(Uuid),
    Bool(bool),
    Instant(DateTime<Utc>),
    Null,
}

/// One `property operator literal` clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Comparison {
    field: Field,
    op: Op,
    literal: Literal,
}

/// A parsed `filterby` expression for entries: all comparisons must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntryFilter {
    comparisons: Vec<Comparison>,
}

impl EntryFilter {
    /// Parses a `filterby` value; empty text matches everything.
    pub(crate) fn parse(text: &str) -> Result<Self, ApiError> {
        let comparisons = clauses(text)?
            .into_iter()
            .map(parse_comparison)
            .collect::<Result<_, _>>()?;
        Ok(Self { comparisons })
    }

    /// Whether `entry` satisfies every comparison.
    pub(crate) fn matches(&self, entry: &TimeEntry) -> bool {
        self.comparisons
            .iter()
            .all(|comparison| evaluate(*comparison, entry))
    }
}

/// Parses one clause and checks that value and operator suit the property.
fn parse_comparison([field, op, literal]: [&str; 3]) -> Result<Comparison, ApiError> {
    let comparison = Comparison {
        field: parse_field(field)?,
        op: parse_op(op)?,
        literal: parse_literal(literal)?,
    };
    let is_equality = matches!(comparison.op, Op::Eq | Op::Ne);
    let fits = match (kind_of(comparison.field), comparison.literal) {
        (Kind::Guid, Literal::Guid(_) | Literal::Null) => is_equality,
        (Kind::Bool, Literal::Bool(_)) => is_equality,
        (Kind::Instant, Literal::Instant(_)) => true,
        (Kind::Instant, Literal::Null) => is_equality,
        _ => false,
    };
    if fits {
        Ok(comparison)
    } else {
        Err(ApiError::invalid_filter(format!(
            "The value or operator does not fit property '{field}'."
        )))
    }
}

/// Maps a property name to a field.
fn parse_field(word: &str) -> Result<Field, ApiError> {
    let field = match word.to_ascii_lowercase().as_str() {
        "id" => Field::Id,
        "userid" => Field::UserId,
        "projectid" => Field::ProjectId,
        "taskid" => Field::TaskId,
        "typeofworkid" => Field::TypeOfWorkId,
        "isbillable" => Field::IsBillable,
        "isbilled" => Field::IsBilled,
        "startdate" => Field::StartDate,
        "enddate" => Field::EndDate,
        _ => {
            return Err(ApiError::invalid_filter(format!(
                "Cannot filter time entries by property '{word}'."
            )));
        }
    };
    Ok(field)
}

/// What kind of value `field` holds.
fn kind_of(field: Field) -> Kind {
    match field {
        Field::Id | Field::UserId | Field::ProjectId | Field::TaskId | Field::TypeOfWorkId => {
            Kind::Guid
        }
        Field::IsBillable | Field::IsBilled => Kind::Bool,
        Field::StartDate | Field::EndDate => Kind::Instant,
    }
}

/// Parses `guid'…'`, `datetime'…'`, `true`, `false` or `null`.
fn parse_literal(word: &str) -> Result<Literal, ApiError> {
    for (keyword, literal) in [
        ("null", Literal::Null),
        ("true", Literal::Bool(true)),
        ("false", Literal::Bool(false)),
    ] {
        if word.eq_ignore_ascii_case(keyword) {
            return Ok(literal);
        }
    }
    if let Some(inner) = quoted_after(word, "guid") {
        return Uuid::parse_str(inner)
            .map(Literal::Guid)
            .map_err(|_| ApiError::invalid_filter(format!("'{inner}' is not a valid GUID.")));
    }
    if let Some(inner) = quoted_after(word, "datetime") {
        return parse_instant(inner).map(Literal::Instant).ok_or_else(|| {
            ApiError::invalid_filter(format!("'{inner}' is not a valid date-time."))
        });
    }
    Err(ApiError::invalid_filter(format!(
        "Unsupported value '{word}'."
    )))
}

/// Evaluates one comparison against an entry.
fn evaluate(comparison: Comparison, entry: &TimeEntry) -> bool {
    let Comparison { field, op, literal } = comparison;
    match field {
        Field::Id => equal_or_not(Some(entry.id), op, literal),
        Field::UserId => equal_or_not(Some(entry.user_id), op, literal),
        Field::ProjectId => equal_or_not(entry.project_id, op, literal),
        Field::TaskId => equal_or_not(entry.task_id, op, literal),
        Field::TypeOfWorkId => equal_or_not(Some(entry.type_of_work_id), op, literal),
        Field::IsBillable => equal_or_not(Some(entry.is_billable), op, literal),
        Field::IsBilled => equal_or_not(Some(entry.is_billed), op, literal),
        Field::StartDate => instant_matches(Some(entry.start_date), op, literal),
        Field::EndDate => instant_matches(entry.end_date, op, literal),
    }
}

/// `eq`/`ne` of an optional value against a literal of its kind or `null`.
fn equal_or_not<T: PartialEq + Copy>(value: Option<T>, op: Op, literal: Literal) -> bool
where
    Literal: Extract<T>,
{
    let expected = literal.extract();
    match op {
        Op::Ne => value != expected,
        _ => value == expected,
    }
}

/// Any operator of an optional instant against `datetime'…'` or `null`.
fn instant_matches(value: Option<DateTime<Utc>>, op: Op, literal: Literal) -> bool {
    match (value, literal) {
        (Some(value), Literal::Instant(other)) => compare(value, op, other),
        (None, Literal::Instant(_)) => op == Op::Ne,
        _ => equal_or_not(value, op, literal),
    }
}

/// The value of a literal as `T`, `None` for `null` (and other kinds).
trait Extract<T> {
    /// The value, if the literal holds a `T`.
    fn extract(self) -> Option<T>;
}

impl Extract<Uuid> for Literal {
    fn extract(self) -> Option<Uuid> {
        match self {
            Literal::Guid(guid) => Some(guid),
            _ => None,
        }
    }
}

impl Extract<bool> for Literal {
    fn extract(self) -> Option<bool> {
        match self {
            Literal::Bool(flag) => Some(flag),
            _ => None,
        }
    }
}

impl Extract<DateTime<Utc>> for Literal {
    fn extract(self) -> Option<DateTime<Utc>> {
        match self {
            Literal::Instant(at) => Some(at),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_property_kind() {
        let filter = EntryFilter::parse(
            "typeOfWorkId eq guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60' and TaskId ne null \
             and isBillable eq TRUE and startDate ge datetime'2024-05-06T08:00:00Z' \
             and endDate lt datetime'2024-05-07' and endDate eq null",
        )
        .unwrap();
        assert_eq!(filter.comparisons.len(), 6);
        assert_eq!(filter.comparisons[2].literal, Literal::Bool(true));
    }

    #[test]
    fn rejects_what_does_not_fit() {
        let bad = [
            "isBillable gt true",
            "isBilled eq guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60'",
            "userId lt guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60'",
            "startDate gt null",
            "startDate eq true",
            "note eq 'x'",
            "duration gt 5",
            "endDate eq datetime'yesterday'",
            "isBillable eq yes",
        ];
        for text in bad {
            assert!(
                EntryFilter::parse(text).is_err(),
                "{text} should be rejected"
            );
        }
    }
}
