//! The `filterby` query parameter, a small subset of awork's filter language.
//!
//! Grammar: `comparison (and comparison)*`, where a comparison is
//! `property operator literal`, separated by whitespace. Keywords and
//! property names are case-insensitive.
//!
//! * properties `id`, `userId`, `projectId` take `guid'…'` (or `null`) with `eq`/`ne`;
//! * properties `startDate`, `endDate` take `datetime'YYYY-MM-DD'` (a time part
//!   is accepted and ignored) with `eq ne gt ge lt le`.
//!
//! Everything else (other properties, `or`, parentheses, functions, ordering
//! operators on GUIDs) is answered with `invalid-filter-or-order`.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::errors::ApiError;
use crate::model::TimeBooking;

/// A filterable property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    UserId,
    ProjectId,
    StartDate,
    EndDate,
}

/// A comparison operator (shared with the time-entry filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Literal {
    Guid(Uuid),
    Null,
    Date(NaiveDate),
}

/// One `property operator literal` clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Comparison {
    field: Field,
    op: Op,
    literal: Literal,
}

/// A parsed `filterby` expression: all comparisons must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    comparisons: Vec<Comparison>,
}

impl Filter {
    /// Parses a `filterby` value; empty text matches everything.
    pub(crate) fn parse(text: &str) -> Result<Self, ApiError> {
        let comparisons = clauses(text)?
            .into_iter()
            .map(parse_comparison)
            .collect::<Result<_, _>>()?;
        Ok(Self { comparisons })
    }

    /// Whether `booking` satisfies every comparison.
    pub(crate) fn matches(&self, booking: &TimeBooking) -> bool {
        self.comparisons
            .iter()
            .all(|comparison| evaluate(comparison, booking))
    }
}

/// Splits a `filterby` value into its `property operator literal` clauses
/// (joined by `and`); empty text has none. Shared with the time-entry filter.
pub(crate) fn clauses(text: &str) -> Result<Vec<[&str; 3]>, ApiError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    words
        .split(|word| word.eq_ignore_ascii_case("and"))
        .map(|clause| match clause {
            [field, op, literal] => Ok([*field, *op, *literal]),
            _ => Err(ApiError::invalid_filter(format!(
                "Expected 'property operator value' but found '{}'.",
                clause.join(" ")
            ))),
        })
        .collect()
}

/// Parses the three words of one comparison and checks that they fit together.
fn parse_comparison([field, op, literal]: [&str; 3]) -> Result<Comparison, ApiError> {
    let comparison = Comparison {
        field: parse_field(field)?,
        op: parse_op(op)?,
        literal: parse_literal(literal)?,
    };
    check_types(comparison)?;
    Ok(comparison)
}

/// Maps a property name to a field.
fn parse_field(word: &str) -> Result<Field, ApiError> {
    match word.to_ascii_lowercase().as_str() {
        "id" => Ok(Field::Id),
        "userid" => Ok(Field::UserId),
        "projectid" => Ok(Field::ProjectId),
        "startdate" => Ok(Field::StartDate),
        "enddate" => Ok(Field::EndDate),
        _ => Err(ApiError::invalid_filter(format!(
            "Cannot filter by property '{word}'."
        ))),
    }
}

/// Maps an operator keyword.
pub(crate) fn parse_op(word: &str) -> Result<Op, ApiError> {
    match word.to_ascii_lowercase().as_str() {
        "eq" => Ok(Op::Eq),
        "ne" => Ok(Op::Ne),
        "gt" => Ok(Op::Gt),
        "ge" => Ok(Op::Ge),
        "lt" => Ok(Op::Lt),
        "le" => Ok(Op::Le),
        _ => Err(ApiError::invalid_filter(format!(
            "Unknown operator '{word}'."
        ))),
    }
}

/// Parses `guid'…'`, `datetime'…'` or `null`.
fn parse_literal(word: &str) -> Result<Literal, ApiError> {
    if word.eq_ignore_ascii_case("null") {
        return Ok(Literal::Null);
    }
    if let Some(inner) = quoted_after(word, "guid") {
        return Uuid::parse_str(inner)
            .map(Literal::Guid)
            .map_err(|_| ApiError::invalid_filter(format!("'{inner}' is not a valid GUID.")));
    }
    if let Some(inner) = quoted_after(word, "datetime") {
        return parse_date(inner)
            .map(Literal::Date)
            .ok_or_else(|| ApiError::invalid_filter(format!("'{inner}' is not a valid date.")));
    }
    Err(ApiError::invalid_filter(format!(
        "Unsupported value '{word}'."
    )))
}

/// Returns the text between quotes of `prefix'…'` (prefix case-insensitive).
pub(crate) fn quoted_after<'a>(word: &'a str, prefix: &str) -> Option<&'a str> {
    let head = word.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    word[prefix.len()..].strip_prefix('\'')?.strip_suffix('\'')
}

/// Rejects comparisons whose value or operator does not suit the property.
fn check_types(comparison: Comparison) -> Result<(), ApiError> {
    let is_guid_field = matches!(
        comparison.field,
        Field::Id | Field::UserId | Field::ProjectId
    );
    let is_equality = matches!(comparison.op, Op::Eq | Op::Ne);
    let fits = match comparison.literal {
        Literal::Guid(_) | Literal::Null => is_guid_field && is_equality,
        Literal::Date(_) => !is_guid_field,
    };
    if fits {
        Ok(())
    } else {
        Err(ApiError::invalid_filter(format!(
            "The value or operator does not fit property {:?}.",
            comparison.field
        )))
    }
}

/// Evaluates one comparison against a booking.
fn evaluate(comparison: &Comparison, booking: &TimeBooking) -> bool {
    match (comparison.field, comparison.literal) {
        (Field::Id, literal) => guid_matches(Some(booking.id), comparison.op, literal),
        (Field::UserId, literal) => guid_matches(Some(booking.user_id), comparison.op, literal),
        (Field::ProjectId, literal) => guid_matches(booking.project_id, comparison.op, literal),
        (Field::StartDate, Literal::Date(date)) => compare(booking.start_date, comparison.op, date),
        (Field::EndDate, Literal::Date(date)) => compare(booking.end_date, comparison.op, date),
        _ => false,
    }
}

/// `eq`/`ne` for an optional GUID against `guid'…'` or `null`.
fn guid_matches(value: Option<Uuid>, op: Op, literal: Literal) -> bool {
    let expected = match literal {
        Literal::Guid(guid) => Some(guid),
        _ => None,
    };
    match op {
        Op::Ne => value != expected,
        _ => value == expected,
    }
}

/// Applies an operator to two ordered values.
pub(crate) fn compare<T: Ord>(value: T, op: Op, other: T) -> bool {
    match op {
        Op::Eq => value == other,
        Op::Ne => value != other,
        Op::Gt => value > other,
        Op::Ge => value >= other,
        Op::Lt => value < other,
        Op::Le => value <= other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conjunctions_case_insensitively() {
        let filter = Filter::parse(
            "UserId eq guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60' AND startdate GE datetime'2024-05-01T00:00:00' and projectId eq null",
        )
        .unwrap();
        assert_eq!(filter.comparisons.len(), 3);
        assert_eq!(filter.comparisons[1].op, Op::Ge);
        assert_eq!(filter.comparisons[2].literal, Literal::Null);
    }

    #[test]
    fn empty_filter_matches_everything() {
        assert_eq!(Filter::parse("  ").unwrap(), Filter::default());
    }

    #[test]
    fn rejects_everything_outside_the_subset() {
        let bad = [
            "duration eq 5",
            "userId eq 'abc'",
            "userId gt guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60'",
            "startDate eq guid'6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60'",
            "startDate eq datetime'2024-02-30'",
            "startDate eq datetime'2024-05-01' or endDate eq datetime'2024-05-01'",
            "startDate eq datetime'2024-05-01' and",
            "startDate like datetime'2024-05-01'",
            "userId eq guid'nope'",
        ];
        for text in bad {
            assert!(Filter::parse(text).is_err(), "{text} should be rejected");
        }
    }
}
