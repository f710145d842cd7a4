//! Values made from schemas: the answers the fake gives where no stored state says
//! more, and random answers that exercise a client's decoding.
//!
//! [`Style::plain`] makes one calm, complete value per schema (the same each time for
//! the same seed): every property at the top, nested models as far as needed. The
//! random styles choose for each property whether it is there, `null` where the schema
//! allows, and extremes of its type: the ends of an integer's range, empty and long
//! strings, the first and last dates, and optionally enum values awork has not
//! documented yet. Every value is valid for the schema it was made from, except those
//! deliberate unknown enum values.

use chrono::{DateTime, SecondsFormat, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

use super::document::Document;
use super::operation::ref_name;

/// How a sample is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    /// Chance that an optional property is present.
    optional: f64,
    /// Chance that a nullable value is `null`.
    null: f64,
    /// Whether to reach for the ends of every range.
    extremes: bool,
    /// Chance that an enum string takes a value the schema does not list.
    unknown_enum: f64,
    /// How deep nested models are filled out.
    depth: usize,
}

impl Style {
    /// Every property at the top level, no `null`s, middle-of-the-road values.
    pub(crate) fn plain() -> Self {
        Self {
            optional: 1.0,
            null: 0.0,
            extremes: false,
            unknown_enum: 0.0,
            depth: 2,
        }
    }

    /// A new record as a server keeps it before anyone filled it in: every property,
    /// `null` wherever the schema allows, nested models only where required.
    pub(crate) fn record() -> Self {
        Self {
            optional: 1.0,
            null: 1.0,
            extremes: false,
            unknown_enum: 0.0,
            depth: 1,
        }
    }

    /// Random presence and `null`s, and extremes of every type.
    pub(crate) fn random() -> Self {
        Self {
            optional: 0.6,
            null: 0.25,
            extremes: true,
            unknown_enum: 0.0,
            depth: 4,
        }
    }

    /// Random values at the extremes like [`Self::random`], but every property present
    /// (`null` still where allowed): what a complete model at its limits looks like.
    pub(crate) fn extremes() -> Self {
        Self {
            optional: 1.0,
            null: 0.15,
            extremes: true,
            unknown_enum: 0.0,
            depth: 3,
        }
    }

    /// Like [`Self::random`], and one enum value in five is one awork has not listed.
    pub(crate) fn with_unknown_enums(mut self) -> Self {
        self.unknown_enum = 0.2;
        self
    }
}

/// Makes values for the schemas of one document.
pub(crate) struct Sampler<'d> {
    doc: &'d Document,
    style: Style,
    rng: StdRng,
    now: DateTime<Utc>,
}

impl<'d> Sampler<'d> {
    /// A sampler for `doc`; `now` is what plain date-times say.
    pub(crate) fn new(doc: &'d Document, style: Style, seed: u64, now: DateTime<Utc>) -> Self {
        Self {
            doc,
            style,
            rng: StdRng::seed_from_u64(seed),
            now,
        }
    }

    /// A value for `schema`.
    pub(crate) fn value(&mut self, schema: &Value) -> Value {
        self.at(schema, 0, true, None)
    }

    /// A value for `schema`, for a property or parameter called `name` (plain values
    /// follow what some names mean: a `timezone` is a real zone).
    pub(crate) fn named(&mut self, schema: &Value, name: &str) -> Value {
        self.at(schema, 0, true, Some(name))
    }

    fn at(&mut self, schema: &Value, depth: usize, required: bool, name: Option<&str>) -> Value {
        if let Some(target_name) = ref_name(schema) {
            return match self.doc.schema(target_name) {
                Some(target) => self.at(target, depth, required, name),
                None => Value::Null,
            };
        }
        if let Some(hint) = name.and_then(|n| self.value_named(n, schema)) {
            return hint;
        }
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        if nullable && (self.chance(self.style.null) || (depth > self.style.depth && !required)) {
            return Value::Null;
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            return self.enum_value(options);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => self.object(schema, depth),
            Some("array") => self.array(schema, depth),
            Some("string") => self.string(schema),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(schema),
            Some("boolean") => self.boolean(schema),
            _ if nullable => Value::Null,
            _ => json!({}),
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Map::new();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let is_required = required.contains(&name.as_str());
            let wanted = is_required
                || (depth < self.style.depth && self.chance(self.style.optional))
                || (depth == 0 && self.style.optional >= 1.0);
            if wanted {
                let value = self.at(property, depth + 1, is_required, Some(name));
                out.insert(name.clone(), value);
            }
        }
        Value::Object(out)
    }

    fn array(&mut self, schema: &Value, depth: usize) -> Value {
        let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
        let max = schema["maxItems"]
            .as_u64()
            .map_or(usize::MAX, |m| m as usize);
        let wanted = match self.style.extremes && depth < self.style.depth {
            true => self.rng.random_range(0..=2usize),
            false => 0,
        };
        let count = wanted.clamp(min, max.max(min));
        let items = &schema["items"];
        Value::Array(
            (0..count)
                .map(|_| self.at(items, depth + 1, true, None))
                .collect(),
        )
    }

    fn enum_value(&mut self, options: &[Value]) -> Value {
        let listed: Vec<&Value> = options.iter().filter(|o| !o.is_null()).collect();
        if listed.is_empty() {
            return Value::Null;
        }
        if self.chance(self.style.unknown_enum) {
            return Value::String(format!("undocumented-{}", self.rng.random_range(1..1000)));
        }
        let index = match self.style.extremes {
            true => self.rng.random_range(0..listed.len()),
            false => 0,
        };
        listed[index].clone()
    }

    fn string(&mut self, schema: &Value) -> Value {
        let text = match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => self.uuid(),
            Some("date-time") => self.date_time(),
            Some("date") => self.date(),
            Some("local-date-time") => self.local_date_time(),
            Some("partial-time") => self.time_of_day(),
            Some("email") => "someone@example.com".to_owned(),
            Some("byte") => String::new(),
            Some("uri") => "https://example.com/".to_owned(),
            _ => self.text(schema),
        };
        Value::String(text)
    }

    fn text(&mut self, schema: &Value) -> String {
        if let Some(default) = schema.get("default").and_then(Value::as_str)
            && !self.style.extremes
        {
            return default.to_owned();
        }
        let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
        let max = schema["maxLength"]
            .as_u64()
            .map_or(4000, |m| m as usize)
            .max(min);
        let letters_only = schema.get("pattern").is_some();
        let base: String = match (self.style.extremes, self.rng.random_range(0..4u8)) {
            (false, _) => "sample".into(),
            (true, 0) => String::new(),
            (true, 1) if !letters_only => "Zürich \"quoted\" \\ 🌍 \n line".into(),
            (true, 2) => "x".repeat(max.min(300)),
            _ => "text".into(),
        };
        fit_length(base, min, max)
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let (format_low, format_high) = match schema.get("format").and_then(Value::as_str) {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let low = schema["minimum"]
            .as_i64()
            .unwrap_or(format_low)
            .max(format_low);
        let high = schema["maximum"]
            .as_i64()
            .unwrap_or(format_high)
            .min(format_high);
        let plain = schema["default"].as_i64().unwrap_or(0);
        let value = match (self.style.extremes, self.rng.random_range(0..5u8)) {
            (false, _) => plain,
            (true, 0) => low,
            (true, 1) => high,
            (true, 2) => -1,
            (true, 3) => self.rng.random_range(low..=high),
            _ => 0,
        };
        json!(value.clamp(low, high))
    }

    fn number(&mut self, schema: &Value) -> Value {
        let low = schema["minimum"].as_f64().unwrap_or(f64::MIN);
        let high = schema["maximum"].as_f64().unwrap_or(f64::MAX);
        let value: f64 = match (self.style.extremes, self.rng.random_range(0..5u8)) {
            (false, _) => 0.0,
            (true, 0) => -1.5,
            (true, 1) => 1.0e15,
            (true, 2) => 0.1,
            (true, 3) => -123_456.789,
            _ => 0.0,
        };
        json!(value.clamp(low, high))
    }

    fn boolean(&mut self, schema: &Value) -> Value {
        match self.style.extremes {
            true => Value::Bool(self.rng.random()),
            false => schema.get("default").cloned().unwrap_or(Value::Bool(false)),
        }
    }

    fn uuid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .to_string()
    }

    fn instant(&mut self) -> DateTime<Utc> {
        match (self.style.extremes, self.rng.random_range(0..4u8)) {
            (false, _) => self.now,
            (true, 0) => earliest(),
            (true, 1) => latest(),
            _ => {
                self.now
                    + chrono::Duration::seconds(self.rng.random_range(-400_000_000..400_000_000))
            }
        }
    }

    fn date_time(&mut self) -> String {
        let at = self.instant();
        let room = chrono::Duration::days(1);
        let offset_fits = at > earliest() + room && at < latest() - room;
        match self.style.extremes && offset_fits && self.rng.random_bool(0.3) {
            true => at
                .with_timezone(&chrono::FixedOffset::east_opt(14 * 3600).expect("a valid offset"))
                .to_rfc3339_opts(SecondsFormat::AutoSi, false),
            false => at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
    }

    fn date(&mut self) -> String {
        self.instant().date_naive().format("%Y-%m-%d").to_string()
    }

    fn local_date_time(&mut self) -> String {
        self.instant()
            .naive_utc()
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    }

    fn time_of_day(&mut self) -> String {
        self.instant().format("%H:%M:%S").to_string()
    }

    /// A value where a property's or parameter's name says more than its schema (a
    /// `timezone` is an IANA zone, `userIds` a list of GUIDs, `redirect_uris`
    /// addresses); only for text and lists of text, whose schemas allow any text. The
    /// random styles pick among zones at the ends of the world's offsets.
    fn value_named(&mut self, name: &str, schema: &Value) -> Option<Value> {
        let is_string = |s: &Value| s.get("type") == Some(&Value::String("string".into()));
        let text = is_string(schema) && schema.get("format").is_none();
        let list = schema.get("type") == Some(&Value::String("array".into()));
        let texts = list && is_string(&schema["items"]) && schema["items"].get("format").is_none();
        let guids = list && schema["items"].get("format") == Some(&Value::String("uuid".into()));
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "timezone" if text && self.style.extremes => {
                let zones = [
                    "Europe/Berlin",
                    "Pacific/Kiritimati",
                    "Pacific/Pago_Pago",
                    "Asia/Kathmandu",
                    "UTC",
                ];
                Some(Value::String(
                    zones[self.rng.random_range(0..zones.len())].into(),
                ))
            }
            _ if self.style.extremes => None,
            "timezone" if text => Some(Value::String("Europe/Berlin".into())),
            "language" if text => Some(Value::String("en-GB".into())),
            "scope" if text => Some(Value::String("full_access".into())),
            "token_endpoint_auth_method" if text => Some(Value::String("none".into())),
            "redirect_uris" if texts => Some(json!(["http://127.0.0.1/callback"])),
            _ if text && lower.ends_with("ids") => Some(Value::String(self.uuid())),
            _ if guids && lower.ends_with("ids") => Some(json!([self.uuid()])),
            _ => None,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && (p >= 1.0 || self.rng.random_bool(p))
    }
}

/// The first instant a four-digit year can write.
fn earliest() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("0001-01-01T00:00:00Z")
        .expect("a valid instant")
        .to_utc()
}

/// The last instant a four-digit year can write.
fn latest() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("9999-12-31T23:59:59.999Z")
        .expect("a valid instant")
        .to_utc()
}

/// Pads with `x` or cuts (at a character boundary) to fit `min..=max` characters.
fn fit_length(text: String, min: usize, max: usize) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    chars.truncate(max);
    while chars.len() < min {
        chars.push('x');
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Api, contract, validate};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-05-06T10:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn plain_and_random_values_are_valid_for_every_schema_of_both_documents() {
        for api in [Api::V1, Api::V2] {
            let doc = contract().document(api);
            for name in doc.schemas().keys() {
                for (style, seed) in [
                    (Style::plain(), 1),
                    (Style::random(), 2),
                    (Style::random(), 3),
                    (Style::extremes(), 4),
                    (Style::record(), 5),
                ] {
                    let value = Sampler::new(doc, style, seed, now())
                        .value(&json!({"$ref": format!("#/components/schemas/{name}")}));
                    if let Err(problem) =
                        validate::is_valid_instance(doc.validators(), name, &value)
                    {
                        panic!("{api:?} {name} ({style:?}, seed {seed}): {problem}\n{value:#}");
                    }
                }
            }
        }
    }

    #[test]
    fn plain_values_are_the_same_for_the_same_seed() {
        let doc = contract().document(Api::V1);
        let schema = json!({"$ref": "#/components/schemas/TaskModel"});
        let one = Sampler::new(doc, Style::plain(), 9, now()).value(&schema);
        let two = Sampler::new(doc, Style::plain(), 9, now()).value(&schema);
        assert_eq!(one, two);
        assert_eq!(one["createdOn"], "2024-05-06T10:00:00Z");
    }

    #[test]
    fn random_values_reach_the_ends_of_integer_ranges() {
        let doc = contract().document(Api::V1);
        let schema = json!({"type": "integer", "format": "int32"});
        let seen: Vec<Value> = (0..200)
            .map(|seed| Sampler::new(doc, Style::random(), seed, now()).value(&schema))
            .collect();
        assert!(seen.contains(&json!(i32::MIN)) && seen.contains(&json!(i32::MAX)));
        assert!(seen.contains(&json!(-1)));
    }
}
