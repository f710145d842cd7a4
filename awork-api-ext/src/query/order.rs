//! `orderby`: keys with a direction, joined by commas without spaces.

use super::{QueryError, check_path};

/// An `orderby` expression: `startDate desc,laneOrder asc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    keys: Vec<(String, Direction)>,
    raw: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Asc,
    Desc,
}

impl OrderBy {
    /// Ascending by `path`.
    pub fn asc(path: impl Into<String>) -> Self {
        Self {
            keys: vec![(path.into(), Direction::Asc)],
            raw: None,
        }
    }

    /// Descending by `path`.
    pub fn desc(path: impl Into<String>) -> Self {
        Self {
            keys: vec![(path.into(), Direction::Desc)],
            raw: None,
        }
    }

    /// Then ascending by `path`.
    pub fn then_asc(mut self, path: impl Into<String>) -> Self {
        self.keys.push((path.into(), Direction::Asc));
        self
    }

    /// Then descending by `path`.
    pub fn then_desc(mut self, path: impl Into<String>) -> Self {
        self.keys.push((path.into(), Direction::Desc));
        self
    }

    /// Text passed as it is, unchecked.
    pub fn raw(text: impl Into<String>) -> Self {
        Self {
            keys: Vec::new(),
            raw: Some(text.into()),
        }
    }

    /// The expression, or the first bad property path. The direction is always written.
    pub fn render(&self) -> Result<String, QueryError> {
        if let Some(raw) = &self.raw {
            return Ok(raw.clone());
        }
        let mut parts = Vec::with_capacity(self.keys.len());
        for (path, direction) in &self.keys {
            check_path(path)?;
            let word = match direction {
                Direction::Asc => "asc",
                Direction::Desc => "desc",
            };
            parts.push(format!("{path} {word}"));
        }
        Ok(parts.join(","))
    }
}

impl TryFrom<OrderBy> for String {
    type Error = QueryError;
    fn try_from(order: OrderBy) -> Result<String, QueryError> {
        order.render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_without_spaces_around_commas() {
        assert_eq!(
            OrderBy::asc("lastName")
                .then_desc("firstName")
                .render()
                .unwrap(),
            "lastName asc,firstName desc"
        );
        assert_eq!(
            OrderBy::desc("projectStatus/type").render().unwrap(),
            "projectStatus/type desc"
        );
        assert_eq!(
            OrderBy::raw("duration desc").render().unwrap(),
            "duration desc"
        );
        assert!(OrderBy::asc("a b").render().is_err());
    }
}
