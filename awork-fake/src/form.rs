//! Reading and validating a `TimeBookingForm` request body.
//!
//! Rules: the body must be a JSON object (else `invalid-model`); `userId` is a
//! non-nil GUID; `startDate`/`endDate` are valid dates with `endDate >=
//! startDate`; `duration` is a whole number in `0..=i32::MAX`; `projectId`
//! (GUID), `description` (string) and `laneOrder` (int32, default 0) are
//! optional and may be `null`. Unknown properties are ignored. All broken
//! rules are reported together as `validation-failed`.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::dates::parse_date;
use crate::errors::{ApiError, ValidationError};
use crate::model::NewBooking;

/// A JSON object plus the problems found while reading it; shared with the
/// time-entry forms.
pub(crate) struct FormReader<'a> {
    object: &'a Map<String, Value>,
    /// Every broken rule found so far, in reading order.
    pub(crate) errors: Vec<ValidationError>,
}

/// Reads a request body that must be a JSON object (else `invalid-model`).
pub(crate) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid_model(format!("The body is not valid JSON: {error}")))?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(ApiError::invalid_model("The body must be a JSON object.")),
    }
}

/// Parses and validates a request body into the editable booking fields.
pub(crate) fn parse_form(body: &[u8]) -> Result<NewBooking, ApiError> {
    let object = parse_object(body)?;
    let mut reader = FormReader::new(&object);
    let user_id = reader.required_user_id();
    let project_id = reader.optional_guid("projectId");
    let start_date = reader.required_date("startDate");
    let end_date = reader.required_date("endDate");
    reader.check_date_order(start_date, end_date);
    let duration = reader.required_duration();
    let description = reader.optional_string("description");
    let lane_order = reader.optional_int32("laneOrder").unwrap_or(0);
    match (user_id, start_date, end_date, duration) {
        (Some(user_id), Some(start_date), Some(end_date), Some(duration))
            if reader.errors.is_empty() =>
        {
            Ok(NewBooking {
                user_id,
                project_id,
                start_date,
                end_date,
                duration,
                description,
                lane_order,
            })
        }
        _ => Err(ApiError::validation(reader.errors)),
    }
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

    /// `userId`: required, a GUID, not the nil GUID.
    fn required_user_id(&mut self) -> Option<Uuid> {
        let Some(value) = self.field("userId") else {
            self.fail("userId", "'userId' must not be empty.".into());
            return None;
        };
        match value.as_str().and_then(|text| Uuid::parse_str(text).ok()) {
            Some(id) if id.is_nil() => {
                self.fail("userId", "'userId' must not be empty.".into());
                None
            }
            Some(id) => Some(id),
            None => {
                self.fail("userId", "'userId' is not a valid GUID.".into());
                None
            }
        }
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

    /// A required date property.
    fn required_date(&mut self, name: &str) -> Option<NaiveDate> {
        let Some(value) = self.field(name) else {
            self.fail(name, format!("'{name}' must not be empty."));
            return None;
        };
        let parsed = value.as_str().and_then(parse_date);
        if parsed.is_none() {
            self.fail(name, format!("'{name}' is not a valid date (YYYY-MM-DD)."));
        }
        parsed
    }

    /// `duration`: required, whole seconds, at least 0, fits int32.
    fn required_duration(&mut self) -> Option<i32> {
        let Some(value) = self.field("duration") else {
            self.fail("duration", "'duration' must not be empty.".into());
            return None;
        };
        self.duration_value(value)
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

    /// An optional int32 property.
    fn optional_int32(&mut self, name: &str) -> Option<i32> {
        let value = self.field(name)?;
        match value.as_i64() {
            Some(number) => self.fit_int32(name, number),
            None => {
                self.fail(name, format!("'{name}' must be a whole number."));
                None
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

    /// `endDate` must not come before `startDate`.
    fn check_date_order(&mut self, start: Option<NaiveDate>, end: Option<NaiveDate>) {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            self.fail(
                "endDate",
                "'endDate' must be on or after 'startDate'.".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_full_form() {
        let body = br#"{"userId":"6f0c64a2-8d1f-4a5e-9a43-1b2c3d4e5f60","projectId":null,
            "startDate":"2024-05-01","endDate":"2024-05-03T00:00:00","duration":3600,
            "description":"x","laneOrder":2,"somethingNew":true}"#;
        let form = parse_form(body).unwrap();
        assert_eq!(form.duration, 3600);
        assert_eq!(form.lane_order, 2);
        assert_eq!(form.end_date, NaiveDate::from_ymd_opt(2024, 5, 3).unwrap());
    }

    #[test]
    fn reports_every_broken_rule() {
        let body = br#"{"userId":"00000000-0000-0000-0000-000000000000","projectId":"nope",
            "startDate":"2024-05-03","endDate":"2024-05-01","duration":-1,"laneOrder":"a"}"#;
        let error = parse_form(body).unwrap_err();
        assert_eq!(error.code(), "validation-failed");
        assert_eq!(
            error.invalid_properties(),
            ["userId", "projectId", "endDate", "duration", "laneOrder"]
        );
    }

    #[test]
    fn non_json_and_non_objects_are_invalid_models() {
        for body in [&b"not json"[..], b"[1,2]", b""] {
            assert_eq!(parse_form(body).unwrap_err().code(), "invalid-model");
        }
    }
}
