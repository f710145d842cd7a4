//! The users-range routes: grouping per user and interval overlap.

use awork_fake::{UserTimeBookings, codes};
use uuid::Uuid;

use crate::support::{Api, error_body, ids, invalid_properties};

#[tokio::test]
async fn groups_per_requested_user_with_inclusive_overlap() {
    let api = Api::start().await;
    let (alice, bob, carol) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    // Interval under test: 2024-05-10 ..= 2024-05-20.
    let ends_on_start = api.seed(alice, "2024-05-01", "2024-05-10");
    let starts_on_end = api.seed(alice, "2024-05-20", "2024-05-25");
    let spans = api.seed(alice, "2024-05-01", "2024-05-31");
    let _before = api.seed(alice, "2024-05-01", "2024-05-09");
    let _after = api.seed(alice, "2024-05-21", "2024-05-22");
    let inside = api.seed(bob, "2024-05-12", "2024-05-12");
    let _other_user = api.seed(carol, "2024-05-12", "2024-05-12");

    for route in ["/users/timebookings", "/users/projecttimebookings"] {
        let user_ids = format!("{bob},{alice},{bob}");
        let query = [
            ("userIds", user_ids.as_str()),
            ("intervalStart", "2024-05-10"),
            ("intervalEnd", "2024-05-20"),
        ];
        let response = api.get(route).query(&query).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let groups: Vec<UserTimeBookings> = response.json().await.unwrap();
        let users: Vec<Uuid> = groups.iter().map(|group| group.user_id).collect();
        assert_eq!(users, [bob, alice], "request order, de-duplicated");
        assert_eq!(ids(&groups[0].time_bookings), [inside.id]);
        // Ordered by start date, then creation.
        assert_eq!(
            ids(&groups[1].time_bookings),
            [ends_on_start.id, spans.id, starts_on_end.id]
        );
    }
}

#[tokio::test]
async fn users_without_bookings_get_an_empty_entry_and_raw_json_shape() {
    let api = Api::start().await;
    let lonely = Uuid::new_v4();
    let response = api
        .get("/users/timebookings")
        .query(&[
            ("userIds", lonely.to_string().as_str()),
            ("intervalStart", "2024-05-01"),
            ("intervalEnd", "2024-05-01"),
        ])
        .send()
        .await
        .unwrap();
    let raw: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        raw,
        serde_json::json!([{ "userId": lonely, "timeBookings": [] }])
    );
}

#[tokio::test]
async fn missing_or_invalid_parameters_are_validation_errors() {
    let api = Api::start().await;
    let nothing = api.get("/users/timebookings").send().await.unwrap();
    let body = error_body(nothing, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(
        invalid_properties(&body),
        ["userIds", "intervalStart", "intervalEnd"]
    );

    let bad = api
        .get("/users/projecttimebookings")
        .query(&[
            ("userIds", "not-a-guid"),
            ("intervalStart", "2024-05-10"),
            ("intervalEnd", "2024-05-01"),
        ])
        .send()
        .await
        .unwrap();
    let body = error_body(bad, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&body), ["userIds", "intervalEnd"]);
}
