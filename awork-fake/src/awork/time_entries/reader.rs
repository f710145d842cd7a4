//! Reading the fields of a JSON object body one by one, collecting every broken rule,
//! so that one answer lists them all.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::wire::{ApiError, ValidationError};

/// A JSON object plus the problems found while reading it.
pub(crate) struct FormReader<'a> {
    object: &'a Map<String, Value>,
    /// Every broken rule found so far, in reading order.
    pub(crate) errors: Vec<ValidationError>,
}

/// The body as a JSON object (else `invalid-model`).
pub(crate) fn object_of(body: Option<&Value>) -> Result<&Map<String, Value>, ApiError> {
    body.and_then(Value::as_object)
        .ok_or_else(|| ApiError::invalid_model("The body must be a JSON object."))
}

impl<'a> FormReader<'a> {
    /// Starts reading `object` with no problems found.
    pub(crate) fn new(object: &'a Map<String, Value>) -> Self {
        Self {
            object,
            errors: Vec::new(),
        }
    }

    /// The value of `name`, treating JSON `null` like an absent property.
    pub(crate) fn field(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|value| !value.is_null())
    }

    /// Notes a broken rule.
    pub(crate) fn fail(&mut self, property: &str, message: String) {
        self.errors.push(ValidationError::new(property, message));
    }

    /// An optional GUID property.
    pub(crate) fn optional_guid(&mut self, name: &str) -> Option<Uuid> {
        let value = self.field(name)?;
        let parsed = value.as_str().and_then(|text| Uuid::parse_str(text).ok());
        if parsed.is_none() {
            self.fail(name, format!("'{name}' is not a valid GUID."));
        }
        parsed
    }

    /// A present `duration`: whole seconds, at least 0, fits int32.
    pub(crate) fn duration_value(&mut self, value: &Value) -> Option<i32> {
        match value.as_i64() {
            Some(seconds) if seconds < 0 => {
                self.fail(
                    "duration",
                    "'duration' must be greater than or equal to 0.".into(),
                );
                None
            }
            Some(seconds) => self.fit_int32("duration", seconds),
            None => {
                self.fail(
                    "duration",
                    "'duration' must be a whole number of seconds.".into(),
                );
                None
            }
        }
    }

    /// An optional string property.
    pub(crate) fn optional_string(&mut self, name: &str) -> Option<String> {
        let value = self.field(name)?;
        match value.as_str() {
            Some(text) => Some(text.to_owned()),
            None => {
                self.fail(name, format!("'{name}' must be a string."));
                None
            }
        }
    }

    /// An optional boolean property (`false` when absent or `null`).
    pub(crate) fn optional_bool(&mut self, name: &str) -> bool {
        match self.field(name) {
            None => false,
            Some(Value::Bool(value)) => *value,
            Some(_) => {
                self.fail(name, format!("'{name}' must be true or false."));
                false
            }
        }
    }

    /// Narrows to int32, noting an overflow.
    pub(crate) fn fit_int32(&mut self, name: &str, number: i64) -> Option<i32> {
        let narrowed = i32::try_from(number).ok();
        if narrowed.is_none() {
            self.fail(name, format!("'{name}' does not fit a 32-bit integer."));
        }
        narrowed
    }
}
