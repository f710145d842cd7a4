//! The headers awork answers with: `Retry-After` (seconds or an HTTP date) and
//! `ratelimit-reset`, the rate-limit counts, and the `aw-*` paging headers.
//!
//! Inputs: any bytes a header value can hold, numbers at and past every integer's
//! range with and without padding and signs, and HTTP dates of all three forms, valid
//! and broken. The rules: a value is read exactly when it is a whole number that fits
//! (or, for `Retry-After`, an HTTP date), and is absent otherwise; turning a wait into
//! a duration and printing the error that carries it cannot fail.

use super::input::{self, pick};
use super::{Verdict, run};
use crate::error::Error;
use crate::http::headers::{self, NamedWait};
use crate::paging::PageInfo;
use http::{HeaderMap, HeaderValue, StatusCode};
use rand::Rng;
use rand::rngs::SmallRng;
use std::time::{Duration, SystemTime};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A header value as text: a number (in range or not, padded, signed, decimal), an
/// HTTP date (valid or not), or noise, including bytes beyond ASCII.
fn value(rng: &mut SmallRng) -> Vec<u8> {
    let text = match rng.random_range(0..10) {
        0 => rng.random::<u64>().to_string(),
        1 => rng.random_range(0..100_000u32).to_string(),
        2 => format!(
            "{}{}",
            "0".repeat(rng.random_range(0..30)),
            rng.random::<u32>()
        ),
        3 => format!(
            "{}{}{}",
            pick(rng, &["", " ", "\t", "+", "-", "0x"]),
            pick(
                rng,
                &[
                    "1",
                    "18446744073709551616",
                    "4294967296",
                    "4294967295",
                    "99999999999999999999999",
                    "1.5",
                    "1e3",
                    ""
                ]
            ),
            pick(rng, &["", " ", "\t", "s", ",2"])
        ),
        4 | 5 => date(rng),
        6 => input::text(rng),
        7 => {
            let date = date(rng);
            return input::mutate_bytes(rng, date.as_bytes(), &[]);
        }
        8 => return (0..rng.random_range(0..40)).map(|_| rng.random()).collect(),
        _ => String::new(),
    };
    text.into_bytes()
}

/// An HTTP date in one of its three forms, its fields now and then out of range.
fn date(rng: &mut SmallRng) -> String {
    let year = match rng.random_range(0..5) {
        0 => rng.random_range(0..1970),
        1 => rng.random_range(9990..10_100),
        _ => rng.random_range(1970..2100),
    };
    let day = rng.random_range(0..33);
    let (hour, minute, second) = (
        rng.random_range(0..26),
        rng.random_range(0..61),
        rng.random_range(0..62),
    );
    let (weekday, month) = (*pick(rng, &DAYS), *pick(rng, &MONTHS));
    match rng.random_range(0..3) {
        0 => format!("{weekday}, {day:02} {month} {year:04} {hour:02}:{minute:02}:{second:02} GMT"),
        1 => format!(
            "{weekday}day, {day:02}-{month}-{:02} {hour:02}:{minute:02}:{second:02} GMT",
            year % 100
        ),
        _ => format!("{weekday} {month} {day:>2} {hour:02}:{minute:02}:{second:02} {year}"),
    }
}

/// What a reader must make of a value: the trimmed text, when it is one.
fn as_text(value: &[u8]) -> Option<String> {
    let value = HeaderValue::from_bytes(value).ok()?;
    let text = value.to_str().ok()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Headers with `name` set to each of `values` that a header can carry.
fn headers_of(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            map.insert(*name, value);
        }
    }
    map
}

/// A moment anywhere from 1970 to past 9999.
fn now(rng: &mut SmallRng) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(rng.random_range(0..300_000_000_000))
}

#[test]
fn fuzz_retry_after() {
    run(
        "retry_after",
        |rng| {
            (
                value(rng),
                rng.random::<bool>().then(|| value(rng)),
                now(rng),
            )
        },
        |(retry_after, reset, now)| {
            let mut pairs: Vec<(&'static str, &[u8])> = vec![("retry-after", retry_after)];
            if let Some(reset) = reset {
                pairs.push(("ratelimit-reset", reset));
            }
            let map = headers_of(&pairs);
            let seconds = |v: &[u8]| as_text(v).and_then(|t| t.parse::<u64>().ok());
            let expected = match as_text(retry_after) {
                Some(text) => match text.parse::<u64>() {
                    Ok(n) => Some(NamedWait::For(Duration::from_secs(n))),
                    Err(_) => httpdate::parse_http_date(&text).ok().map(NamedWait::Until),
                },
                None => None,
            }
            .or_else(|| {
                reset
                    .as_deref()
                    .and_then(seconds)
                    .map(|n| NamedWait::For(Duration::from_secs(n)))
            });
            let named = headers::named_wait(&map);
            assert_eq!(named, expected);
            if let Some(wait) = named {
                let _ = wait.from(*now);
            }
            let error = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &map, b"");
            let Error::RateLimited(limited) = &error else {
                panic!("a 429 is RateLimited: {error:?}")
            };
            match named {
                Some(NamedWait::For(wait)) => assert_eq!(limited.retry_after, Some(wait)),
                Some(NamedWait::Until(at)) => assert_eq!(limited.retry_at, Some(at)),
                None => assert_eq!((limited.retry_after, limited.retry_at), (None, None)),
            }
            let text = error.to_string();
            assert!(text.starts_with("rate limited by awork (429)") && !text.contains('\n'));
            if named.is_some() {
                Verdict::Accepted
            } else {
                Verdict::Refused
            }
        },
    );
}

#[test]
fn fuzz_rate_limit_headers() {
    run(
        "rate_limit_headers",
        |rng| [value(rng), value(rng), value(rng)],
        |[limit, remaining, reset]| {
            let map = headers_of(&[
                ("ratelimit-limit", limit),
                ("ratelimit-remaining", remaining),
                ("ratelimit-reset", reset),
            ]);
            let number = |v: &[u8]| as_text(v).and_then(|t| t.parse::<u64>().ok());
            let error = Error::from_status(StatusCode::TOO_MANY_REQUESTS, &map, b"{}");
            let Error::RateLimited(limited) = &error else {
                panic!("a 429 is RateLimited: {error:?}")
            };
            assert_eq!(limited.limit, number(limit));
            assert_eq!(limited.remaining, number(remaining));
            assert_eq!(limited.retry_after, number(reset).map(Duration::from_secs));
            assert!(!error.to_string().contains('\n'));
            if limited.limit.is_some() && limited.remaining.is_some() {
                Verdict::Accepted
            } else {
                Verdict::Refused
            }
        },
    );
}

#[test]
fn fuzz_paging_headers() {
    run(
        "paging_headers",
        |rng| [value(rng), value(rng), value(rng), value(rng)],
        |[page, size, items, total]| {
            let map = headers_of(&[
                ("aw-page", page),
                ("aw-pagesize", size),
                ("aw-items", items),
                ("aw-totalitems", total),
            ]);
            let wide = |v: &[u8]| as_text(v).and_then(|t| t.parse::<u64>().ok());
            let narrow = |v: &[u8]| wide(v).and_then(|n| u32::try_from(n).ok());
            let info = PageInfo::from_headers(&map);
            assert_eq!(
                info,
                PageInfo {
                    page: narrow(page),
                    page_size: narrow(size),
                    items: wide(items),
                    total_items: wide(total),
                }
            );
            if info == PageInfo::default() {
                Verdict::Refused
            } else {
                Verdict::Accepted
            }
        },
    );
}
