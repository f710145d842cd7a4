//! Matching a request path against the templates of a document.
//!
//! awork's routing ignores the case of fixed segments and prefers a fixed segment over
//! a parameter (`/projects/tags` is not `/projects/{projectId}`). Where two templates
//! differ only in a parameter's name (`/me/filters/{filterId}` and
//! `/me/filters/{entityType}`), a GUID goes to the one whose parameter is a GUID, as
//! ASP.NET's route constraints decide. A path whose template exists for other methods
//! only is told apart from an unknown path, so that the fake can answer 405 to one and
//! 404 to the other.

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
    WrongMethod {
        template: String,
        methods: Vec<Method>,
    },
    /// No template fits the path.
    NotFound,
}

/// One operation's template, as matching needs it.
#[derive(Debug, Clone)]
struct Candidate {
    index: usize,
    method: Method,
    segments: Vec<Segment>,
    template: String,
    /// The parameters declared as GUIDs.
    guids: Vec<String>,
}

/// The templates of one document, grouped by their number of segments.
#[derive(Debug, Default)]
pub(crate) struct RouteTable {
    by_length: HashMap<usize, Vec<Candidate>>,
}

impl RouteTable {
    /// Indexes the operations' templates.
    pub(crate) fn new(operations: &[Operation]) -> Self {
        let mut by_length: HashMap<usize, Vec<_>> = HashMap::new();
        for op in operations {
            let guids = op
                .parameters
                .iter()
                .filter(|p| {
                    p.schema.get("format").and_then(serde_json::Value::as_str) == Some("uuid")
                })
                .map(|p| p.name.clone())
                .collect();
            by_length
                .entry(op.segments.len())
                .or_default()
                .push(Candidate {
                    index: op.index,
                    method: op.method.clone(),
                    segments: op.segments.clone(),
                    template: op.template.clone(),
                    guids,
                });
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
        let fitting: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| fits(&c.segments, &parts))
            .collect();
        let best = fitting
            .iter()
            .filter(|c| c.method == method)
            .max_by_key(|c| (specificity(&c.segments), guids_kept(c, &parts)));
        match best {
            Some(c) => Matched::Operation {
                index: c.index,
                params: params(&c.segments, &parts),
            },
            None if fitting.is_empty() => Matched::NotFound,
            None => {
                let template = fitting
                    .iter()
                    .max_by_key(|c| specificity(&c.segments))
                    .map(|c| c.template.clone())
                    .unwrap_or_default();
                let mut methods: Vec<Method> = fitting.iter().map(|c| c.method.clone()).collect();
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
    segments
        .iter()
        .zip(parts)
        .all(|(segment, part)| match segment {
            Segment::Literal(text) => part.eq_ignore_ascii_case(text),
            Segment::Param(_) => !part.is_empty(),
        })
}

/// How well the path's values keep the candidate's GUID parameters: all of them kept
/// (2) beats no such parameter (1) beats one broken (0).
fn guids_kept(candidate: &Candidate, parts: &[String]) -> u8 {
    if candidate.guids.is_empty() {
        return 1;
    }
    let kept = params(&candidate.segments, parts)
        .iter()
        .filter(|(name, _)| candidate.guids.contains(name))
        .all(|(_, value)| uuid::Uuid::parse_str(value).is_ok());
    if kept { 2 } else { 0 }
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
            let guids = segs
                .iter()
                .filter_map(|s| match s {
                    Segment::Param(name) if name.ends_with("Id") => Some(name.clone()),
                    _ => None,
                })
                .collect();
            by_length.entry(segs.len()).or_default().push(Candidate {
                index,
                method: method.clone(),
                segments: segs,
                template: (*template).to_owned(),
                guids,
            });
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
            Matched::Operation {
                index: 1,
                params: vec![]
            }
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
    fn a_guid_goes_to_the_route_whose_parameter_is_a_guid() {
        let routes = table(&[
            ("/me/filters/{filterId}", Method::GET),
            ("/me/filters/{entityType}", Method::GET),
        ]);
        let id = "0a3c0de0-fa4e-4a11-8000-000000000001";
        let by_id = routes.find(&Method::GET, &format!("/me/filters/{id}"));
        assert!(
            matches!(by_id, Matched::Operation { index: 0, .. }),
            "{by_id:?}"
        );
        let by_type = routes.find(&Method::GET, "/me/filters/task");
        assert!(
            matches!(by_type, Matched::Operation { index: 1, .. }),
            "{by_type:?}"
        );
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
