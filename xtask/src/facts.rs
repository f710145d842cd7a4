//! Doc lines for each generated operation, written in our words from the document's
//! facts (progenitor already names the method and path): whether it is paged, who may
//! call it (`x-access`), the plan it needs (`x-subscriptionlevel`), whether awork
//! deprecated it, whether it may answer without a body (see `one_success_type`), and the
//! Cargo feature that compiles it. awork's own summaries are not vendored, so these
//! lines are what a reader of the docs gets besides progenitor's example.

use crate::json;
use serde_json::Value;
use std::collections::BTreeMap;

/// Method name (snake-case operationId) → doc lines, one paragraph each.
pub fn operation_docs(
    doc: &Value,
    areas: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, Vec<String>> {
    use heck::ToSnakeCase;
    json::operations(doc)
        .into_iter()
        .filter_map(|op| {
            let method = json::operation_id(doc, &op).to_snake_case();
            let operation = json::operation(doc, &op)?;
            let mut lines = Vec::new();
            let params = parameter_names(doc, operation);
            if params.contains(&"page") && params.contains(&"pageSize") {
                let mut line = "Paged: `page` (from 1) and `pageSize` (at most 1000) pick the page"
                    .to_string();
                if params.contains(&"filterby") && params.contains(&"orderby") {
                    line.push_str("; `filterby` and `orderby` narrow and sort it");
                }
                line.push('.');
                lines.push(line);
            }
            if let Some(access) = operation.get("x-access").and_then(access_line) {
                lines.push(access);
            }
            if let Some(plan) = operation
                .get("x-subscriptionlevel")
                .and_then(|l| l.get("minimumPlan"))
                .and_then(Value::as_str)
            {
                lines.push(format!("Needs the awork plan `{plan}` or a higher one."));
            }
            if operation.get("deprecated").and_then(Value::as_bool) == Some(true) {
                lines.push(
                    "Deprecated by awork: it may go away in a later version of the API."
                        .to_string(),
                );
            }
            if let Some(line) = operation
                .get(crate::normalize::BODILESS_SUCCESS)
                .and_then(bodiless_line)
            {
                lines.push(line);
            }
            if let Some(area) = areas.and_then(|a| a.get(&method)) {
                lines.push(format!("Compiled with the Cargo feature `{area}`."));
            }
            Some((method, lines))
        })
        .collect()
}

/// The bodiless 2xx statuses `one_success_type` dropped, in a sentence.
fn bodiless_line(statuses: &Value) -> Option<String> {
    let statuses: Vec<&str> = statuses
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if statuses.is_empty() {
        return None;
    }
    Some(format!(
        "awork may also answer {} with no body (nothing to return): `send()` then fails with \
         `Error::UnexpectedResponse`, and awork-api-ext's `.call_optional()` returns `None`.",
        statuses.join(" or ")
    ))
}

/// The names of the operation's parameters, references resolved.
fn parameter_names<'a>(
    doc: &'a Value,
    operation: &'a serde_json::Map<String, Value>,
) -> Vec<&'a str> {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(|params| {
            params
                .iter()
                .filter_map(|p| json::resolve(doc, p).get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// `x-access` in a sentence: `{"any": "true"}`, `{"anonymous": "true"}`, or `admin`,
/// `owner` and feature permissions (`"project-manage-config": "write"`), any of which
/// grants access.
fn access_line(access: &Value) -> Option<String> {
    let map = access.as_object()?;
    let flag = |key: &str| map.get(key).and_then(Value::as_str) == Some("true");
    if flag("anonymous") {
        return Some("Access: no sign-in needed.".to_string());
    }
    if flag("any") {
        return Some("Access: any signed-in user.".to_string());
    }
    let mut who = Vec::new();
    if flag("admin") {
        who.push("workspace admins".to_string());
    }
    if flag("owner") {
        who.push("the user the data belongs to".to_string());
    }
    for (permission, level) in map {
        if let ("admin" | "owner", _) = (permission.as_str(), level) {
            continue;
        }
        if let Some(level) = level.as_str() {
            who.push(format!("users with the permission `{permission}: {level}`"));
        }
    }
    match who.is_empty() {
        true => None,
        false => Some(format!("Access: {}.", who.join(", or "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_become_sentences() {
        let doc = json!({
            "components": {"parameters": {"page": {"name": "page", "in": "query"}}},
            "paths": {
                "/projects": {"get": {
                    "operationId": "GetProjects",
                    "parameters": [{"$ref": "#/components/parameters/page"}, {"name": "pageSize", "in": "query"}],
                    "x-access": {"any": "true"}
                }},
                "/projects/{id}/x": {"post": {
                    "operationId": "PostX",
                    "x-access": {"admin": "true", "project-manage-config": "write"},
                    "x-subscriptionlevel": {"minimumPlan": "standard"},
                    "deprecated": true
                }},
                "/me/last": {"get": {
                    "operationId": "GetLast",
                    "x-awork-rs-bodiless-success": ["204"]
                }}
            }
        });
        let areas = BTreeMap::from([("get_projects".to_string(), "projects".to_string())]);
        let docs = operation_docs(&doc, Some(&areas));
        assert_eq!(
            docs["get_projects"][0],
            "Paged: `page` (from 1) and `pageSize` (at most 1000) pick the page."
        );
        assert_eq!(docs["get_projects"][1], "Access: any signed-in user.");
        assert_eq!(
            docs["get_projects"][2],
            "Compiled with the Cargo feature `projects`."
        );
        assert_eq!(
            docs["post_x"],
            [
                "Access: workspace admins, or users with the permission `project-manage-config: write`.",
                "Needs the awork plan `standard` or a higher one.",
                "Deprecated by awork: it may go away in a later version of the API."
            ]
        );
        assert_eq!(
            docs["get_last"],
            [
                "awork may also answer 204 with no body (nothing to return): `send()` then fails \
              with `Error::UnexpectedResponse`, and awork-api-ext's `.call_optional()` returns \
              `None`."
            ]
        );
    }
}
