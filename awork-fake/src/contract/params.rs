//! Query, path and header values are text on the wire; their schemas speak of integers,
//! booleans and arrays. This reads the text as the value its schema declares, so that
//! the JSON Schema check judges the value and not its spelling.

use serde_json::{Number, Value};

/// Reads `raw` (every value sent for one parameter) as the type `schema` declares.
/// `Err` says what the text is not.
pub(crate) fn read(raw: &[&str], schema: &Value) -> Result<Value, String> {
    match schema_type(schema) {
        Some("array") => {
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            raw.iter()
                .flat_map(|value| value.split(','))
                .map(|item| scalar(item, item_schema))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        _ => scalar(raw.first().copied().unwrap_or_default(), schema),
    }
}

fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(single) => Some(single),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn scalar(text: &str, schema: &Value) -> Result<Value, String> {
    match schema_type(schema) {
        Some("integer") => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("'{text}' is not a whole number")),
        Some("number") => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("'{text}' is not a number")),
        Some("boolean") => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("'{text}' is not true or false")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_becomes_the_declared_type() {
        assert_eq!(read(&["12"], &json!({"type": "integer"})), Ok(json!(12)));
        assert_eq!(
            read(&["TRUE"], &json!({"type": "boolean"})),
            Ok(json!(true))
        );
        assert_eq!(read(&["1.5"], &json!({"type": "number"})), Ok(json!(1.5)));
        assert_eq!(read(&["x"], &json!({"type": "string"})), Ok(json!("x")));
        assert_eq!(
            read(
                &["a,b", "c"],
                &json!({"type": "array", "items": {"type": "string"}})
            ),
            Ok(json!(["a", "b", "c"]))
        );
    }

    #[test]
    fn text_that_is_not_the_type_says_so() {
        assert_eq!(
            read(&["ten"], &json!({"type": "integer"})),
            Err("'ten' is not a whole number".to_owned())
        );
        assert!(read(&["yes"], &json!({"type": "boolean"})).is_err());
        assert!(
            read(
                &["1,x"],
                &json!({"type": "array", "items": {"type": "integer"}})
            )
            .is_err()
        );
    }
}
