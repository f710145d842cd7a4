//! Typed `filterby` and `orderby` expressions in awork's query language.
//!
//! awork's list endpoints narrow and sort their results with two query parameters
//! written in a language close to OData v2:
//!
//! * `filterby` is a condition. A comparison puts a property path on the left, an
//!   operator (`eq`, `ne`, `gt`, `lt`, `ge`, `le`) in the middle and a literal on the
//!   right: `company/name eq 'awork'`. `in` tests membership in a list, `and`, `or` and
//!   `not` combine conditions, and parentheses group them. There are text functions
//!   (`startswith(name,'Web')`, `endswith`, `substringof('x',name)`, `tolower(name)`)
//!   and collection tests (`tags/any(t: t/name eq 'x')`, `members/count() lt 10`).
//! * `orderby` lists sort keys, each a property path with `asc` or `desc`, joined by
//!   commas with no spaces: `lastName asc,firstName desc`.
//!
//! Literals are `null`, `true`/`false`, integers (`32`), floating-point numbers
//! (`2.029`), decimals (`2.345M`), strings in single quotes with an inner `'` written
//! twice (`'user''s task'`), `guid'…'` and `datetime'…'`. A few words stand for values
//! the server works out itself: `me.id`, `now`, `today`, `today-30d`, `sow`, `eow`,
//! `som` and `eom` (see [`Special`]).
//!
//! Writing these by hand invites mistakes: a stray quote in a user's input ends a
//! string early, a forgotten pair of parentheses changes what `and` and `or` mean. The
//! builders here quote every value, check every property path, and add parentheses
//! exactly where precedence needs them:
//!
//! ```
//! use awork_api_ext::query::{prop, Filter, OrderBy, Special};
//!
//! let filter = prop("userId").eq(Special::Me)
//!     .and(prop("startDate").ge(Special::TodayOffsetDays(-30)))
//!     .and(prop("description").startswith("O'Brien").or(prop("project/name").eq("Web")));
//! assert_eq!(
//!     filter.build().unwrap(),
//!     "userId eq me.id and startDate ge today-30d \
//!      and (startswith(description,'O''Brien') or project/name eq 'Web')"
//! );
//!
//! let order = OrderBy::desc("startDate").then_asc("project/name");
//! assert_eq!(order.build().unwrap(), "startDate desc,project/name asc");
//!
//! // A bad property path is never sent: it is reported when the text is asked for.
//! assert!(prop("start date").eq(1).build().is_err());
//! ```
//!
//! The builders produce the plain expression; percent-encoding belongs to the HTTP
//! layer, which encodes query parameters anyway. [`Filter`] and [`OrderBy`] convert
//! with `String::try_from`, so they can be handed straight to the generated request
//! builders (`.filterby(filter)`), which accept anything convertible to `String` and
//! fail the request if the conversion does. For what the builders do not cover,
//! [`Filter::raw`] and [`OrderBy::raw`] take text unchecked.

mod filter;
mod order;
#[cfg(test)]
mod tests;

pub use filter::{Count, Decimal, Filter, IntoValue, Lowered, Prop, Special, Value, prop};
pub use order::OrderBy;

/// A property path or value that cannot be written in awork's query language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The property path (or lambda variable) is not a `/`-separated list of names.
    #[error("invalid property {path:?}: {reason}")]
    InvalidProperty {
        /// The path as it was given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The value has no literal form (a NaN or infinite number, a malformed decimal,
    /// an empty `in` list).
    #[error("invalid value {value}: {reason}")]
    InvalidValue {
        /// The value as it was given.
        value: String,
        /// Why it cannot be written.
        reason: String,
    },
}

impl QueryError {
    fn property(path: &str, reason: impl Into<String>) -> Self {
        QueryError::InvalidProperty {
            path: path.to_string(),
            reason: reason.into(),
        }
    }

    fn value(value: impl Into<String>, reason: impl Into<String>) -> Self {
        QueryError::InvalidValue {
            value: value.into(),
            reason: reason.into(),
        }
    }
}

/// Anything usable as a `filterby` or `orderby` value: the typed builders (checked
/// here) or plain text (passed on as it is).
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
        self.build()
    }
}

impl Expression for &Filter {
    fn expression(self) -> Result<String, QueryError> {
        self.build()
    }
}

impl Expression for OrderBy {
    fn expression(self) -> Result<String, QueryError> {
        self.build()
    }
}

impl Expression for &OrderBy {
    fn expression(self) -> Result<String, QueryError> {
        self.build()
    }
}

/// Words the parser reads as operators or literals; a path starting with one of them
/// would be read as that word, not as a property.
const RESERVED: &[&str] = &[
    "and", "or", "not", "eq", "ne", "gt", "lt", "ge", "le", "in", "null", "true", "false", "now",
    "today", "sow", "eow", "som", "eom", "asc", "desc",
];

/// A checked property path: ASCII names joined by `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path(String);

impl Path {
    /// Checks `text`: one or more names joined by `/`, each a letter or `_` followed
    /// by letters, digits or `_`; the first name must not be a reserved word.
    pub(crate) fn parse(text: &str) -> Result<Path, QueryError> {
        if text.is_empty() {
            return Err(QueryError::property(text, "the path is empty"));
        }
        for (index, segment) in text.split('/').enumerate() {
            check_name(segment, index + 1).map_err(|reason| QueryError::property(text, reason))?;
        }
        check_not_reserved(text)?;
        Ok(Path(text.to_string()))
    }

    /// Checks a lambda variable (`t` in `tags/any(t: …)`): a single name.
    pub(crate) fn variable(text: &str) -> Result<Path, QueryError> {
        if text.contains('/') {
            return Err(QueryError::property(
                text,
                "a lambda variable is a single name, without '/'",
            ));
        }
        Path::parse(text)
    }

    /// The path as written in the expression.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks one name of a path; `position` counts from 1 for the message.
fn check_name(segment: &str, position: usize) -> Result<(), String> {
    let mut chars = segment.chars();
    let Some(first) = chars.next() else {
        return Err(format!("name {position} is empty"));
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!(
            "name {segment:?} starts with {first:?}; a name starts with a letter or '_'"
        ));
    }
    match chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        Some(bad) => Err(format!(
            "name {segment:?} contains {bad:?}; a name holds only ASCII letters, digits and '_'"
        )),
        None => Ok(()),
    }
}

/// Rejects a path whose first name the parser would take for a keyword or literal.
fn check_not_reserved(text: &str) -> Result<(), QueryError> {
    let first = text.split('/').next().unwrap_or(text);
    if RESERVED.contains(&first) {
        return Err(QueryError::property(
            text,
            format!("{first:?} is a reserved word of the query language"),
        ));
    }
    Ok(())
}
