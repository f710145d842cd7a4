//! Inputs for the fuzz targets: random text, numbers and JSON, and mutations of
//! given inputs, byte-wise and JSON-wise.

use awork_fake::contract::{self as spec, Api, SampleStyle};
use rand::Rng;
use rand::rngs::SmallRng;
use serde_json::{Map, Value, json};

/// How the contract's samples are made: random presence and `null`s, enum values
/// awork has not listed yet, and every field at the ends of its type.
pub(crate) const STYLES: [SampleStyle; 3] = [
    SampleStyle::Random,
    SampleStyle::RandomWithUnknownEnums,
    SampleStyle::Extremes,
];

/// Values of awork's models, made from its contract and kept for reuse (making one
/// costs more than reading it): 64 per model, one in eight draws made afresh and put
/// in place of a kept one.
pub(crate) struct Samples {
    api: Api,
    pool: Vec<(String, Vec<Value>)>,
}

impl Samples {
    pub(crate) fn new(api: Api) -> Self {
        Self {
            api,
            pool: Vec::new(),
        }
    }

    /// A value of `model`, allowed by awork's contract.
    pub(crate) fn of(&mut self, rng: &mut SmallRng, model: &str) -> Value {
        let at = match self.pool.iter().position(|(name, _)| name == model) {
            Some(at) => at,
            None => {
                self.pool.push((model.to_string(), Vec::new()));
                self.pool.len() - 1
            }
        };
        let kept = &mut self.pool[at].1;
        if kept.len() < 64 || rng.random_range(0..8) == 0 {
            let fresh = spec::sample(self.api, model, *pick(rng, &STYLES), rng.random());
            if kept.len() < 64 {
                kept.push(fresh.clone());
            } else {
                let slot = rng.random_range(0..kept.len());
                kept[slot] = fresh.clone();
            }
            return fresh;
        }
        pick(rng, kept).clone()
    }
}

/// Pieces that tend to break readers: JSON's punctuation and literals, numbers at and
/// past the limits of integer and float types, escapes, byte-order marks, broken and
/// long UTF-8, and the field names and values awork's deliveries use.
pub(crate) const TOKENS: &[&[u8]] = &[
    b"null",
    b"true",
    b"false",
    b"0",
    b"-0",
    b"-1",
    b"1e309",
    b"-1e309",
    b"1.5e-400",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"4294967296",
    b"2147483648",
    b"\"\"",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"\\uDFFF\\uD800\"",
    b"{}",
    b"[]",
    b",",
    b":",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\",
    b"\xEF\xBB\xBF",
    "é".as_bytes(),
    "𝄞".as_bytes(),
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\x00",
    b"\t",
    b"\r\n",
    b"\"eventType\"",
    b"\"eventName\"",
    b"\"entity\"",
    b"\"project\"",
    b"\"task\"",
    b"\"tags\"",
    b"\"entityId\"",
    b"\"timestamp\"",
    b"\"changes\"",
    b"\"task_added\"",
    b"\"project_added\"",
    b"\"2024-02-30T25:61:61Z\"",
    b"\"+275760-09-13T00:00:00Z\"",
    b"\"9999-12-31T23:59:59.9999999+14:00\"",
    b"\"00000000-0000-0000-0000-000000000000\"",
];

/// Field names worth adding to objects.
const KEYS: &[&str] = &[
    "eventType",
    "eventName",
    "entity",
    "entityId",
    "entityType",
    "entityLink",
    "timestamp",
    "traceId",
    "triggeredBy",
    "changes",
    "project",
    "task",
    "tags",
    "id",
    "name",
    "deletedOn",
    "deletedBy",
    "code",
    "description",
    "validationErrors",
    "details",
    "client_id",
    "client_secret",
    "duration",
    "startDate",
    "",
    "\u{0}",
];

/// One of `items`.
pub(crate) fn pick<'a, T>(rng: &mut SmallRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Random text: mostly short, sometimes long; ASCII, controls, non-ASCII, digits.
pub(crate) fn text(rng: &mut SmallRng) -> String {
    let len = match rng.random_range(0..10) {
        0 => 0,
        1 => rng.random_range(200..5000),
        _ => rng.random_range(1..24),
    };
    let alphabet = rng.random_range(0..5);
    (0..len)
        .map(|_| match alphabet {
            0 => char::from(rng.random_range(b'0'..=b'9')),
            1 => char::from(rng.random_range(0x20u8..0x7f)),
            2 => char::from(rng.random_range(0u8..0x80)),
            3 => *pick(
                rng,
                &[
                    'a', 'Z', '=', ':', '&', '%', '+', '#', '?', '"', '\\', 'é', 'ß', '→', '😀',
                    '\u{feff}', '\n', ' ',
                ],
            ),
            _ => rng.random::<char>(),
        })
        .collect()
}

/// A random JSON value, nested at most `depth` deep.
pub(crate) fn json(rng: &mut SmallRng, depth: u32) -> Value {
    match rng.random_range(0..if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.random()),
        2 => number(rng),
        3 | 4 => Value::String(text(rng)),
        5 => Value::String(uuid::Uuid::from_u128(rng.random()).to_string()),
        6 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| json(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.random_range(0..5))
                .map(|_| (pick(rng, KEYS).to_string(), json(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// A number, often at the ends of a type's range.
pub(crate) fn number(rng: &mut SmallRng) -> Value {
    match rng.random_range(0..9) {
        0 => json!(i64::MIN),
        1 => json!(u64::MAX),
        2 => json!(i32::MAX as i64 + 1),
        3 => json!(f64::MAX),
        4 => json!(-0.5),
        5 => json!(1e-300),
        6 => json!(rng.random::<i64>()),
        7 => json!(rng.random::<f64>() * 1e12),
        _ => json!(rng.random_range(-3..100)),
    }
}

/// `value` with one node somewhere replaced, removed, added to or retyped.
pub(crate) fn mutate_json(rng: &mut SmallRng, value: &mut Value) {
    let children = match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    if children > 0 && rng.random_range(0..3) > 0 {
        let at = rng.random_range(0..children);
        let child = match value {
            Value::Object(map) => map.values_mut().nth(at),
            Value::Array(items) => items.get_mut(at),
            _ => None,
        };
        if let Some(child) = child {
            return mutate_json(rng, child);
        }
    }
    match value {
        Value::Object(map) if rng.random() => mutate_object(rng, map),
        Value::Array(items) if rng.random() && !items.is_empty() => {
            let at = rng.random_range(0..items.len());
            if rng.random() {
                items.remove(at);
            } else {
                let copy = items[at].clone();
                items.push(copy);
            }
        }
        Value::String(text_value) if rng.random() => {
            *text_value = match rng.random_range(0..4) {
                0 => String::new(),
                1 => text_value.repeat(rng.random_range(2..50)),
                2 => text_value.chars().rev().collect(),
                _ => text(rng),
            }
        }
        other => *other = json(rng, 2),
    }
}

fn mutate_object(rng: &mut SmallRng, map: &mut Map<String, Value>) {
    if !map.is_empty() && rng.random() {
        let at = rng.random_range(0..map.len());
        let key = map.keys().nth(at).cloned().unwrap_or_default();
        map.remove(&key);
    } else {
        map.insert(pick(rng, KEYS).to_string(), json(rng, 2));
    }
}

/// `input` after one to four byte-wise changes; `others` gives pieces to splice in.
pub(crate) fn mutate_bytes(rng: &mut SmallRng, input: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let len = out.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..len)
        };
        match rng.random_range(0..8) {
            0 if len > 0 => out[at] ^= 1 << rng.random_range(0..8),
            1 if len > 0 => out[at] = rng.random(),
            2 => {
                let token = pick(rng, TOKENS);
                out.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let end = (at + rng.random_range(1..64)).min(len);
                out.drain(at..end);
            }
            4 if len > 0 => {
                let end = (at + rng.random_range(1..64)).min(len);
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
            5 if !others.is_empty() => {
                let other = pick(rng, others);
                let from = if other.is_empty() {
                    0
                } else {
                    rng.random_range(0..other.len())
                };
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            6 => out.truncate(at),
            _ => {
                let token = pick(rng, TOKENS);
                out.extend_from_slice(token);
            }
        }
    }
    out
}

/// A date-time as awork writes them, or one of the odd ones awork's format allows
/// (seven decimals, any offset, the first and last years).
pub(crate) fn timestamp(rng: &mut SmallRng) -> String {
    let year = match rng.random_range(0..6) {
        0 => 1,
        1 => 9999,
        _ => rng.random_range(1970..2100),
    };
    let fraction = match rng.random_range(0..3) {
        0 => String::new(),
        1 => format!(".{:07}", rng.random_range(0..10_000_000)),
        _ => format!(".{:03}", rng.random_range(0..1000)),
    };
    let offset = match rng.random_range(0..3) {
        0 => "Z".to_string(),
        1 => "+00:00".to_string(),
        _ => format!(
            "{}{:02}:{:02}",
            if rng.random() { '+' } else { '-' },
            rng.random_range(0..15),
            *pick(rng, &[0, 30, 45])
        ),
    };
    format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset}",
        rng.random_range(1..=12),
        rng.random_range(1..=28),
        rng.random_range(0..24),
        rng.random_range(0..60),
        rng.random_range(0..60),
    )
}

/// A random GUID.
pub(crate) fn guid(rng: &mut SmallRng) -> uuid::Uuid {
    uuid::Uuid::from_u128(rng.random())
}

/// One body to give a reader, and whether awork's contract allows it (then it must be
/// read).
#[derive(Debug)]
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) allowed: bool,
}

/// `value` (which awork's contract allows) as made three times in ten, broken
/// JSON-wise three times, and byte-wise four times; byte-wise, now and then one of
/// `examples` is broken instead, and pieces of them are spliced in.
pub(crate) fn body_of(rng: &mut SmallRng, value: Value, examples: &[&[u8]]) -> Body {
    let (value, allowed, bytewise) = match rng.random_range(0..10) {
        0..3 => (value, true, false),
        3..6 => {
            let mut broken = value;
            for _ in 0..rng.random_range(1..=3) {
                mutate_json(rng, &mut broken);
            }
            (broken, false, false)
        }
        _ => (value, false, true),
    };
    let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
    if bytewise {
        if !examples.is_empty() && rng.random_range(0..4) == 0 {
            bytes = pick(rng, examples).to_vec();
        }
        bytes = mutate_bytes(rng, &bytes, examples);
    }
    Body { bytes, allowed }
}
