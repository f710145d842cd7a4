//! operationIds and tags: progenitor names methods after operationIds, which must
//! exist and be unique.

use super::Ctx;
use crate::json::{self, OpRef};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// An operation without an operationId gets `<Method><Path in PascalCase>`, with
/// `By<Param>` for path parameters: `GET /users/{userId}` → `GetUsersByUserId`.
/// (awork's 2024 documents had no operationIds at all.)
pub fn synthesize_operation_ids(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        if !json::operation_id(doc, &op).is_empty() {
            continue;
        }
        let id = format!("{}{}", pascal(&op.method), path_words(&op.path).concat());
        if let Some(o) = json::operation_mut(doc, &op) {
            o.insert("operationId".into(), json!(id));
        }
        ctx.places.push(format!("{op} → {id}"));
    }
}

/// operationIds used by several operations get a suffix made of the path segments that
/// tell them apart: `GetPublicToken` on `/tasks/{taskId}/files/{fileId}/shareurl` becomes
/// `GetPublicTokenTasks`. Every member of a group is renamed, so names do not depend
/// on the order in which awork lists the paths.
pub fn dedupe_operation_ids(doc: &mut Value, ctx: &mut Ctx) {
    let mut groups: BTreeMap<String, Vec<OpRef>> = BTreeMap::new();
    for op in json::operations(doc) {
        groups
            .entry(json::operation_id(doc, &op))
            .or_default()
            .push(op);
    }
    let mut taken: BTreeSet<String> = groups.keys().cloned().collect();
    for (id, ops) in groups.into_iter().filter(|(_, ops)| ops.len() > 1) {
        for (op, new_id) in distinct_names(&id, &ops, &mut taken) {
            if let Some(o) = json::operation_mut(doc, &op) {
                o.insert("operationId".into(), json!(new_id));
            }
            ctx.places.push(format!("{op}: {id} → {new_id}"));
        }
    }
}

fn distinct_names(id: &str, ops: &[OpRef], taken: &mut BTreeSet<String>) -> Vec<(OpRef, String)> {
    let segment_lists: Vec<Vec<String>> = ops.iter().map(|op| static_segments(&op.path)).collect();
    let common: BTreeSet<&String> = segment_lists
        .iter()
        .map(|s| s.iter().collect::<BTreeSet<_>>())
        .reduce(|a, b| a.intersection(&b).copied().collect())
        .unwrap_or_default();
    ops.iter()
        .zip(&segment_lists)
        .map(|(op, segments)| {
            let suffix: String = segments
                .iter()
                .filter(|s| !common.contains(s))
                .map(|s| pascal(s))
                .collect();
            let mut name = format!("{id}{suffix}");
            if taken.contains(&name) {
                name.push_str(&pascal(&op.method));
            }
            let base = name.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            (op.clone(), name)
        })
        .collect()
}

/// Method names the generated `Client` already has: its constructors, the accessors of
/// progenitor's `ClientInfo` trait and the hooks of `ClientHooks` that every operation's
/// `send()` calls. An operation named like one of them (awork's `POST /invitations` was
/// `Post` for months) would shadow or clash with it and the crate would not compile.
/// Taken from progenitor 0.15's generator and progenitor-client's traits.
pub const RESERVED_METHOD_NAMES: [&str; 9] = [
    "new",
    "new_with_client",
    "api_version",
    "baseurl",
    "client",
    "inner",
    "pre",
    "post",
    "exec",
];

/// An operationId whose method name is reserved gets its path's words appended:
/// `Post` on `/invitations` becomes `PostInvitations`.
pub fn avoid_reserved_method_names(doc: &mut Value, ctx: &mut Ctx) {
    use heck::ToSnakeCase;
    let mut taken: BTreeSet<String> = json::operations(doc)
        .iter()
        .map(|op| json::operation_id(doc, op))
        .collect();
    for op in json::operations(doc) {
        let id = json::operation_id(doc, &op);
        if !RESERVED_METHOD_NAMES.contains(&id.to_snake_case().as_str()) {
            continue;
        }
        let base = format!("{id}{}", path_words(&op.path).concat());
        let mut new_id = base.clone();
        let mut n = 2;
        while taken.contains(&new_id)
            || RESERVED_METHOD_NAMES.contains(&new_id.to_snake_case().as_str())
        {
            new_id = format!("{base}{n}");
            n += 1;
        }
        taken.insert(new_id.clone());
        if let Some(o) = json::operation_mut(doc, &op) {
            o.insert("operationId".into(), json!(new_id));
        }
        ctx.places.push(format!("{op}: {id} → {new_id}"));
    }
}

/// Operations listed under several tags keep only the first (one place per method in
/// tag-grouped docs and clients).
pub fn first_tag_only(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        let Some(o) = json::operation_mut(doc, &op) else {
            continue;
        };
        if let Some(Value::Array(tags)) = o.get_mut("tags")
            && tags.len() > 1
        {
            tags.truncate(1);
            ctx.places.push(op.to_string());
        }
    }
}

fn static_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(str::to_string)
        .collect()
}

fn path_words(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("By{}", pascal(param)),
                None => pascal(s),
            },
        )
        .collect()
}

/// `projecttimebookings` → `Projecttimebookings`; `time-entries` → `TimeEntries`.
fn pascal(word: &str) -> String {
    word.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testutil::run;

    #[test]
    fn missing_ids_are_made_from_method_and_path() {
        let doc = json!({"paths": {"/users/{userId}/time-entries": {"get": {}}, "/x": {"get": {"operationId": "GetX"}}}});
        let (doc, places, _) = run(synthesize_operation_ids, doc);
        assert_eq!(
            doc["paths"]["/users/{userId}/time-entries"]["get"]["operationId"],
            "GetUsersByUserIdTimeEntries"
        );
        assert_eq!(doc["paths"]["/x"]["get"]["operationId"], "GetX");
        assert_eq!(
            places,
            ["GET /users/{userId}/time-entries → GetUsersByUserIdTimeEntries"]
        );
    }

    #[test]
    fn duplicated_ids_get_suffixes_from_the_differing_segments() {
        let doc = json!({"paths": {
            "/companies/{companyId}/files/{fileId}/download": {"get": {"operationId": "GetCompanyFileContent"}},
            "/companies/{companyId}/files/{fileId}/pdf": {"get": {"operationId": "GetCompanyFileContent"}},
            "/tasks/{taskId}/externalfiles": {"post": {"operationId": "CreateExternalFiles"}},
            "/users/{userId}/externalfiles": {"post": {"operationId": "CreateExternalFiles"}},
            "/once": {"get": {"operationId": "Once"}}
        }});
        let (doc, places, _) = run(dedupe_operation_ids, doc);
        let id = |p: &str, m: &str| {
            doc["paths"][p][m]["operationId"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            id("/companies/{companyId}/files/{fileId}/download", "get"),
            "GetCompanyFileContentDownload"
        );
        assert_eq!(
            id("/companies/{companyId}/files/{fileId}/pdf", "get"),
            "GetCompanyFileContentPdf"
        );
        assert_eq!(
            id("/tasks/{taskId}/externalfiles", "post"),
            "CreateExternalFilesTasks"
        );
        assert_eq!(
            id("/users/{userId}/externalfiles", "post"),
            "CreateExternalFilesUsers"
        );
        assert_eq!(id("/once", "get"), "Once");
        assert_eq!(places.len(), 4);
    }

    #[test]
    fn same_path_twice_falls_back_to_the_method() {
        let doc =
            json!({"paths": {"/a": {"get": {"operationId": "A"}, "put": {"operationId": "A"}}}});
        let (doc, _, _) = run(dedupe_operation_ids, doc);
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], "AGet");
        assert_eq!(doc["paths"]["/a"]["put"]["operationId"], "APut");
    }

    #[test]
    fn reserved_method_names_get_their_path_appended() {
        let doc = json!({"paths": {
            "/invitations": {"post": {"operationId": "Post"}},
            "/x/{id}": {"get": {"operationId": "client"}},
            "/exec": {"put": {"operationId": "Exec"}, "get": {"operationId": "ExecExec"}},
            "/fine": {"get": {"operationId": "PostInvitation"}}
        }});
        let (doc, places, _) = run(avoid_reserved_method_names, doc);
        assert_eq!(
            doc["paths"]["/invitations"]["post"]["operationId"],
            "PostInvitations"
        );
        assert_eq!(doc["paths"]["/x/{id}"]["get"]["operationId"], "clientXById");
        assert_eq!(doc["paths"]["/exec"]["put"]["operationId"], "ExecExec2");
        assert_eq!(
            doc["paths"]["/fine"]["get"]["operationId"],
            "PostInvitation"
        );
        assert_eq!(places.len(), 3, "{places:?}");
        assert_eq!(places[0], "POST /invitations: Post → PostInvitations");
    }

    #[test]
    fn several_tags_become_one() {
        let doc = json!({"paths": {"/a": {"get": {"tags": ["A", "B"]}, "put": {"tags": ["A"]}}}});
        let (doc, places, _) = run(first_tag_only, doc);
        assert_eq!(doc["paths"]["/a"]["get"]["tags"], json!(["A"]));
        assert_eq!(places, ["GET /a"]);
    }
}
