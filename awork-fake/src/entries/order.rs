//! `orderby` for time entries: `prop [asc|desc]` terms over `startDate`,
//! `endDate`, `duration` and `createdOn` (case-insensitive). An entry
//! without an end (running or date-only) sorts before every end, as SQL
//! Server puts nulls first. Ties, and the default order, go by `createdOn`
//! then `id`.

use std::cmp::Ordering;

use super::model::TimeEntry;
use crate::errors::ApiError;
use crate::order::split_term;

/// A property entries can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    StartDate,
    EndDate,
    Duration,
    CreatedOn,
}

/// One `prop [asc|desc]` term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OrderTerm {
    key: SortKey,
    descending: bool,
}

/// A parsed `orderby` expression for entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntryOrder {
    terms: Vec<OrderTerm>,
}

impl EntryOrder {
    /// Parses an `orderby` value; empty text means the default order.
    pub(crate) fn parse(text: &str) -> Result<Self, ApiError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let terms = text
            .split(',')
            .map(|term| {
                let (name, descending) = split_term(term)?;
                Ok(OrderTerm {
                    key: parse_key(name)?,
                    descending,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Self { terms })
    }

    /// Sorts `entries` by the terms, then by the default order.
    pub(crate) fn sort(&self, entries: &mut [TimeEntry]) {
        entries.sort_by(|a, b| {
            self.terms
                .iter()
                .map(|term| compare_term(*term, a, b))
                .find(|ordering| ordering.is_ne())
                .unwrap_or_else(|| default_order(a, b))
        });
    }
}

/// The default order: `createdOn`, then `id`.
pub(crate) fn default_order(a: &TimeEntry, b: &TimeEntry) -> Ordering {
    a.created_on.cmp(&b.created_on).then(a.id.cmp(&b.id))
}

/// Maps a property name to its sort key.
fn parse_key(name: &str) -> Result<SortKey, ApiError> {
    match name.to_ascii_lowercase().as_str() {
        "startdate" => Ok(SortKey::StartDate),
        "enddate" => Ok(SortKey::EndDate),
        "duration" => Ok(SortKey::Duration),
        "createdon" => Ok(SortKey::CreatedOn),
        _ => Err(ApiError::invalid_filter(format!(
            "Cannot order time entries by property '{name}'."
        ))),
    }
}

/// Compares two entries by one term.
fn compare_term(term: OrderTerm, a: &TimeEntry, b: &TimeEntry) -> Ordering {
    let ordering = match term.key {
        SortKey::StartDate => a.start_date.cmp(&b.start_date),
        SortKey::EndDate => a.end_date.cmp(&b.end_date),
        SortKey::Duration => a.duration.cmp(&b.duration),
        SortKey::CreatedOn => a.created_on.cmp(&b.created_on),
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
    fn parses_the_four_keys_in_any_case() {
        let order = EntryOrder::parse("STARTDATE desc,endDate,duration asc,createdon").unwrap();
        assert_eq!(order.terms.len(), 4);
        assert!(order.terms[0].descending);
        assert_eq!(order.terms[1].key, SortKey::EndDate);
    }

    #[test]
    fn rejects_other_properties_and_directions() {
        for bad in [
            "laneOrder",
            "userId",
            "startDate up",
            "duration,",
            "note desc",
        ] {
            assert!(EntryOrder::parse(bad).is_err(), "{bad}");
        }
    }
}
