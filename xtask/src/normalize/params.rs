//! Path parameters: progenitor needs a declaration for every `{name}` in a path.

use super::Ctx;
use crate::json::{self, OpRef};
use serde_json::{Value, json};

/// A `{name}` used in a path but declared neither on the operation nor on its path item
/// (awork: `taskBundleId` in `POST /taskbundles/{taskBundleId}/tasktemplates/{taskTemplateId}/setassignees`)
/// gets a declaration. Its schema is borrowed from a path parameter of the same name
/// elsewhere in the document (so `taskBundleId` stays a uuid), else it is a plain string.
pub fn declare_missing_path_params(doc: &mut Value, ctx: &mut Ctx) {
    for op in json::operations(doc) {
        for name in missing_params(doc, &op) {
            let schema =
                schema_declared_elsewhere(doc, &name).unwrap_or_else(|| json!({"type": "string"}));
            let declaration =
                json!({"name": name, "in": "path", "required": true, "schema": schema});
            let Some(o) = json::operation_mut(doc, &op) else {
                continue;
            };
            let params = o.entry("parameters").or_insert_with(|| json!([]));
            if let Some(list) = params.as_array_mut() {
                list.push(declaration);
                ctx.places.push(format!("{op}: {name}"));
            }
        }
    }
}

fn template_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

fn declared_path_params(doc: &Value, op: &OpRef) -> Vec<(String, Value)> {
    let item_params = doc
        .get("paths")
        .and_then(|p| p.get(&op.path))
        .and_then(|i| i.get("parameters"));
    let op_params = json::operation(doc, op).and_then(|o| o.get("parameters"));
    [item_params, op_params]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| json::resolve(doc, p))
        .filter(|p| p.get("in") == Some(&json!("path")))
        .filter_map(|p| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                p.get("schema").cloned().unwrap_or(Value::Null),
            ))
        })
        .collect()
}

fn missing_params(doc: &Value, op: &OpRef) -> Vec<String> {
    let declared: Vec<String> = declared_path_params(doc, op)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    template_names(&op.path)
        .into_iter()
        .filter(|n| !declared.contains(n))
        .collect()
}

fn schema_declared_elsewhere(doc: &Value, name: &str) -> Option<Value> {
    json::operations(doc)
        .iter()
        .flat_map(|op| declared_path_params(doc, op))
        .find(|(n, schema)| n == name && !schema.is_null())
        .map(|(_, schema)| schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testutil::run;

    #[test]
    fn an_undeclared_path_parameter_is_declared_with_the_schema_used_elsewhere() {
        let doc = json!({"paths": {
            "/bundles/{bundleId}": {"get": {"parameters": [{"name": "bundleId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]}},
            "/bundles/{bundleId}/items/{itemId}": {"post": {"parameters": [{"name": "itemId", "in": "path", "required": true, "schema": {"type": "string"}}]}}
        }});
        let (doc, places, _) = run(declare_missing_path_params, doc);
        assert_eq!(
            doc["paths"]["/bundles/{bundleId}/items/{itemId}"]["post"]["parameters"][1],
            json!({"name": "bundleId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}})
        );
        assert_eq!(
            places,
            ["POST /bundles/{bundleId}/items/{itemId}: bundleId"]
        );
    }

    #[test]
    fn declarations_on_the_path_item_or_by_ref_count() {
        let doc = json!({
            "paths": {"/a/{x}/{y}": {"parameters": [{"name": "x", "in": "path"}], "get": {"parameters": [{"$ref": "#/components/parameters/y"}]}}},
            "components": {"parameters": {"y": {"name": "y", "in": "path"}}}
        });
        let (_, places, _) = run(declare_missing_path_params, doc);
        assert!(places.is_empty());
    }
}
