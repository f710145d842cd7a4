//! The tag → area table (`openapi/areas.json`): which Cargo feature of `awork-api`
//! each operation belongs to.
//!
//! awork tags every operation; we group its ~90 tags into a few areas that follow the
//! sections of awork's reference, and each area is a Cargo feature. The table is ours,
//! so a tag it does not place is an error that names the tag: a new tag in awork's
//! document must be given an area on purpose, not land in one by accident.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::BTreeMap;

/// The parsed table: area name → its tags, in the table's order.
#[derive(Debug, Clone, Default)]
pub struct AreaTable {
    /// `(area, tags)` in the order the file lists them.
    pub areas: Vec<(String, Vec<String>)>,
}

impl AreaTable {
    /// Parses `text` (the contents of an areas file; `origin` names it in errors).
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let value: Value =
            serde_json::from_str(text).with_context(|| format!("{origin}: not JSON"))?;
        let Some(areas) = value.get("areas").and_then(Value::as_object) else {
            bail!("{origin}: needs an object \"areas\" mapping each area to its tags");
        };
        let mut table = AreaTable::default();
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (area, entry) in areas {
            if !is_feature_name(area) {
                bail!(
                    "{origin}: area {area:?} is not a Cargo feature name (lower-case letters, digits, '-')"
                );
            }
            let Some(tags) = entry.get("tags").and_then(Value::as_array) else {
                bail!("{origin}: area {area:?} needs a \"tags\" array");
            };
            let mut names = Vec::new();
            for tag in tags {
                let Some(tag) = tag.as_str() else {
                    bail!("{origin}: area {area:?} lists a tag that is not a string: {tag}");
                };
                if let Some(other) = seen.insert(tag, area) {
                    bail!("{origin}: tag {tag:?} is listed in both {other:?} and {area:?}");
                }
                names.push(tag.to_string());
            }
            table.areas.push((area.clone(), names));
        }
        Ok(table)
    }

    /// The area that holds `tag`, if any.
    pub fn area_of(&self, tag: &str) -> Option<&str> {
        self.areas
            .iter()
            .find(|(_, tags)| tags.iter().any(|t| t == tag))
            .map(|(area, _)| area.as_str())
    }

    /// The area names, in the table's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.areas.iter().map(|(a, _)| a.as_str())
    }
}

fn is_feature_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Each generated method (snake-case operationId) with the area of its tag.
///
/// Run on the normalized document (one tag per operation). Fails naming every tag
/// the table does not place, and every operation without a tag.
pub fn assign(doc: &Value, table: &AreaTable) -> Result<BTreeMap<String, String>> {
    use heck::ToSnakeCase;
    let mut assigned = BTreeMap::new();
    let mut unplaced: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in crate::json::operations(doc) {
        let id = crate::json::operation_id(doc, &op);
        let tag = crate::json::operation(doc, &op)
            .and_then(|o| o.get("tags"))
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .unwrap_or("");
        match table.area_of(tag) {
            Some(area) => {
                assigned.insert(id.to_snake_case(), area.to_string());
            }
            None => unplaced
                .entry(tag.to_string())
                .or_default()
                .push(op.to_string()),
        }
    }
    if !unplaced.is_empty() {
        let lines: Vec<String> = unplaced
            .iter()
            .map(|(tag, ops)| match tag.is_empty() {
                true => format!("  (no tag): {}", ops.join(", ")),
                false => format!("  tag {tag:?} ({} operations, e.g. {})", ops.len(), ops[0]),
            })
            .collect();
        bail!(
            "the area table places no area for these tags; add each to an area in openapi/areas.json:\n{}",
            lines.join("\n")
        );
    }
    Ok(assigned)
}

/// Checks that `manifest` (awork-api's Cargo.toml) declares a feature for every area
/// and that `full` enables each of them.
pub fn check_manifest(manifest: &str, table: &AreaTable, origin: &str) -> Result<()> {
    let parsed: toml::Table =
        toml::from_str(manifest).with_context(|| format!("{origin}: not valid TOML"))?;
    let features = parsed
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let full: Vec<&str> = features
        .get("full")
        .and_then(toml::Value::as_array)
        .map(|list| list.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for area in table.names() {
        if !features.contains_key(area) {
            problems.push(format!("no feature {area:?}"));
        }
        if !full.contains(&area) {
            problems.push(format!("feature \"full\" does not enable {area:?}"));
        }
    }
    if !problems.is_empty() {
        bail!(
            "{origin} does not match openapi/areas.json: {}",
            problems.join("; ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table() -> AreaTable {
        AreaTable::parse(
            r#"{"areas": {"time-bookings": {"tags": ["TimeBookings"]}, "projects": {"tags": ["Projects", "ProjectTypes"]}}}"#,
            "t",
        )
        .unwrap()
    }

    #[test]
    fn assigns_each_operation_the_area_of_its_tag() {
        let doc = json!({"paths": {
            "/timebookings": {"get": {"operationId": "GetTimeBookings", "tags": ["TimeBookings"]}},
            "/projecttypes": {"get": {"operationId": "GetProjectTypes", "tags": ["ProjectTypes"]}}
        }});
        let assigned = assign(&doc, &table()).unwrap();
        assert_eq!(assigned["get_time_bookings"], "time-bookings");
        assert_eq!(assigned["get_project_types"], "projects");
    }

    #[test]
    fn an_unplaced_tag_is_an_error_that_names_it() {
        let doc = json!({"paths": {
            "/x": {"get": {"operationId": "GetX", "tags": ["Gadgets"]}},
            "/y": {"get": {"operationId": "GetY"}}
        }});
        let err = assign(&doc, &table()).unwrap_err().to_string();
        assert!(
            err.contains("tag \"Gadgets\" (1 operations, e.g. GET /x)"),
            "{err}"
        );
        assert!(err.contains("(no tag): GET /y"), "{err}");
    }

    #[test]
    fn a_tag_in_two_areas_or_a_bad_name_is_refused() {
        let twice = r#"{"areas": {"a": {"tags": ["T"]}, "b": {"tags": ["T"]}}}"#;
        assert!(
            AreaTable::parse(twice, "t")
                .unwrap_err()
                .to_string()
                .contains("both")
        );
        let bad = r#"{"areas": {"Time Bookings": {"tags": ["T"]}}}"#;
        assert!(
            AreaTable::parse(bad, "t")
                .unwrap_err()
                .to_string()
                .contains("feature name")
        );
    }

    #[test]
    fn the_manifest_must_declare_every_area_and_full() {
        let good = "[package]\nname='x'\n[features]\ntime-bookings = []\nprojects = []\nfull = [\"time-bookings\", \"projects\"]\n[dependencies]\n";
        check_manifest(good, &table(), "m").unwrap();
        let missing = "[features]\ntime-bookings = []\nfull = [\"time-bookings\"]\n";
        let err = check_manifest(missing, &table(), "m")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no feature \"projects\""), "{err}");
        assert!(
            err.contains("\"full\" does not enable \"projects\""),
            "{err}"
        );
    }
}
