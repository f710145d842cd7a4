//! The `application/x-www-form-urlencoded` body of a token request.

/// The decoded parameters of a form body; each name at most once.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes `body`; a parameter given twice is an error (RFC 6749 §3.2),
    /// returned as its name.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(body) {
            if pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(name.into_owned());
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(Self { pairs })
    }

    /// The value of `name`, if given and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn decodes_values_and_refuses_repeated_names() {
        let form = Form::parse(b"a=x+y&b=%2F&c=").unwrap();
        assert_eq!(form.get("a"), Some("x y"));
        assert_eq!(form.get("b"), Some("/"));
        assert_eq!(form.get("c"), None);
        assert_eq!(Form::parse(b"a=1&a=2").unwrap_err(), "a");
    }
}
