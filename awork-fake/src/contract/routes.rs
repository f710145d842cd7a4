//! Matching a request path against the templates of a document.
//!
//! awork's routing ignores the case of fixed segments and prefers a fixed segment over
//! a parameter (`/projects/tags` is not `/projects/{projectId}`). A path whose template
//! exists for other methods only is told apart from an unknown path, so that the fake
//! can answer 405 to one and 404 to the other.

use std::collections::HashMap;

use axum::http::Method;
use percent_encoding::percent_decode_str;

use super::operation::{Operation, Segment};

/// What a path matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Matched {
    /// Operation `index` of the document, with the path parameters (decoded).
    Operation {
        index: usize,
        params: Vec<(String, String)>,
    },
    /// The path exists, but not for this method: the template it fits, and the methods
    /// that serve it (`GET`, `PUT`, `POST`, `DELETE`, then others).
    WrongMethod { template: String, methods: Vec<Method> },
    /// No template fits the path.
    NotFound,
}

/// The templates of one document, grouped by their number of segments.
#[derive(Debug, Default)]
pub(crate) struct RouteTable {
    by_length: HashMap<usize, Vec<(usize, Method, Vec<Segment>, String)>>,
}

impl RouteTable {
    /// Indexes the operations' templates.
    pub(crate) fn new(operations: &[Operation]) -> Self {
        let mut by_length: HashMap<usize, Vec<_>> = HashMap::new();
        for op in operations {
            by_length.entry(op.segments.len()).or_default().push((
                op.index,
                op.method.clone(),
                op.segments.clone(),
                op.template.clone(),
            ));
        }
        Self { by_length }
    }

    /// The operation serving `method` on `path` (below the base path, raw from the URL).
    pub(crate) fn find(&self, method: &Method, path: &str) -> Matched {
        let parts: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let Some(candidates) = self.by_length.get(&parts.len()) else {
            return Matched::NotFound;
        };
        let fitting: Vec<&(usize, Method, Vec<Segment>, String)> = candidates
            .iter()
            .filter(|(_, _, segments, _)| fits(segments, &parts))
            .collect();
        let best = fitting
            .iter()
            .filter(|(_, m, _, _)| m == method)
            .max_by_key(|(_, _, segments, _)| specificity(segments));
        match best {
            Some((index, _, segments, _)) => Matched::Operation {
                index: *index,
                params: params(segments, &parts),
            },
            None if fitting.is_empty() => Matched::NotFound,
            None => {
                let template = fitting
                    .iter()
                    .max_by_key(|(_, _, segments, _)| specificity(segments))
                    .map(|(_, _, _, template)| template.clone())
                    .unwrap_or_default();
                let mut methods: Vec<Method> = fitting.iter().map(|(_, m, _, _)| m.clone()).collect();
                methods.sort_by_key(method_rank);
                methods.dedup();
                Matched::WrongMethod { template, methods }
            }
        }
    }
}

/// The order methods are listed in `Allow`.
fn method_rank(method: &Method) -> usize {
    [Method::GET, Method::PUT, Method::POST, Method::DELETE]
        .iter()
        .position(|m| m == method)
        .unwrap_or(usize::MAX)
}

/// Whether every fixed segment equals its part, ignoring case.
fn fits(segments: &[Segment], parts: &[String]) -> bool {
    segments.iter().zip(parts).all(|(segment, part)| match segment {
        Segment::Literal(text) => part.eq_ignore_ascii_case(text),
        Segment::Param(_) => !part.is_empty(),
    })
}

/// Fixed segments beat parameters, earlier ones first.
fn specificity(segments: &[Segment]) -> Vec<bool> {
    segments
        .iter()
        .map(|s| matches!(s, Segment::Literal(_)))
        .collect()
}

fn params(segments: &[Segment], parts: &[String]) -> Vec<(String, String)> {
    segments
        .iter()
        .zip(parts)
        .filter_map(|(segment, part)| match segment {
            Segment::Param(name) => Some((name.clone(), part.clone())),
            Segment::Literal(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::operation::segments;

    fn table(templates: &[(&str, Method)]) -> RouteTable {
        let mut by_length: HashMap<usize, Vec<_>> = HashMap::new();
        for (index, (template, method)) in templates.iter().enumerate() {
            let segs = segments(template);
            by_length
                .entry(segs.len())
                .or_default()
                .push((index, method.clone(), segs, (*template).to_owned()));
        }
        RouteTable { by_length }
    }

    #[test]
    fn fixed_segments_win_over_parameters_and_case_is_ignored() {
        let routes = table(&[
            ("/projects/{projectId}", Method::GET),
            ("/projects/tags", Method::GET),
        ]);
        assert_eq!(
            routes.find(&Method::GET, "/Projects/TAGS"),
            Matched::Operation { index: 1, params: vec![] }
        );
        assert_eq!(
            routes.find(&Method::GET, "/projects/a%20b"),
            Matched::Operation {
                index: 0,
                params: vec![("projectId".into(), "a b".into())]
            }
        );
    }

    #[test]
    fn another_method_on_a_known_path_is_told_apart_from_an_unknown_path() {
        let routes = table(&[
            ("/items/{id}", Method::PUT),
            ("/items/{id}", Method::DELETE),
        ]);
        assert_eq!(
            routes.find(&Method::GET, "/items/1"),
            Matched::WrongMethod {
                template: "/items/{id}".into(),
                methods: vec![Method::PUT, Method::DELETE]
            }
        );
        assert_eq!(routes.find(&Method::GET, "/items/1/x"), Matched::NotFound);
        assert_eq!(routes.find(&Method::GET, "/"), Matched::NotFound);
    }

    #[test]
    fn a_parameter_route_serves_a_method_the_fixed_one_lacks() {
        let routes = table(&[
            ("/projects/tags", Method::GET),
            ("/projects/{projectId}", Method::PUT),
        ]);
        assert_eq!(
            routes.find(&Method::PUT, "/projects/tags"),
            Matched::Operation {
                index: 1,
                params: vec![("projectId".into(), "tags".into())]
            }
        );
    }
}
