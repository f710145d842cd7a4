//! `orderby`: comma-separated `path [asc|desc]` terms over any property.

use std::cmp::Ordering;

use serde_json::Value;

use super::filter::{compare_json, property};

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    path: Vec<String>,
    descending: bool,
}

/// A parsed `orderby`; empty keeps the stored order (creation order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Order {
    terms: Vec<Term>,
}

impl Order {
    /// Reads `LastName,FirstName desc` or `ProjectStatus/Type desc`.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        for raw in text.split(',') {
            let words: Vec<&str> = raw.split_whitespace().collect();
            let (path, descending) = match words.as_slice() {
                [path] => (*path, false),
                [path, dir] if dir.eq_ignore_ascii_case("asc") => (*path, false),
                [path, dir] if dir.eq_ignore_ascii_case("desc") => (*path, true),
                [] => return Err("an orderby term is empty".into()),
                _ => return Err(format!("'{}' is not 'property [asc|desc]'", raw.trim())),
            };
            let path: Vec<String> = path.split('/').map(str::to_owned).collect();
            if path.iter().any(|name| !is_name(name)) {
                return Err(format!("'{}' is not a property path", path.join("/")));
            }
            terms.push(Term { path, descending });
        }
        Ok(Self { terms })
    }

    /// The property paths it sorts by.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &[String]> {
        self.terms.iter().map(|term| term.path.as_slice())
    }

    /// Sorts `items` (stable: equal items keep their order). `null` and missing values
    /// come first when ascending.
    pub(crate) fn sort(&self, items: &mut [Value]) {
        if self.terms.is_empty() {
            return;
        }
        items.sort_by(|a, b| {
            for term in &self.terms {
                let order = order_of(at(a, &term.path), at(b, &term.path));
                let order = if term.descending {
                    order.reverse()
                } else {
                    order
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn at<'a>(item: &'a Value, path: &[String]) -> &'a Value {
    path.iter()
        .try_fold(item, |value, name| property(value, name))
        .unwrap_or(&Value::Null)
}

fn order_of(a: &Value, b: &Value) -> Ordering {
    match (a.is_null(), b.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => compare_json(a, b).unwrap_or(Ordering::Equal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_by_several_terms_stably_with_nulls_first() {
        let mut items = vec![
            json!({"n": "b", "d": 2, "k": 1}),
            json!({"n": "A", "d": 1, "k": 2}),
            json!({"n": "a", "d": 3, "k": 3}),
            json!({"n": null, "d": 9, "k": 4}),
        ];
        Order::parse("N,d desc").unwrap().sort(&mut items);
        let keys: Vec<i64> = items.iter().map(|i| i["k"].as_i64().unwrap()).collect();
        assert_eq!(keys, [4, 3, 2, 1]);
    }

    #[test]
    fn nested_paths_and_dates() {
        let mut items = vec![
            json!({"s": {"on": "2024-05-07T00:00:00Z"}}),
            json!({"s": {"on": "2024-05-06T23:00:00-02:00"}}),
        ];
        Order::parse("s/on asc").unwrap().sort(&mut items);
        assert_eq!(
            items[0]["s"]["on"], "2024-05-07T00:00:00Z",
            "compared as instants"
        );
    }

    #[test]
    fn refuses_what_is_no_term() {
        assert!(Order::parse("name sideways").is_err());
        assert!(Order::parse("name,").is_err());
        assert!(Order::parse("na-me").is_err());
    }
}
