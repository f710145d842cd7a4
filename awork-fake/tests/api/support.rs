//! Helpers shared by the integration tests.

use awork_fake::{ErrorResponse, FakeAwork, NewBooking, TRACE_ID_HEADER, TimeBooking};
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use uuid::Uuid;

/// The first stamp of the deterministic clock the tests use.
pub const CLOCK_START: &str = "2024-05-01T10:00:00Z";

/// A running fake plus an HTTP client that knows its key.
pub struct Api {
    pub fake: FakeAwork,
    pub http: reqwest::Client,
}

impl Api {
    /// A fake whose clock stands still at [`CLOCK_START`] (stamps then advance by 1 ms).
    pub async fn start() -> Self {
        let fake = FakeAwork::builder()
            .frozen_at(stamp(CLOCK_START))
            .start()
            .await;
        Self::around(fake)
    }

    /// Wraps an already started fake.
    pub fn around(fake: FakeAwork) -> Self {
        Self {
            fake,
            http: reqwest::Client::new(),
        }
    }

    /// Absolute URL of a path below the base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.base_url())
    }

    /// An authenticated request.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(self.fake.api_key())
    }

    /// An authenticated GET.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    /// Creates a booking through the API and returns the JSON answer.
    pub async fn create(&self, family: &str, form: &Value) -> Value {
        let response = self
            .request(Method::POST, &format!("/{family}"))
            .json(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Seeds a booking directly.
    pub fn seed(&self, user: Uuid, start: &str, end: &str) -> TimeBooking {
        self.fake
            .bookings()
            .insert(NewBooking::new(user, day(start), day(end)))
    }

    /// GETs a list and returns its items.
    pub async fn list(&self, path: &str, query: &[(&str, &str)]) -> Vec<TimeBooking> {
        let response = self.get(path).query(query).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path} {query:?}");
        response.json().await.unwrap()
    }
}

/// Parses an RFC 3339 stamp.
pub fn stamp(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Parses `YYYY-MM-DD`.
pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A valid booking form for `user`.
pub fn form(user: Uuid, start: &str, end: &str, duration: i32) -> Value {
    json!({
        "userId": user,
        "projectId": null,
        "startDate": start,
        "endDate": end,
        "duration": duration,
        "description": "planned work",
        "laneOrder": 0
    })
}

/// A header as text; panics when absent.
pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing"))
        .to_str()
        .unwrap()
}

/// Reads an error body and checks the parts every error shares.
pub async fn error_body(response: Response, status: u16, code: &str) -> ErrorResponse {
    let seen = response.status();
    let trace_id = header(&response, TRACE_ID_HEADER).to_owned();
    let text = response.text().await.unwrap();
    assert_eq!(seen, status, "{text}");
    let body: ErrorResponse = serde_json::from_str(&text).unwrap();
    assert_eq!(body.code, code, "{body:?}");
    assert_eq!(body.trace_id, trace_id);
    assert_eq!(body.link, awork_fake::ERROR_LINK);
    body
}

/// Checks a 400 that names a path or query parameter the contract refuses.
pub async fn refused_parameter(response: Response, name: &str) {
    let body = error_body(response, 400, awork_fake::codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&body), [name], "{body:?}");
}

/// The property names of a validation error, in answer order.
pub fn invalid_properties(body: &ErrorResponse) -> Vec<&str> {
    body.validation_errors
        .iter()
        .flatten()
        .map(|error| error.property.as_str())
        .collect()
}

/// The ids of a list of bookings.
pub fn ids(bookings: &[TimeBooking]) -> Vec<Uuid> {
    bookings.iter().map(|booking| booking.id).collect()
}
