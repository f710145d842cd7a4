//! The v2 timer: start → pause → resume → stop, driven by the fake's "now".

use std::time::Duration;

use awork_fake::{TimeEntry, codes};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entries_support::{list_v1, list_v2, v2};
use crate::support::{Api, error_body, refused_parameter, stamp};

/// A valid `StartTimeTrackingForm`.
fn start_form(api: &Api) -> Value {
    json!({
        "timezone": "Europe/Berlin",
        "typeOfWorkId": api.fake.type_of_work_id(),
        "projectId": Uuid::from_u128(4),
        "note": "timer",
        "isBillable": true,
    })
}

/// POSTs to a timer route below `/api/v2` (e.g. `/me/timetracking/pause`);
/// expects 200 and returns the entry.
async fn timer(api: &Api, path: &str, body: Option<&Value>) -> TimeEntry {
    let mut request = v2(api, Method::POST, path);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn start_pause_resume_stop_with_exact_durations() {
    let api = Api::start().await;
    api.fake.clock().set(stamp("2024-05-06T08:00:00Z"));
    let started = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    assert_eq!(started.user_id, api.fake.user_id());
    assert_eq!(started.start_date, stamp("2024-05-06T08:00:00Z"));
    assert_eq!((started.end_date, started.duration), (None, 0));
    assert_eq!(started.project_id, Some(Uuid::from_u128(4)));
    assert_eq!(started.note.as_deref(), Some("timer"));
    assert!(started.is_billable && started.is_running());

    api.fake.clock().advance(Duration::from_secs(25 * 60));
    let paused = timer(&api, "/me/timetracking/pause", None).await;
    assert!(paused.is_paused());
    assert_eq!(paused.breaks.len(), 1);
    assert_eq!(paused.breaks[0].start_date, stamp("2024-05-06T08:25:00Z"));
    assert_eq!(paused.breaks[0].end_date, None);

    api.fake.clock().advance(Duration::from_secs(5 * 60 + 30));
    let resumed = timer(&api, "/me/timetracking/resume", None).await;
    assert!(!resumed.is_paused() && resumed.is_running());
    assert_eq!(
        resumed.breaks[0].end_date,
        Some(stamp("2024-05-06T08:30:30Z"))
    );
    assert_eq!(resumed.breaks[0].duration, Some(330));
    assert_eq!(resumed.break_duration, 330);

    api.fake.clock().advance(Duration::from_secs(60 * 60));
    timer(&api, "/me/timetracking/pause", None).await;
    api.fake.clock().advance(Duration::from_secs(15));
    let stopped = timer(&api, "/me/timetracking/stop", Some(&json!({}))).await;
    assert_eq!(stopped.id, started.id);
    assert_eq!(stopped.end_date, Some(stamp("2024-05-06T09:30:45Z")));
    assert_eq!(stopped.break_duration, 345);
    assert_eq!(stopped.duration, 90 * 60 + 45 - 345);
    assert_eq!(stopped.breaks.len(), 2);
    assert_eq!(stopped.breaks[1].duration, Some(15));
    assert!(!stopped.is_running());
    assert_eq!(
        api.fake.time_entries().get(started.id),
        Some(stopped.clone())
    );

    let raw = json!(stopped);
    assert_eq!(
        raw["breaks"],
        json!([
            { "startDate": "2024-05-06T08:25:00Z", "endDate": "2024-05-06T08:30:30Z", "duration": 330 },
            { "startDate": "2024-05-06T09:30:30Z", "endDate": "2024-05-06T09:30:45Z", "duration": 15 },
        ])
    );
    let v1 = list_v1(&api, &[]).await;
    assert_eq!(v1[0]["breakDuration"], 345);
    assert_eq!(v1[0]["duration"], 5100);
    assert_eq!(v1[0]["endTimeLocal"], "11:30:45");
    assert_eq!(v1[0]["breaks"], raw["breaks"]);
}

#[tokio::test]
async fn stop_without_a_break_and_a_new_start_afterwards() {
    let api = Api::start().await;
    api.fake.clock().set(stamp("2024-05-06T08:00:00Z"));
    timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    api.fake.clock().advance(Duration::from_secs(1234));
    let stopped = timer(&api, "/me/timetracking/stop", None).await;
    assert_eq!((stopped.duration, stopped.break_duration), (1234, 0));
    assert!(stopped.breaks.is_empty());
    let again = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    assert_eq!(again.start_date, stamp("2024-05-06T08:20:34Z"));
    assert_eq!(api.fake.time_entries().all().len(), 2);
}

#[tokio::test]
async fn another_users_timer_runs_beside_mine() {
    let api = Api::start().await;
    let colleague = Uuid::new_v4();
    let theirs = format!("/users/{colleague}/timetracking");
    api.fake.clock().set(stamp("2024-05-06T08:00:00Z"));
    let started = timer(&api, &format!("{theirs}/start"), Some(&start_form(&api))).await;
    assert_eq!(started.user_id, colleague);
    assert_eq!(started.created_by, api.fake.user_id());
    let mine = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    api.fake.clock().advance(Duration::from_secs(60));
    timer(&api, &format!("{theirs}/pause"), None).await;
    api.fake.clock().advance(Duration::from_secs(60));
    timer(&api, &format!("{theirs}/resume"), None).await;
    api.fake.clock().advance(Duration::from_secs(60));
    let stopped = timer(&api, &format!("{theirs}/stop"), None).await;
    assert_eq!(stopped.id, started.id);
    assert_eq!((stopped.duration, stopped.break_duration), (120, 60));
    assert!(api.fake.time_entries().get(mine.id).unwrap().is_running());
    let not_a_user = v2(&api, Method::POST, "/users/bob/timetracking/stop")
        .send()
        .await
        .unwrap();
    refused_parameter(not_a_user, "userId").await;
}

#[tokio::test]
async fn timer_refuses_actions_that_do_not_fit_its_state() {
    let api = Api::start().await;
    for action in ["pause", "resume", "stop"] {
        let response = v2(&api, Method::POST, &format!("/me/timetracking/{action}"))
            .send()
            .await
            .unwrap();
        error_body(response, 400, codes::INVALID_OPERATION).await;
    }
    timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    let refused = [("start", Some(start_form(&api))), ("resume", None)];
    for (action, body) in refused {
        let mut request = v2(&api, Method::POST, &format!("/me/timetracking/{action}"));
        if let Some(body) = &body {
            request = request.json(body);
        }
        error_body(request.send().await.unwrap(), 400, codes::INVALID_OPERATION).await;
    }
    timer(&api, "/me/timetracking/pause", None).await;
    let twice = v2(&api, Method::POST, "/me/timetracking/pause")
        .send()
        .await
        .unwrap();
    error_body(twice, 400, codes::INVALID_OPERATION).await;
    assert_eq!(api.fake.time_entries().all().len(), 1);
    let get = v2(&api, Method::GET, "/me/timetracking/stop")
        .send()
        .await
        .unwrap();
    error_body(get, 405, codes::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn running_and_paused_entries_appear_in_both_lists() {
    let api = Api::start().await;
    let colleague = Uuid::new_v4();
    api.fake.clock().set(stamp("2024-05-06T08:00:00Z"));
    let running = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    let paused = timer(
        &api,
        &format!("/users/{colleague}/timetracking/start"),
        Some(&start_form(&api)),
    )
    .await;
    timer(
        &api,
        &format!("/users/{colleague}/timetracking/pause"),
        None,
    )
    .await;
    let listed = list_v2(&api, &[("filterby", "endDate eq null")]).await;
    assert_eq!(
        listed.iter().map(|e| e.id).collect::<Vec<_>>(),
        [running.id, paused.id]
    );
    assert!(listed[1].is_paused());
    let v1 = list_v1(&api, &[]).await;
    assert_eq!(v1.len(), 2);
    assert_eq!(v1[1]["endDateUtc"], Value::Null);
    assert_eq!(v1[1]["breaks"][0]["endDate"], Value::Null);
}

#[tokio::test]
async fn put_on_a_running_timer_only_moves_its_start() {
    let api = Api::start().await;
    api.fake.clock().set(stamp("2024-05-06T08:00:00Z"));
    let running = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    let path = format!("/timeentries/{}", running.id);
    let mut form = json!({
        "timezone": "UTC",
        "typeOfWorkId": api.fake.type_of_work_id(),
        "startDate": "2024-05-06T07:30:00Z",
        "endDate": "2024-05-06T09:00:00Z",
        "duration": 60,
    });
    let refused = v2(&api, Method::PUT, &path)
        .json(&form)
        .send()
        .await
        .unwrap();
    let body = error_body(refused, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        crate::support::invalid_properties(&body),
        ["endDate", "duration"]
    );
    form["endDate"] = Value::Null;
    form["duration"] = json!(0);
    let moved = v2(&api, Method::PUT, &path)
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let moved: TimeEntry = moved.json().await.unwrap();
    assert!(moved.is_running());
    assert_eq!(moved.start_date, stamp("2024-05-06T07:30:00Z"));
    assert_eq!(moved.project_id, None);
    api.fake.clock().advance(Duration::from_secs(600));
    let stopped = timer(&api, "/me/timetracking/stop", None).await;
    assert_eq!(stopped.duration, 40 * 60);
}

#[tokio::test]
async fn without_set_now_the_timer_follows_the_wall_clock() {
    let api = Api::around(awork_fake::FakeAwork::start().await);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let started = timer(&api, "/me/timetracking/start", Some(&start_form(&api))).await;
    assert!(started.start_date >= before && started.start_date <= chrono::Utc::now());
    api.fake.clock().advance(Duration::from_secs(3600));
    let stopped = timer(&api, "/me/timetracking/stop", None).await;
    assert!(
        (3599..=3602).contains(&stopped.duration),
        "{}",
        stopped.duration
    );
}
