//! Every time-entry operation on the wire (wiremock): method, path, exact body, and the
//! typed answer; and rejected input that sends nothing.

mod common;

use awork_api_ext::clock::ManualClock;
use awork_api_ext::time_entries::{EntryQuery, TimeEntryDraft, TimerStart, Timing, zone};
use awork_api_ext::{AworkClient, Error};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use futures::TryStreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-time-entries-wire";
const USER: &str = "0a3c0de0-fa4e-4a11-8000-000000000001";
const WORK: &str = "0a3c0de0-fa4e-4a11-8000-0000000000f1";
const ENTRY: &str = "0a3c0de0-fa4e-4a11-8000-0000000000e1";
const OTHER: &str = "0a3c0de0-fa4e-4a11-8000-0000000000e2";

fn uuid(s: &str) -> Uuid {
    s.parse().unwrap()
}

async fn setup() -> (MockServer, AworkClient) {
    let server = MockServer::start().await;
    let clock = ManualClock::default();
    let client = common::builder(&format!("{}/api/v1", server.uri()), KEY, &clock)
        .build()
        .unwrap();
    (server, client)
}

/// A v2 entry as awork sends it: UTC instants, the zone it was recorded in.
fn v2_entry(start: &str, end: Option<&str>, duration: i32) -> Value {
    json!({"id": ENTRY, "userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
           "startDate": start, "endDate": end, "duration": duration, "breakDuration": 0,
           "isBillable": true, "isBilled": false, "isDateOnly": false, "note": "Review"})
}

fn draft() -> TimeEntryDraft {
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    TimeEntryDraft::local(
        uuid(USER),
        uuid(WORK),
        Berlin,
        day.and_hms_opt(9, 0, 0).unwrap(),
        day.and_hms_opt(10, 30, 0).unwrap(),
    )
    .unwrap()
    .note("Review")
    .billable(true)
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[tokio::test]
async fn create_posts_the_v2_form_and_reads_the_entry_in_its_zone() {
    let (server, client) = setup().await;
    let form = json!({"userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
                      "startDate": "2024-05-06T07:00:00Z", "endDate": "2024-05-06T08:30:00Z",
                      "duration": 5400, "isDateOnly": false, "isBillable": true, "note": "Review"});
    Mock::given(method("POST"))
        .and(path("/api/v2/timeentries"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_json(form))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
            "2024-05-06T07:00:00Z",
            Some("2024-05-06T08:30:00Z"),
            5400,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let entry = client.time_entries().create(&draft()).await.unwrap();
    let Timing::Timed { start, end } = entry.timing else {
        panic!("{:?}", entry.timing)
    };
    assert_eq!(start, Berlin.with_ymd_and_hms(2024, 5, 6, 9, 0, 0).unwrap());
    assert_eq!(end, Berlin.with_ymd_and_hms(2024, 5, 6, 10, 30, 0).unwrap());
    assert_eq!(entry.duration, Duration::from_secs(5400));
    assert_eq!(entry.timezone, Berlin);
    assert!(entry.is_billable && !entry.is_billed);
}

#[tokio::test]
async fn update_puts_the_whole_entry_clearing_what_is_unset_as_the_contract_allows() {
    let (server, client) = setup().await;
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    let bare = TimeEntryDraft::date_only(
        uuid(USER),
        uuid(WORK),
        Berlin,
        day,
        Duration::from_secs(3600),
    );
    let body = json!({"userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
                      "startDate": "2024-05-06T00:00:00Z", "endDate": null, "duration": 3600,
                      "isDateOnly": true, "isBillable": false, "isBilled": false,
                      "note": null, "projectId": null, "taskId": null});
    awork_fake::contract::check_body(
        awork_fake::contract::Api::V2,
        "PUT",
        "/timeentries/{timeEntryId}",
        &body,
    )
    .expect("the replace body is what awork's contract allows");
    let mut answer = v2_entry("2024-05-06T00:00:00Z", None, 3600);
    answer["isDateOnly"] = json!(true);
    Mock::given(method("PUT"))
        .and(path(format!("/api/v2/timeentries/{ENTRY}")))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let entry = client
        .time_entries()
        .update(uuid(ENTRY), &bare)
        .await
        .unwrap();
    assert_eq!(entry.timing, Timing::DateOnly { date: day });
}

#[tokio::test]
async fn get_reads_v2_and_answers_none_for_404_and_delete_uses_v1() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/timeentries/{ENTRY}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
            "2024-05-06T07:00:00Z",
            None,
            0,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/timeentries/{OTHER}")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "not-found", "description": "x"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/v1/timeentries/{ENTRY}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let running = client
        .time_entries()
        .get(uuid(ENTRY))
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(running.timing, Timing::Running { .. }),
        "{:?}",
        running.timing
    );
    assert!(
        client
            .time_entries()
            .get(uuid(OTHER))
            .await
            .unwrap()
            .is_none()
    );
    client.time_entries().delete(uuid(ENTRY)).await.unwrap();
}

#[tokio::test]
async fn list_sends_the_typed_filters_and_pages() {
    let (server, client) = setup().await;
    let filter = format!(
        "userId eq guid'{USER}' and isBillable eq false and startDate ge datetime'2024-05-05T22:00:00Z' and startDate lt datetime'2024-05-06T22:00:00Z'"
    );
    Mock::given(method("GET"))
        .and(path("/api/v2/timeentries"))
        .and(query_param("filterby", filter.as_str()))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "1000"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("aw-totalitems", "1")
                .set_body_json(json!([v2_entry(
                    "2024-05-06T07:00:00Z",
                    Some("2024-05-06T08:00:00Z"),
                    3600
                )])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let day = awork_api_ext::dates::DateRange::parse("2024-05-06", "2024-05-06").unwrap();
    let query = EntryQuery::new()
        .user(uuid(USER))
        .billable(false)
        .days(day, Berlin);
    let listing = client.time_entries().list(query);
    let entries: Vec<_> = listing.try_collect().await.unwrap();
    assert_eq!(entries.len(), 1);
}

#[tokio::test]
async fn batch_operations_post_the_v1_form_and_read_the_multi_status() {
    let (server, client) = setup().await;
    let cases = [
        (
            "setIsBillable",
            json!({"timeEntryIds": [ENTRY, OTHER], "isBillable": true}),
        ),
        (
            "setIsBilled",
            json!({"timeEntryIds": [ENTRY, OTHER], "isBilled": false}),
        ),
        (
            "setTypeOfWork",
            json!({"timeEntryIds": [ENTRY, OTHER], "newTypeOfWorkId": WORK}),
        ),
        ("delete", json!({"timeEntryIds": [ENTRY, OTHER]})),
    ];
    for (operation, body) in cases {
        Mock::given(method("POST"))
            .and(path(format!("/api/v1/timeentries/batch/{operation}")))
            .and(body_json(body))
            .respond_with(
                ResponseTemplate::new(207)
                    .set_body_json(json!({"ok": {"ids": [ENTRY]}, "notFound": {"ids": [OTHER]}})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids = [uuid(ENTRY), uuid(OTHER), uuid(ENTRY)];
    let entries = client.time_entries();
    let outcomes = [
        entries.set_billable(ids, true).await.unwrap(),
        entries.set_billed(ids, false).await.unwrap(),
        entries.set_type_of_work(ids, uuid(WORK)).await.unwrap(),
        entries.delete_many(ids).await.unwrap(),
    ];
    for outcome in outcomes {
        assert_eq!(outcome.ok, [uuid(ENTRY)]);
        assert_eq!(outcome.not_found, [uuid(OTHER)]);
        assert!(!outcome.all_ok());
    }
}

#[tokio::test]
async fn the_timer_uses_v2_for_me_and_for_another_user() {
    let (server, client) = setup().await;
    let start_form = json!({"typeOfWorkId": WORK, "timezone": "Europe/Berlin", "note": "Focus"});
    for prefix in [
        "/api/v2/me/timetracking",
        &format!("/api/v2/users/{USER}/timetracking"),
    ] {
        Mock::given(method("POST"))
            .and(path(format!("{prefix}/start")))
            .and(body_json(start_form.clone()))
            .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
                "2024-05-06T07:00:00Z",
                None,
                0,
            )))
            .expect(1)
            .mount(&server)
            .await;
        for step in ["pause", "resume"] {
            Mock::given(method("POST"))
                .and(path(format!("{prefix}/{step}")))
                .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
                    "2024-05-06T07:00:00Z",
                    None,
                    0,
                )))
                .expect(1)
                .mount(&server)
                .await;
        }
        Mock::given(method("POST"))
            .and(path(format!("{prefix}/stop")))
            .and(body_json(json!({})))
            .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
                "2024-05-06T07:00:00Z",
                Some("2024-05-06T08:00:00Z"),
                3300,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }
    let start = TimerStart::new(uuid(WORK), zone("Europe/Berlin").unwrap()).note("Focus");
    for timer in [
        client.time_entries().timer(),
        client.time_entries().timer_for(uuid(USER)),
    ] {
        let running = timer.start(&start).await.unwrap();
        assert!(matches!(running.timing, Timing::Running { .. }));
        timer.pause().await.unwrap();
        timer.resume().await.unwrap();
        let stopped = timer.stop().await.unwrap();
        assert_eq!(stopped.duration, Duration::from_secs(3300));
    }
}

#[tokio::test]
async fn a_v1_entry_with_local_times_without_offset_reads_the_same_instants() {
    let (server, client) = setup().await;
    // 22:30 Berlin summer time to 01:15 the next day: local parts without an offset.
    let v1 = json!({"id": ENTRY, "userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
        "startDateUtc": "2024-05-06T00:00:00Z", "startTimeUtc": "20:30:00",
        "endDateUtc": "2024-05-06T00:00:00Z", "endTimeUtc": "23:15:00",
        "startDateLocal": "2024-05-06T00:00:00", "startTimeLocal": "22:30:00",
        "endDateLocal": "2024-05-07T00:00:00", "endTimeLocal": "01:15:00",
        "duration": 9900, "breakDuration": 0});
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/timeentries/{ENTRY}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(v1))
        .mount(&server)
        .await;
    use awork_api_ext::prelude::*;
    let raw = client
        .api()
        .get_time_entry_by_id()
        .time_entry_id(uuid(ENTRY))
        .call()
        .await
        .unwrap();
    let entry = awork_api_ext::time_entries::TimeEntry::try_from(raw).unwrap();
    let Timing::Timed { start, end } = entry.timing else {
        panic!("{:?}", entry.timing)
    };
    assert_eq!(start.with_timezone(&Utc), utc("2024-05-06T20:30:00Z"));
    assert_eq!(end.with_timezone(&Utc), utc("2024-05-06T23:15:00Z"));
    assert_eq!(
        end.date_naive(),
        NaiveDate::from_ymd_opt(2024, 5, 7).unwrap(),
        "local end is the next day"
    );
}

#[tokio::test]
async fn rejected_input_sends_nothing() {
    let (server, client) = setup().await;
    let entries = client.time_entries();
    let start = Berlin.with_ymd_and_hms(2024, 5, 6, 9, 0, 0).unwrap();
    let backwards = TimeEntryDraft::between(
        uuid(USER),
        uuid(WORK),
        start,
        start - chrono::Duration::hours(1),
    );
    let fields = [
        field(entries.create(&backwards).await),
        field(entries.update(uuid(ENTRY), &backwards).await),
        field(entries.update(Uuid::nil(), &draft()).await),
        field(entries.delete(Uuid::nil()).await),
        field(entries.get(Uuid::nil()).await),
        field(entries.set_billable(Vec::<Uuid>::new(), true).await),
        field(entries.set_type_of_work([uuid(ENTRY)], Uuid::nil()).await),
        field(entries.timer_for(Uuid::nil()).pause().await),
        field(
            entries
                .timer()
                .start(&TimerStart::new(Uuid::nil(), Berlin))
                .await,
        ),
        field(
            entries
                .list(EntryQuery::new().task(Uuid::nil()))
                .try_collect::<Vec<_>>()
                .await,
        ),
    ];
    assert_eq!(
        fields,
        [
            "end",
            "end",
            "id",
            "id",
            "id",
            "ids",
            "type_of_work_id",
            "user_id",
            "type_of_work_id",
            "task"
        ]
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn last_and_running_read_200_as_the_entry_and_204_as_none() {
    let (server, client) = setup().await;
    // Me: a running entry. Another user: nothing at all (204, no body).
    Mock::given(method("GET"))
        .and(path("/api/v2/me/timeentries/last"))
        .and(header("authorization", format!("Bearer {KEY}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
            "2024-05-06T07:00:00Z",
            None,
            0,
        )))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/users/{USER}/timeentries/last")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let mine = client.time_entries().timer();
    let last = mine.last().await.unwrap().expect("an entry");
    assert_eq!(last.id, uuid(ENTRY));
    assert!(mine.running().await.unwrap().is_some());
    let theirs = client.time_entries().timer_for(uuid(USER));
    assert!(theirs.last().await.unwrap().is_none());
    assert!(theirs.running().await.unwrap().is_none());
}

#[tokio::test]
async fn a_finished_last_entry_is_not_a_running_timer() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/me/timeentries/last"))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
            "2024-05-06T07:00:00Z",
            Some("2024-05-06T08:00:00Z"),
            3600,
        )))
        .mount(&server)
        .await;
    let timer = client.time_entries().timer();
    assert!(timer.last().await.unwrap().is_some());
    assert!(timer.running().await.unwrap().is_none());
}

#[tokio::test]
async fn a_bodiless_answer_is_none_for_call_optional_and_a_pointed_error_for_call() {
    use awork_api_ext::prelude::*;
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/me/timeentries/last"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/me/timetracking/stop"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let none = client
        .v2()
        .get_my_last_time_entries_v2()
        .call_optional()
        .await;
    assert!(none.unwrap().is_none());
    let err = client
        .v2()
        .get_my_last_time_entries_v2()
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode { status: Some(s), .. } if s.as_u16() == 204),
        "{err:?}"
    );
    assert!(err.to_string().contains(".call_optional()"), "{err}");
    // A success the document does not list, with a body, is not "nothing".
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/users/{USER}/timeentries/last")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"queued": true})))
        .mount(&server)
        .await;
    let err = client
        .v2()
        .get_last_time_entries_by_user_id_v2()
        .user_id(uuid(USER))
        .call_optional()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: Some(s), excerpt, .. } if s.as_u16() == 202 && excerpt.contains("queued")),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not list"), "{err}");
    let err = client.time_entries().timer().stop().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "awork request failed: awork answered 204 No Content to the timer's stop: this user \
         has no timer to stop"
    );
}

#[tokio::test]
async fn remove_breaks_posts_to_v2_and_a_nil_id_sends_nothing() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v2/timeentries/{ENTRY}/removebreaks")))
        .and(header("authorization", format!("Bearer {KEY}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(v2_entry(
            "2024-05-06T07:00:00Z",
            Some("2024-05-06T08:00:00Z"),
            3600,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let entry = client
        .time_entries()
        .remove_breaks(uuid(ENTRY))
        .await
        .unwrap();
    assert_eq!(entry.duration, Duration::from_secs(3600));
    let err = client
        .time_entries()
        .remove_breaks(Uuid::nil())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { field, .. } if field == "id"),
        "{err}"
    );
}
