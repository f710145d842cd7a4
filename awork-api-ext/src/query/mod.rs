//! Typed `filterby` and `orderby` expressions in awork's syntax.
//!
//! awork narrows and sorts lists with two query parameters written in an
//! OData-like language: `filterby=userId eq guid'…' and startDate ge datetime'2024-05-01'`
//! and `orderby=startDate desc,laneOrder`. Building them by hand invites quoting
//! bugs; these builders quote every value (a `'` inside a string is doubled, so a
//! value can never end its literal early), check property paths, and add parentheses
//! where precedence needs them.
//!
//! ```
//! use awork_api_ext::query::{prop, Special, OrderBy};
//! let filter = prop("userId").eq(Special::Me)
//!     .and(prop("startDate").ge(Special::TodayOffsetDays(-30)))
//!     .and(prop("description").startswith("O'Brien").or(prop("project/name").eq("Web")))
//!     .render()
//!     .unwrap();
//! assert_eq!(
//!     filter,
//!     "userId eq me.id and startDate ge today-30d and (startswith(description,'O''Brien') or project/name eq 'Web')"
//! );
//! assert_eq!(OrderBy::desc("startDate").then_asc("laneOrder").render().unwrap(), "startDate desc,laneOrder asc");
//! ```
//!
//! Percent-encoding is left to the HTTP layer, which encodes query parameters. For what
//! the builders do not cover, [`Filter::raw`] and [`OrderBy::raw`] take text as it is.

mod filter;
mod order;

pub use filter::{CountOp, Filter, Prop, Special, Value, prop};
pub use order::OrderBy;

/// Anything usable as a `filterby` or `orderby` value: typed builders (checked when
/// converted) or plain text (passed as it is).
pub trait Expression {
    /// The expression text, or why it cannot be written.
    fn expression(self) -> Result<String, QueryError>;
}

impl Expression for &str {
    fn expression(self) -> Result<String, QueryError> {
        Ok(self.to_string())
    }
}

impl Expression for String {
    fn expression(self) -> Result<String, QueryError> {
        Ok(self)
    }
}

impl Expression for Filter {
    fn expression(self) -> Result<String, QueryError> {
        self.render()
    }
}

impl Expression for OrderBy {
    fn expression(self) -> Result<String, QueryError> {
        self.render()
    }
}

/// A property path or value that cannot be written in awork's syntax.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A property path that is not `name` or `name/name/…` of identifiers.
    #[error("invalid property {path:?}: {reason}")]
    InvalidProperty {
        /// The path given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value with no literal form (NaN or infinite numbers).
    #[error("invalid value {value}: {reason}")]
    InvalidValue {
        /// The value given.
        value: String,
        /// Why it cannot be written.
        reason: String,
    },
}

impl From<QueryError> for crate::Error {
    /// A bad filter or order is a validation error of `filterby` / `orderby`.
    fn from(e: QueryError) -> Self {
        crate::Error::validation("filterby/orderby", e.to_string())
    }
}

/// Checks `path`: identifiers (a letter or `_`, then letters, digits, `_`) joined by `/`.
pub(crate) fn check_path(path: &str) -> Result<(), QueryError> {
    let bad = |reason: &str| {
        Err(QueryError::InvalidProperty {
            path: path.into(),
            reason: reason.into(),
        })
    };
    if path.is_empty() {
        return bad("it is empty");
    }
    for segment in path.split('/') {
        let mut chars = segment.chars();
        match chars.next() {
            None => return bad("it has an empty segment"),
            Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
                return bad("a segment starts with neither a letter nor '_'");
            }
            _ => {}
        }
        if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return bad("only letters, digits, '_' and '/' are allowed");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        assert!(check_path("userId").is_ok());
        assert!(check_path("project/projectStatus/type").is_ok());
        assert!(check_path("_x1").is_ok());
        for bad in ["", "a//b", "a b", "1abc", "a/", "name'", "a-b"] {
            assert!(check_path(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            check_path("a//b").unwrap_err().to_string(),
            "invalid property \"a//b\": it has an empty segment"
        );
    }
}
