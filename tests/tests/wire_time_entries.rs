//! Time entries of API v1 on the wire, with awork's real shapes: the UTC start and end
//! carry `Z`, the local ones carry no offset (`2022-03-01T17:21:05`), and the times of
//! day are `HH:MM:SS` strings. The generated types read and write exactly these.

use awork_api::{Client, Hooks, types};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENTRY: &str = "0a3c0de0-fa4e-4a11-8000-0000000000e1";
const USER: &str = "0a3c0de0-fa4e-4a11-8000-000000000001";
const WORK: &str = "0a3c0de0-fa4e-4a11-8000-0000000000f1";

/// A time entry as awork answers it.
fn entry_json() -> Value {
    json!({
        "id": ENTRY, "userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
        "startDateUtc": "2022-02-28T23:00:00Z", "startTimeUtc": "23:00:00",
        "endDateUtc": "2022-03-01T16:21:05Z", "endTimeUtc": "16:21:05",
        "startDateLocal": "2022-03-01T00:00:00", "startTimeLocal": "00:00:00",
        "endDateLocal": "2022-03-01T17:21:05", "endTimeLocal": "17:21:05",
        "duration": 62465, "breakDuration": 0, "isBillable": true, "isBilled": false,
        "createdOn": "2022-03-01T17:21:06Z", "breaks": []
    })
}

fn local(date: (i32, u32, u32), time: (u32, u32, u32)) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        .unwrap()
        .and_hms_opt(time.0, time.1, time.2)
        .unwrap()
}

fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, s).unwrap()
}

fn assert_entry(e: &types::TimeTracking) {
    assert_eq!(e.id, Some(ENTRY.parse().unwrap()));
    assert_eq!(e.start_date_local, Some(local((2022, 3, 1), (0, 0, 0))));
    assert_eq!(e.end_date_local, Some(local((2022, 3, 1), (17, 21, 5))));
    assert_eq!(e.start_time_local, Some(hms(0, 0, 0)));
    assert_eq!(e.end_time_local, Some(hms(17, 21, 5)));
    assert_eq!(e.start_time_utc, Some(hms(23, 0, 0)));
    assert_eq!(
        e.end_date_utc.unwrap().to_rfc3339(),
        "2022-03-01T16:21:05+00:00"
    );
    assert_eq!(e.duration, Some(62465));
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&format!("{}/api/v1", server.uri()), Hooks::new());
    (server, client)
}

async fn answer(server: &MockServer, verb: &str, route: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn reads_decode_local_times_without_an_offset() {
    let (server, client) = server().await;
    answer(
        &server,
        "GET",
        &format!("/api/v1/timeentries/{ENTRY}"),
        entry_json(),
    )
    .await;
    answer(&server, "GET", "/api/v1/me/timeentries/last", entry_json()).await;
    let id: Uuid = ENTRY.parse().unwrap();
    let one = client.get_time_entry_by_id().time_entry_id(id).send().await;
    assert_entry(&one.unwrap());
    let last = client.get_my_last_time_entries().send().await;
    assert_entry(&last.unwrap());
}

#[tokio::test]
async fn the_simplified_list_decodes_too() {
    let (server, client) = server().await;
    let simplified = json!([{
        "id": ENTRY, "startDateUtc": "2022-02-28T23:00:00Z",
        "startDateLocal": "2022-03-01T00:00:00", "startTimeLocal": "00:00:00",
        "duration": 62465, "isBillable": true
    }]);
    answer(&server, "GET", "/api/v1/timeentries/simplified", simplified).await;
    let list = client.get_time_entries_simplified().send().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].start_date_local,
        Some(local((2022, 3, 1), (0, 0, 0)))
    );
    assert_eq!(list[0].start_time_local, Some(hms(0, 0, 0)));
}

#[tokio::test]
async fn writes_send_local_times_without_an_offset() {
    let (server, client) = server().await;
    let sent = json!({
        "userId": USER, "typeOfWorkId": WORK, "timezone": "Europe/Berlin",
        "startDateLocal": "2022-03-01T00:00:00", "startTimeLocal": "00:00:00",
        "endDateLocal": "2022-03-01T17:21:05", "endTimeLocal": "17:21:05",
        "isBillable": true
    });
    for (verb, route) in [
        ("POST", "/api/v1/timeentries".to_string()),
        ("PUT", format!("/api/v1/timeentries/{ENTRY}")),
    ] {
        Mock::given(method(verb))
            .and(path(route.as_str()))
            .and(body_json(&sent))
            .respond_with(ResponseTemplate::new(200).set_body_json(entry_json()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let created = client
        .post_time_entry()
        .body(types::TimeEntryPostForm {
            user_id: USER.parse().unwrap(),
            type_of_work_id: WORK.parse().unwrap(),
            timezone: "Europe/Berlin".into(),
            start_date_local: Some(local((2022, 3, 1), (0, 0, 0))),
            start_time_local: Some(hms(0, 0, 0)),
            end_date_local: Some(local((2022, 3, 1), (17, 21, 5))),
            end_time_local: Some(hms(17, 21, 5)),
            is_billable: Some(true),
            ..post_form_defaults()
        })
        .send()
        .await;
    assert_entry(&created.unwrap());
    let replaced = client
        .put_time_entry_by_id()
        .time_entry_id(ENTRY.parse::<Uuid>().unwrap())
        .body(types::TimeTrackingPutForm {
            user_id: Some(USER.parse().unwrap()),
            type_of_work_id: WORK.parse().unwrap(),
            timezone: "Europe/Berlin".into(),
            start_date_local: Some(local((2022, 3, 1), (0, 0, 0))),
            start_time_local: Some(hms(0, 0, 0)),
            end_date_local: Some(local((2022, 3, 1), (17, 21, 5))),
            end_time_local: Some(hms(17, 21, 5)),
            is_billable: Some(true),
            ..put_form_defaults()
        })
        .send()
        .await;
    assert_entry(&replaced.unwrap());
}

/// The two forms have required fields, so no `Default`: a form with every optional
/// field unset, for `..` in the tests above.
macro_rules! unset_form {
    ($name:ident, $ty:ident, user_id: $user:expr) => {
        fn $name() -> types::$ty {
            types::$ty {
                break_duration: None,
                duration: None,
                end_date_local: None,
                end_date_utc: None,
                end_time_local: None,
                end_time_utc: None,
                is_billable: None,
                is_billed: None,
                note: None,
                project_id: None,
                start_date_local: None,
                start_date_utc: None,
                start_time_local: None,
                start_time_utc: None,
                task_id: None,
                timezone: String::new(),
                type_of_work_id: Uuid::nil(),
                user_id: $user,
            }
        }
    };
}

unset_form!(post_form_defaults, TimeEntryPostForm, user_id: Uuid::nil());
unset_form!(put_form_defaults, TimeTrackingPutForm, user_id: None);
