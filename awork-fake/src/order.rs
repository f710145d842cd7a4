//! The `orderby` query parameter: `prop [asc|desc]` terms separated by commas.
//!
//! Sortable properties (case-insensitive): `startDate`, `endDate`, `duration`,
//! `createdOn`, `laneOrder`, `userId` (compared by the GUID's bytes). After
//! the given terms, ties are broken by `createdOn` and then `id`, so every
//! order is total and stable.

use std::cmp::Ordering;

use crate::errors::ApiError;
use crate::model::TimeBooking;

/// A property bookings can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    StartDate,
    EndDate,
    Duration,
    CreatedOn,
    LaneOrder,
    UserId,
}

/// One `prop [asc|desc]` term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OrderTerm {
    key: SortKey,
    descending: bool,
}

/// A parsed `orderby` expression.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OrderBy {
    terms: Vec<OrderTerm>,
}

impl OrderBy {
    /// Parses an `orderby` value; empty text means the default order.
    pub(crate) fn parse(text: &str) -> Result<Self, ApiError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let terms = text.split(',').map(parse_term).collect::<Result<_, _>>()?;
        Ok(Self { terms })
    }

    /// Sorts `bookings` by the terms, then by the default order.
    pub(crate) fn sort(&self, bookings: &mut [TimeBooking]) {
        bookings.sort_by(|a, b| self.compare(a, b));
    }

    /// Compares two bookings by the terms, then by the default order.
    fn compare(&self, a: &TimeBooking, b: &TimeBooking) -> Ordering {
        self.terms
            .iter()
            .map(|term| compare_term(*term, a, b))
            .find(|ordering| ordering.is_ne())
            .unwrap_or_else(|| default_order(a, b))
    }
}

/// The default order: `createdOn`, then `id`.
pub(crate) fn default_order(a: &TimeBooking, b: &TimeBooking) -> Ordering {
    a.created_on.cmp(&b.created_on).then(a.id.cmp(&b.id))
}

/// Parses one `prop [asc|desc]` term.
fn parse_term(text: &str) -> Result<OrderTerm, ApiError> {
    let (name, descending) = split_term(text)?;
    Ok(OrderTerm {
        key: parse_key(name)?,
        descending,
    })
}

/// Splits one `prop [asc|desc]` term into the property name and whether it
/// sorts descending. Shared with the time-entry order.
pub(crate) fn split_term(text: &str) -> Result<(&str, bool), ApiError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (name, direction) = match words.as_slice() {
        [name] => (*name, "asc"),
        [name, direction] => (*name, *direction),
        _ => {
            return Err(ApiError::invalid_filter(format!(
                "Invalid order term '{text}'."
            )));
        }
    };
    Ok((name, parse_direction(direction)?))
}

/// Maps a property name to its sort key.
fn parse_key(name: &str) -> Result<SortKey, ApiError> {
    let key = match name.to_ascii_lowercase().as_str() {
        "startdate" => SortKey::StartDate,
        "enddate" => SortKey::EndDate,
        "duration" => SortKey::Duration,
        "createdon" => SortKey::CreatedOn,
        "laneorder" => SortKey::LaneOrder,
        "userid" => SortKey::UserId,
        _ => {
            return Err(ApiError::invalid_filter(format!(
                "Cannot order by unknown property '{name}'."
            )));
        }
    };
    Ok(key)
}

/// `asc` → false, `desc` → true (case-insensitive).
fn parse_direction(word: &str) -> Result<bool, ApiError> {
    match word.to_ascii_lowercase().as_str() {
        "asc" => Ok(false),
        "desc" => Ok(true),
        _ => Err(ApiError::invalid_filter(format!(
            "Unknown order direction '{word}'; use asc or desc."
        ))),
    }
}

/// Compares two bookings by one term.
fn compare_term(term: OrderTerm, a: &TimeBooking, b: &TimeBooking) -> Ordering {
    let ordering = match term.key {
        SortKey::StartDate => a.start_date.cmp(&b.start_date),
        SortKey::EndDate => a.end_date.cmp(&b.end_date),
        SortKey::Duration => a.duration.cmp(&b.duration),
        SortKey::CreatedOn => a.created_on.cmp(&b.created_on),
        SortKey::LaneOrder => a.lane_order.cmp(&b.lane_order),
        SortKey::UserId => a.user_id.cmp(&b.user_id),
    };
    if term.descending {
        ordering.reverse()
    } else {
        ordering
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_with_optional_direction() {
        let order = OrderBy::parse("startDate desc,DURATION,laneorder ASC").unwrap();
        assert_eq!(
            order.terms,
            vec![
                OrderTerm {
                    key: SortKey::StartDate,
                    descending: true
                },
                OrderTerm {
                    key: SortKey::Duration,
                    descending: false
                },
                OrderTerm {
                    key: SortKey::LaneOrder,
                    descending: false
                },
            ]
        );
    }

    #[test]
    fn rejects_unknown_properties_directions_and_empty_terms() {
        for bad in [
            "name",
            "startDate up",
            "startDate,",
            "startDate desc extra",
            ",duration",
        ] {
            assert!(OrderBy::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
