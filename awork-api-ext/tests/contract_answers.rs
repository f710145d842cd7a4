//! Every answer awork's contract allows reaches the program: random answers made from
//! the response schemas (absent fields, `null`s where allowed, the ends of every
//! integer, empty and long text, the first and last dates, enum values awork has not
//! listed yet) decode into the generated types and then into this crate's types —
//! bookings, time entries of both versions, summaries and webhook entities. What a
//! typed model cannot hold (a negative duration, an entry without an id) comes back as
//! an [`Error::Item`] for that item alone, and a listing goes on past it.

use std::time::Duration;

use awork_api::types as v1;
use awork_api::v2::types as v2;
use awork_api_ext::time_bookings::{ListQuery, TimeBooking};
use awork_api_ext::time_entries::{Summary, TimeEntry};
use awork_api_ext::webhooks::{Event, EventType};
use awork_api_ext::{AworkClient, Error, dates::DateRange};
use awork_fake::contract::{self as spec, Api, SampleStyle};
use awork_fake::{FakeAwork, NewBooking};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::json;
use uuid::Uuid;

/// Random answers per model and style.
const SEEDS: u64 = 400;

const STYLES: [SampleStyle; 3] = [
    SampleStyle::Random,
    SampleStyle::RandomWithUnknownEnums,
    SampleStyle::Extremes,
];

/// A random answer of `schema`, read into the generated type: that must never fail.
fn generated<T: DeserializeOwned>(api: Api, schema: &str, style: SampleStyle, seed: u64) -> T {
    let value = spec::sample(api, schema, style, seed);
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{schema} (seed {seed}) does not decode: {e}\n{value:#}"))
}

/// Either typed, or refused as one item with a reason.
fn typed_or_item<T>(
    result: Result<T, Error>,
    what: &str,
    seed: u64,
    refused: &mut u64,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            assert!(error.is_item(), "{what} (seed {seed}): {error:?}");
            assert!(!error.to_string().is_empty());
            *refused += 1;
            None
        }
    }
}

#[test]
fn random_bookings_are_typed_or_refused_alone() {
    let mut refused = 0;
    for style in STYLES {
        for seed in 0..SEEDS {
            let raw: v1::TimeBooking = generated(Api::V1, "TimeBooking", style, seed);
            let seconds = raw.duration;
            let Some(booking) = typed_or_item(
                TimeBooking::try_from(raw),
                "TimeBooking",
                seed,
                &mut refused,
            ) else {
                continue;
            };
            assert!(booking.dates.start() <= booking.dates.end());
            assert_eq!(Some(booking.duration.as_secs() as i32), seconds);
        }
    }
    let typed = 3 * SEEDS - refused;
    println!(
        "bookings: {} random answers, {typed} typed, {refused} refused as single items",
        3 * SEEDS
    );
    assert!(
        typed > 0 && refused > 0,
        "the answers reach both what a booking holds and what it cannot"
    );
}

#[test]
fn random_time_entries_of_both_versions_are_typed_or_refused_alone_and_add_up() {
    let mut refused = 0;
    let mut summary = Summary::new();
    let mut counted = 0;
    for style in STYLES {
        for seed in 0..SEEDS {
            let raw: v2::TimeEntry = generated(Api::V2, "TimeEntry", style, seed);
            if let Some(entry) =
                typed_or_item(TimeEntry::try_from(raw), "v2 TimeEntry", seed, &mut refused)
            {
                summary.add(&entry);
                counted += 1;
            }
            let raw: v1::TimeTracking = generated(Api::V1, "TimeTracking", style, seed);
            if let Some(entry) = typed_or_item(
                TimeEntry::try_from(raw),
                "v1 TimeTracking",
                seed,
                &mut refused,
            ) {
                summary.add(&entry);
                counted += 1;
            }
        }
    }
    let total: Duration = summary
        .per_user()
        .values()
        .map(|t| t.billable + t.non_billable)
        .sum();
    println!(
        "time entries: {} random answers, {counted} counted into a summary ({total:?}), {refused} refused as single items",
        6 * SEEDS
    );
    assert!(counted > 0 && refused > 0);
}

#[test]
fn random_entities_of_every_webhook_event_decode() {
    let models = [
        ("absence", "Absence"),
        ("company", "Company"),
        ("project", "Project"),
        ("projectmember", "ProjectMember"),
        ("task", "TaskModel"),
        ("tasklist", "TaskList"),
        ("timetracking", "TimeTracking"),
        ("user", "User"),
    ];
    let mut decoded = 0;
    for event_type in EventType::ALL {
        let name = event_type.as_str();
        let model = match name {
            "project_comment_added" | "task_comment_added" => "Comment",
            _ => match models
                .iter()
                .find(|(prefix, _)| name.starts_with(&format!("{prefix}_")))
            {
                Some((_, model)) => model,
                None => continue,
            },
        };
        for style in STYLES {
            for seed in 0..SEEDS / 8 {
                let delivery = json!({
                    "timestamp": "2024-05-06T10:00:00+02:00",
                    "eventType": name,
                    "entity": spec::sample(Api::V1, model, style, seed),
                    "entityId": Uuid::new_v4(),
                    "entityType": name.split('_').next().unwrap(),
                    "traceId": "a65ce5745df02af216715ff06661fb3a",
                });
                let event = Event::from_json(delivery.to_string().as_bytes())
                    .unwrap_or_else(|e| panic!("{name} with a random {model} (seed {seed}): {e}"));
                assert_eq!(event.event_type(), Some(*event_type), "{name}");
                // Typed, not merely handed over as JSON: the entity fits its model.
                assert!(
                    event.envelope().is_some(),
                    "{name} with a random {model} (seed {seed}) is not typed: {event:?}"
                );
                decoded += 1;
            }
        }
    }
    println!("webhook deliveries: {decoded} with random entities decoded");
    assert!(decoded > 0);
}

fn client(fake: &FakeAwork) -> AworkClient {
    AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .build()
        .unwrap()
}

fn day(n: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 5, n).unwrap()
}

#[tokio::test]
async fn one_booking_a_typed_model_cannot_hold_costs_no_other() {
    let fake = FakeAwork::start().await;
    let user = Uuid::new_v4();
    let bookings = fake.bookings();
    let first = bookings.insert(NewBooking::new(user, day(6), day(6)).duration(3600));
    let odd = bookings.insert(NewBooking::new(user, day(7), day(7)).duration(-900));
    let last = bookings.insert(NewBooking::new(user, day(8), day(8)).duration(1800));
    let client = client(&fake);

    let listed: Vec<Result<TimeBooking, Error>> = client
        .time_bookings()
        .list(ListQuery::default().paging(awork_api_ext::paging::PageOptions::new().page_size(2)))
        .collect()
        .await;
    let ids: Vec<Option<Uuid>> = listed
        .iter()
        .map(|r| r.as_ref().ok().map(|b| b.id))
        .collect();
    assert_eq!(
        ids,
        [Some(first.id), None, Some(last.id)],
        "the listing goes on past the odd one"
    );
    let error = listed[1].as_ref().unwrap_err();
    assert!(
        error.is_item() && error.to_string().contains(&odd.id.to_string()),
        "{error}"
    );

    let week = DateRange::new(day(6), day(8)).unwrap();
    let per_user = client
        .time_bookings()
        .for_users([user], week)
        .await
        .unwrap();
    assert_eq!(per_user[0].bookings.len(), 2);
    assert_eq!(per_user[0].undecodable.len(), 1);
    assert!(per_user[0].undecodable[0].is_item());
}

#[tokio::test]
async fn a_summary_counts_what_it_can_and_keeps_the_rest_aside() {
    let entry = |seconds: i32| -> Result<TimeEntry, Error> {
        let raw = v2::TimeEntry {
            id: Some(Uuid::new_v4()),
            start_date: Some(chrono::Utc::now()),
            end_date: Some(chrono::Utc::now()),
            timezone: "Europe/Berlin".into(),
            duration: Some(seconds),
            ..serde_json::from_value::<v2::TimeEntry>(
                json!({"timezone": "UTC", "typeOfWorkId": Uuid::nil()}),
            )
            .unwrap()
        };
        TimeEntry::try_from(raw)
    };
    let stream = futures::stream::iter(vec![entry(3600), entry(-60), entry(1800)]);
    let summary = Summary::from_stream(stream).await.unwrap();
    let total: Duration = summary
        .per_user()
        .values()
        .map(|t| t.billable + t.non_billable)
        .sum();
    assert_eq!(total, Duration::from_secs(5400));
    assert_eq!(summary.undecodable().len(), 1);
}
