//! Normalization: rewrite the shapes of awork's document that progenitor cannot take,
//! or that would make the generated client brittle, into ones it can.
//!
//! Each rewrite is a small named function with its own tests. None of them drops an
//! operation silently: an operation that cannot be generated is moved to
//! [`Report::excluded`] with its reason, and every rewrite records the places it
//! touched, so `cargo xtask regen` can print what it did and the report can be
//! snapshot-tested.

mod ids;
mod media;
mod params;
mod responses;
mod schemas;

pub use ids::{
    RESERVED_METHOD_NAMES, avoid_reserved_method_names, dedupe_operation_ids, first_tag_only,
    synthesize_operation_ids,
};
pub use media::{binary_answers_are_files, exclude_multipart, json_request_bodies_only};
pub use params::declare_missing_path_params;
pub use responses::{BODILESS_SUCCESS, one_error_type, one_success_type, response_descriptions};
pub use schemas::{open_enums, open_objects, open_string_limits};

use crate::json::OpRef;
use serde_json::Value;
use std::fmt;

/// An operation left out of the generated client, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// Which operation.
    pub op: OpRef,
    /// Its operationId as awork wrote it.
    pub operation_id: String,
    /// Why it cannot be generated.
    pub reason: String,
    /// The operation as the document stated it when it was left out, with the local
    /// `$ref`s of its parameters and request body followed (later passes rewrite the
    /// components they point to), for whatever serves it instead.
    pub operation: Value,
}

/// What one rewrite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// The rewrite's function name.
    pub name: &'static str,
    /// One line on what it does.
    pub what: &'static str,
    /// The places it touched (operations, schemas, …), in document order.
    pub places: Vec<String>,
}

/// Everything normalization did to one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Operations in the document before normalization.
    pub operations_in_spec: usize,
    /// operationIds that remain to be generated.
    pub generated: Vec<String>,
    /// Operations left out, with reasons.
    pub excluded: Vec<Excluded>,
    /// Every rewrite, in the order it ran.
    pub passes: Vec<PassReport>,
}

/// The working state a rewrite gets: where to note what it touched and what it excluded.
#[derive(Debug, Default)]
pub struct Ctx {
    /// Places touched by the current rewrite.
    pub places: Vec<String>,
    /// Operations excluded so far.
    pub excluded: Vec<Excluded>,
}

type Rewrite = fn(&mut Value, &mut Ctx);

/// The rewrites in the order they run. Exclusions run first so later counts only
/// cover operations that are generated.
pub const PASSES: [(&str, &str, Rewrite); 15] = [
    (
        "exclude_multipart",
        "multipart/form-data uploads left out (progenitor cannot generate them; awork_api_ext::uploads serves them)",
        exclude_multipart,
    ),
    (
        "synthesize_operation_ids",
        "operations without an operationId get one from method and path",
        synthesize_operation_ids,
    ),
    (
        "dedupe_operation_ids",
        "operationIds used more than once get a suffix from their path",
        dedupe_operation_ids,
    ),
    (
        "avoid_reserved_method_names",
        "operationIds that would name a method the generated Client already has are extended by their path",
        avoid_reserved_method_names,
    ),
    (
        "first_tag_only",
        "operations with several tags keep the first",
        first_tag_only,
    ),
    (
        "declare_missing_path_params",
        "path parameters used in the path but not declared are declared",
        declare_missing_path_params,
    ),
    (
        "json_request_bodies_only",
        "request bodies offered in several media types keep application/json",
        json_request_bodies_only,
    ),
    (
        "binary_answers_are_files",
        "application/json answers of binary strings become files (application/octet-stream, streamed as ByteStream)",
        binary_answers_are_files,
    ),
    (
        "one_success_type",
        "bodiless 2xx responses beside a typed one are dropped (one success type)",
        one_success_type,
    ),
    (
        "one_error_type",
        "error responses are reduced to one body type",
        one_error_type,
    ),
    (
        "open_objects",
        "additionalProperties: false removed (new server fields must not fail decoding)",
        open_objects,
    ),
    (
        "open_enums",
        "enums become their base type with the known values in the docs (new values must not fail decoding)",
        open_enums,
    ),
    (
        "open_string_limits",
        "string length and pattern limits removed (awork enforces them; longer values must not fail decoding)",
        open_string_limits,
    ),
    (
        "response_descriptions",
        "responses get the empty description OpenAPI 3.0 requires (awork's texts are not vendored)",
        response_descriptions,
    ),
    (
        "drop_empty_path_items",
        "path items left without operations are removed",
        drop_empty_path_items,
    ),
];

/// Runs every rewrite on `doc` (an OpenAPI 3.0 document) and reports what they did.
pub fn normalize(doc: &mut Value) -> Report {
    let operations_in_spec = crate::json::operations(doc).len();
    let mut ctx = Ctx::default();
    let mut passes = Vec::new();
    for (name, what, rewrite) in PASSES {
        ctx.places.clear();
        rewrite(doc, &mut ctx);
        passes.push(PassReport {
            name,
            what,
            places: std::mem::take(&mut ctx.places),
        });
    }
    let generated = crate::json::operations(doc)
        .iter()
        .map(|op| crate::json::operation_id(doc, op))
        .collect();
    Report {
        operations_in_spec,
        generated,
        excluded: ctx.excluded,
        passes,
    }
}

/// Removes path items that no longer hold any operation.
pub fn drop_empty_path_items(doc: &mut Value, ctx: &mut Ctx) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    paths.retain(|path, item| {
        let has_op = crate::json::METHODS.iter().any(|m| item.get(*m).is_some());
        if !has_op {
            ctx.places.push(path.clone());
        }
        has_op
    });
}

impl fmt::Display for Report {
    /// One screen: counts, the excluded operations with reasons, and every rewrite with
    /// how many places it touched.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "operations in spec: {}", self.operations_in_spec)?;
        writeln!(f, "generated:          {}", self.generated.len())?;
        writeln!(f, "excluded:           {}", self.excluded.len())?;
        for e in &self.excluded {
            writeln!(f, "  - {} ({}): {}", e.op, e.operation_id, e.reason)?;
        }
        writeln!(f, "normalizations:")?;
        for p in &self.passes {
            writeln!(f, "  {:>4}  {:<28} {}", p.places.len(), p.name, p.what)?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::Ctx;
    use serde_json::Value;

    /// Runs one rewrite on `doc` and returns the document and the places it touched.
    pub fn run(rewrite: fn(&mut Value, &mut Ctx), mut doc: Value) -> (Value, Vec<String>, Ctx) {
        let mut ctx = Ctx::default();
        rewrite(&mut doc, &mut ctx);
        let places = std::mem::take(&mut ctx.places);
        (doc, places, ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_path_items_are_dropped_and_counted() {
        let doc = json!({"paths": {"/a": {"parameters": []}, "/b": {"get": {}}}});
        let (doc, places, _) = testutil::run(drop_empty_path_items, doc);
        assert_eq!(doc, json!({"paths": {"/b": {"get": {}}}}));
        assert_eq!(places, ["/a"]);
    }

    #[test]
    fn every_operation_is_either_generated_or_excluded() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "GetA", "responses": {}}},
            "/b": {"post": {"operationId": "PostB", "requestBody": {"content": {"multipart/form-data": {}}}, "responses": {}}}
        }});
        let report = normalize(&mut doc);
        assert_eq!(report.operations_in_spec, 2);
        assert_eq!(report.generated, ["GetA"]);
        assert_eq!(report.excluded.len(), 1);
        assert_eq!(report.excluded[0].operation_id, "PostB");
    }
}
