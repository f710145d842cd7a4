//! The parts of a request every behaviour reads: the decoded query and the body.

use bytes::Bytes;
use serde_json::Value;

/// The decoded query parameters of one request. Names compare case-insensitively, as
/// awork's ASP.NET routing does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes a raw query string (`a=1&b=x%20y`; `+` is a space).
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|raw| {
                form_urlencoded::parse(raw.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self { pairs }
    }

    /// Parameters from pairs (tests and seeding).
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self {
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// Every value of parameter `name`, in request order.
    pub(crate) fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The first value of parameter `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A request body as the engine read it, by its content type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// No body, or an empty one.
    Empty,
    /// `application/json` (and `application/*+json`), parsed.
    Json(Value),
    /// `multipart/form-data`, read into its parts.
    Multipart(Vec<FormPart>),
    /// Anything else (a form-encoded OAuth request, say), as received.
    Raw { content_type: String, bytes: Bytes },
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormPart {
    /// The part's field name.
    pub(crate) name: String,
    /// The file name, for a file part.
    pub(crate) file_name: Option<String>,
    /// The part's content type, if it names one.
    pub(crate) content_type: Option<String>,
    /// The part's bytes.
    pub(crate) bytes: Bytes,
}

impl Body {
    /// The JSON document, if the body is one.
    pub(crate) fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(value) => Some(value),
            _ => None,
        }
    }

    /// The multipart part named `name` (as awork binds forms: any letter case).
    pub(crate) fn part(&self, name: &str) -> Option<&FormPart> {
        match self {
            Self::Multipart(parts) => parts.iter().find(|p| p.name.eq_ignore_ascii_case(name)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_takes_first_value() {
        let params = QueryParams::parse(Some("PageSize=5&pagesize=9&q=a+b%26c"));
        assert_eq!(params.get("pageSize"), Some("5"));
        assert_eq!(params.get("page"), None);
        assert_eq!(params.get_all("PAGESIZE").collect::<Vec<_>>(), ["5", "9"]);
        assert_eq!(params.get("Q"), Some("a b&c"));
    }
}
