//! Query-string access with case-insensitive parameter names (as ASP.NET does).

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use crate::errors::{ApiError, ValidationError};

/// The decoded query parameters of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Wraps axum's decoded pairs; a query that cannot be decoded is a validation error.
    pub(crate) fn from_extractor(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Self, ApiError> {
        match query {
            Ok(Query(pairs)) => Ok(Self { pairs }),
            Err(rejection) => Err(ApiError::validation(vec![ValidationError::new(
                "query",
                rejection.body_text(),
            )])),
        }
    }

    /// Every value of parameter `name`, compared case-insensitively, in request order.
    pub(crate) fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The first value of parameter `name`, compared case-insensitively.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::QueryParams;

    #[test]
    fn lookup_ignores_case_and_takes_first_value() {
        let params = QueryParams {
            pairs: vec![
                ("PageSize".into(), "5".into()),
                ("pagesize".into(), "9".into()),
            ],
        };
        assert_eq!(params.get("pageSize"), Some("5"));
        assert_eq!(params.get("page"), None);
        assert_eq!(params.get_all("PAGESIZE").collect::<Vec<_>>(), ["5", "9"]);
    }
}
