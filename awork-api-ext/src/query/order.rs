//! `orderby`: sort keys with a direction, joined by commas without spaces.

use super::{Path, QueryError};

/// An `orderby` expression such as `lastName asc,firstName desc`.
///
/// Start with [`OrderBy::asc`], [`OrderBy::desc`] or [`OrderBy::raw`] and add keys
/// with the `then_…` methods; get the text with [`build`](OrderBy::build) or
/// `String::try_from`. The direction is always written, `asc` included, so the text
/// says what it does. A bad property path is kept and reported by `build` (the first
/// one), so a broken expression is never produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy(Result<Vec<Key>, QueryError>);

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Sorted(Path, Direction),
    Raw(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Asc,
    Desc,
}

impl Direction {
    fn word(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }
}

impl OrderBy {
    /// Smallest first by `path`: `path asc`.
    pub fn asc(path: impl AsRef<str>) -> OrderBy {
        OrderBy::key(path.as_ref(), Direction::Asc)
    }

    /// Largest first by `path`: `path desc`.
    pub fn desc(path: impl AsRef<str>) -> OrderBy {
        OrderBy::key(path.as_ref(), Direction::Desc)
    }

    /// Text used as it is, without any check, for example `lastName,firstName desc`.
    pub fn raw(text: impl Into<String>) -> OrderBy {
        OrderBy(Ok(vec![Key::Raw(text.into())]))
    }

    /// Then, among equal keys so far, smallest first by `path`.
    pub fn then_asc(self, path: impl AsRef<str>) -> OrderBy {
        self.then(OrderBy::asc(path))
    }

    /// Then, among equal keys so far, largest first by `path`.
    pub fn then_desc(self, path: impl AsRef<str>) -> OrderBy {
        self.then(OrderBy::desc(path))
    }

    /// Then by the keys of `next`, in their order.
    pub fn then(self, next: OrderBy) -> OrderBy {
        match (self.0, next.0) {
            (Ok(mut keys), Ok(more)) => {
                keys.extend(more);
                OrderBy(Ok(keys))
            }
            (Err(e), _) | (_, Err(e)) => OrderBy(Err(e)),
        }
    }

    /// The expression text, or the first bad property path in it.
    pub fn build(&self) -> Result<String, QueryError> {
        let keys = self.0.as_ref().map_err(Clone::clone)?;
        let parts: Vec<String> = keys.iter().map(key_text).collect();
        Ok(parts.join(","))
    }

    fn key(path: &str, direction: Direction) -> OrderBy {
        OrderBy(Path::parse(path).map(|path| vec![Key::Sorted(path, direction)]))
    }
}

fn key_text(key: &Key) -> String {
    match key {
        Key::Sorted(path, direction) => format!("{} {}", path.as_str(), direction.word()),
        Key::Raw(text) => text.clone(),
    }
}

impl TryFrom<OrderBy> for String {
    type Error = QueryError;

    /// Same as [`OrderBy::build`].
    fn try_from(order: OrderBy) -> Result<String, QueryError> {
        order.build()
    }
}

impl TryFrom<&OrderBy> for String {
    type Error = QueryError;

    /// Same as [`OrderBy::build`].
    fn try_from(order: &OrderBy) -> Result<String, QueryError> {
        order.build()
    }
}
