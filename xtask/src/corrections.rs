//! Our corrections to awork's document, kept apart from the vendored facts.
//!
//! A corrections file (`openapi/corrections-v1.json`) is a JSON object with a list of
//! entries. Each entry names a `target` inside the document as a JSON Pointer
//! (RFC 6901, `~1` for `/`), says `why`, and does exactly one thing:
//!
//! * `"merge": {…}` — RFC 7396 merge patch at the target (objects merge, `null` deletes);
//! * `"set": <value>` — put the value at the target (its parent must exist);
//! * `"remove": true` — delete the target.
//!
//! A target that does not exist is an error, not a silent no-op: when awork changes
//! its document, a correction that no longer applies must be looked at.

use anyhow::{Result, anyhow, bail};
use serde_json::{Map, Value};

/// One parsed correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// JSON Pointer into the document.
    pub target: String,
    /// Why we change awork's document here.
    pub why: String,
    /// What to do at the target.
    pub action: Action,
}

/// What a correction does at its target.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// RFC 7396 merge patch.
    Merge(Value),
    /// Replace or insert the value.
    Set(Value),
    /// Delete the target.
    Remove,
}

/// Parses a corrections file.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Correction>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| anyhow!("{origin}: not JSON ({e})"))?;
    let entries = doc
        .get("corrections")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("{origin}: expected an object with a \"corrections\" array"))?;
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            parse_entry(e).map_err(|msg| anyhow!("{origin}: correction #{}: {msg}", i + 1))
        })
        .collect()
}

fn parse_entry(entry: &Value) -> std::result::Result<Correction, String> {
    let field = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_string);
    let target = field("target").ok_or("no \"target\" (a JSON Pointer)")?;
    let why = field("why").ok_or("no \"why\"")?;
    if !target.is_empty() && !target.starts_with('/') {
        return Err(format!(
            "target {target:?} is not a JSON Pointer (it must start with '/')"
        ));
    }
    let actions: Vec<Action> = [
        entry.get("merge").cloned().map(Action::Merge),
        entry.get("set").cloned().map(Action::Set),
        (entry.get("remove") == Some(&Value::Bool(true))).then_some(Action::Remove),
    ]
    .into_iter()
    .flatten()
    .collect();
    match <[Action; 1]>::try_from(actions) {
        Ok([action]) => Ok(Correction {
            target,
            why,
            action,
        }),
        Err(_) => Err("needs exactly one of \"merge\", \"set\", \"remove\": true".into()),
    }
}

/// Applies every correction in order; the first one that does not apply stops with an
/// error that names it.
pub fn apply_all(doc: &mut Value, corrections: &[Correction]) -> Result<()> {
    for (i, c) in corrections.iter().enumerate() {
        apply(doc, c)
            .map_err(|e| anyhow!("correction #{} ({}) at {}: {e}", i + 1, c.why, c.target))?;
    }
    Ok(())
}

fn apply(doc: &mut Value, c: &Correction) -> Result<()> {
    match &c.action {
        Action::Merge(patch) => {
            let target = doc
                .pointer_mut(&c.target)
                .ok_or_else(|| anyhow!("target does not exist"))?;
            merge_patch(target, patch);
        }
        Action::Set(value) => {
            let (parent, key) = parent_of(doc, &c.target)?;
            match parent {
                Value::Object(map) => {
                    map.insert(key, value.clone());
                }
                Value::Array(items) if key == "-" => items.push(value.clone()),
                Value::Array(items) => {
                    let slot = key.parse::<usize>().ok().and_then(|i| items.get_mut(i));
                    *slot.ok_or_else(|| anyhow!("no array element {key}"))? = value.clone();
                }
                _ => bail!("the parent is neither an object nor an array"),
            }
        }
        Action::Remove => {
            let (parent, key) = parent_of(doc, &c.target)?;
            let removed = match parent {
                Value::Object(map) => map.remove(&key).is_some(),
                Value::Array(items) => match key.parse::<usize>() {
                    Ok(i) if i < items.len() => {
                        items.remove(i);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !removed {
                bail!("target does not exist");
            }
        }
    }
    Ok(())
}

fn parent_of<'a>(doc: &'a mut Value, pointer: &str) -> Result<(&'a mut Value, String)> {
    let (parent, last) = pointer
        .rsplit_once('/')
        .ok_or_else(|| anyhow!("cannot address the whole document"))?;
    let key = last.replace("~1", "/").replace("~0", "~");
    let parent = doc
        .pointer_mut(parent)
        .ok_or_else(|| anyhow!("the parent {parent:?} does not exist"))?;
    Ok((parent, key))
}

/// RFC 7396: objects merge recursively, `null` deletes, everything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target_map) = target else {
        return;
    };
    for (key, value) in patch_map {
        if value.is_null() {
            target_map.remove(key);
        } else {
            merge_patch(target_map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(entry: Value) -> Vec<Correction> {
        parse(&json!({ "corrections": [entry] }).to_string(), "c.json").unwrap()
    }

    #[test]
    fn merge_set_and_remove_change_the_document() {
        let mut doc = json!({"paths": {"/a/b": {"get": {"x": 1, "y": 2}}}, "list": [1, 2]});
        apply_all(
            &mut doc,
            &one(json!({"target": "/paths/~1a~1b/get", "why": "w", "merge": {"x": null, "z": 3}})),
        )
        .unwrap();
        apply_all(
            &mut doc,
            &one(json!({"target": "/list/-", "why": "w", "set": 3})),
        )
        .unwrap();
        apply_all(
            &mut doc,
            &one(json!({"target": "/list/0", "why": "w", "remove": true})),
        )
        .unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/a/b": {"get": {"y": 2, "z": 3}}}, "list": [2, 3]})
        );
    }

    #[test]
    fn a_target_that_is_gone_is_an_error_naming_the_correction() {
        let mut doc = json!({"a": {}});
        let e = apply_all(
            &mut doc,
            &one(json!({"target": "/a/b", "why": "fix b", "merge": {"x": 1}})),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "correction #1 (fix b) at /a/b: target does not exist");
        let e = apply_all(
            &mut doc,
            &one(json!({"target": "/a/b", "why": "drop b", "remove": true})),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "correction #1 (drop b) at /a/b: target does not exist");
    }

    #[test]
    fn malformed_entries_are_rejected() {
        let bad = |entry: Value| {
            parse(&json!({ "corrections": [entry] }).to_string(), "c.json")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad(json!({"target": "/a", "why": "w"})),
            "c.json: correction #1: needs exactly one of \"merge\", \"set\", \"remove\": true"
        );
        assert_eq!(
            bad(json!({"target": "a", "why": "w", "remove": true})),
            "c.json: correction #1: target \"a\" is not a JSON Pointer (it must start with '/')"
        );
        assert_eq!(
            bad(json!({"target": "/a", "set": 1})),
            "c.json: correction #1: no \"why\""
        );
        assert!(parse("{}", "c.json").is_err());
    }
}
