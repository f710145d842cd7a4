//! Create, read, update and delete on both route families.

use awork_fake::{FakeAwork, NewBooking, TimeBooking, codes};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, day, error_body, form, header, stamp};

const FAMILIES: [&str; 2] = ["timebookings", "projecttimebookings"];

#[tokio::test]
async fn full_lifecycle_on_both_families() {
    let api = Api::start().await;
    let user = Uuid::new_v4();
    for (index, family) in FAMILIES.into_iter().enumerate() {
        let created = api
            .create(family, &form(user, "2024-05-02", "2024-05-03", 3600))
            .await;
        check_created_shape(&created, &api.fake, user, index);
        let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();
        let stored = api
            .fake
            .bookings()
            .get(id)
            .expect("the created booking is stored");
        assert_eq!(json!(stored), created);

        let mut changed = form(user, "2024-05-02", "2024-05-06", 7200);
        changed["projectId"] = json!(Uuid::new_v4());
        changed["laneOrder"] = json!(3);
        let updated = api
            .request(Method::PUT, &format!("/{family}/{id}"))
            .json(&changed)
            .send()
            .await
            .unwrap();
        assert_eq!(updated.status(), 200);
        let updated: TimeBooking = updated.json().await.unwrap();
        assert_eq!(updated.duration, 7200);
        assert_eq!(updated.end_date, day("2024-05-06"));
        assert_eq!(updated.lane_order, 3);
        assert_eq!(
            updated.project_id.map(|p| p.to_string()),
            changed["projectId"].as_str().map(str::to_owned)
        );
        assert_eq!(json!(updated)["createdOn"], created["createdOn"]);
        assert!(updated.updated_on > updated.created_on);
        assert_eq!(api.fake.bookings().get(updated.id), Some(updated.clone()));

        let deleted = api
            .request(Method::DELETE, &format!("/{family}/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        assert!(deleted.bytes().await.unwrap().is_empty());

        assert_eq!(api.fake.bookings().get(id), None);
        let again = api
            .request(Method::DELETE, &format!("/{family}/{id}"))
            .send()
            .await
            .unwrap();
        error_body(again, 404, codes::NOT_FOUND).await;
    }
    assert!(api.fake.bookings().all().is_empty());
}

/// Checks every property of a freshly created booking. The clock stands still, so
/// each stamp is a millisecond after the one before; each family round takes two
/// (create, update).
fn check_created_shape(created: &Value, fake: &FakeAwork, user: Uuid, index: usize) {
    let object = created.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "createdBy",
            "createdOn",
            "description",
            "duration",
            "endDate",
            "id",
            "isAnonymized",
            "laneOrder",
            "projectId",
            "startDate",
            "updatedBy",
            "updatedOn",
            "userId"
        ]
    );
    let expected_stamp = match index {
        0 => "2024-05-01T10:00:00Z".to_owned(),
        n => format!("2024-05-01T10:00:00.{:03}Z", n * 2),
    };
    assert_eq!(created["createdOn"], json!(expected_stamp));
    assert_eq!(created["updatedOn"], created["createdOn"]);
    assert_eq!(created["createdBy"], json!(fake.user_id()));
    assert_eq!(created["updatedBy"], json!(fake.user_id()));
    assert_eq!(created["userId"], json!(user));
    assert_eq!(created["projectId"], Value::Null);
    assert_eq!(created["startDate"], "2024-05-02");
    assert_eq!(created["endDate"], "2024-05-03");
    assert_eq!(created["duration"], 3600);
    assert_eq!(created["description"], "planned work");
    assert_eq!(created["laneOrder"], 0);
    assert_eq!(created["isAnonymized"], false);
}

#[tokio::test]
async fn both_families_share_one_store() {
    let api = Api::start().await;
    let created = api
        .create(
            "timebookings",
            &form(Uuid::new_v4(), "2024-05-02", "2024-05-02", 60),
        )
        .await;
    let listed = api.list("/projecttimebookings", &[]).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(json!(listed[0]), created);
}

#[tokio::test]
async fn seeding_snapshot_and_clear() {
    let api = Api::start().await;
    let user = Uuid::new_v4();
    let project = Uuid::new_v4();
    let seeded = api.fake.bookings().insert(
        NewBooking::new(user, day("2024-06-01"), day("2024-06-02"))
            .project(project)
            .duration(900)
            .description("seeded")
            .lane_order(2),
    );
    assert_eq!(seeded.created_by, api.fake.user_id());
    assert_eq!(seeded.is_anonymized, Some(false));

    let mut verbatim = seeded.clone();
    verbatim.id = Uuid::new_v4();
    verbatim.created_by = Uuid::new_v4();
    verbatim.created_on = stamp("2020-01-01T00:00:00.5Z");
    api.fake.bookings().put(verbatim.clone());

    let listed = api.list("/timebookings", &[]).await;
    assert_eq!(
        listed,
        vec![seeded.clone(), verbatim.clone()],
        "in the order stored"
    );
    assert_eq!(api.fake.bookings().all(), listed);
    let raw: Value = api
        .get("/timebookings")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw[1]["id"], json!(verbatim.id));
    assert_eq!(raw[1]["createdOn"], "2020-01-01T00:00:00.500Z");

    api.fake.clear();
    assert!(api.fake.bookings().all().is_empty());
    assert!(api.list("/timebookings", &[]).await.is_empty());
}

#[tokio::test]
async fn unknown_routes_and_ids_answer_not_found() {
    let api = Api::start().await;
    let unknown_route = api.get("/nowhere").send().await.unwrap();
    let body = error_body(unknown_route, 404, codes::NOT_FOUND).await;
    assert!(body.validation_errors.is_none());

    let outside_base = api
        .http
        .get(format!("http://{}/elsewhere", api.fake.address()))
        .bearer_auth(api.fake.api_key())
        .send()
        .await
        .unwrap();
    error_body(outside_base, 404, codes::NOT_FOUND).await;

    for method in [Method::PUT, Method::DELETE] {
        let not_a_guid = api
            .request(method, "/timebookings/not-a-guid")
            .json(&form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 0))
            .send()
            .await
            .unwrap();
        assert!(not_a_guid.headers().get("allow").is_none());
        let body = error_body(not_a_guid, 400, codes::VALIDATION_FAILED).await;
        let problems = body.validation_errors.unwrap();
        assert_eq!(
            problems[0].property, "timeBookingId",
            "the contract names the path parameter"
        );
    }

    let missing = Uuid::new_v4();
    let update = api
        .request(Method::PUT, &format!("/timebookings/{missing}"))
        .json(&form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 0))
        .send()
        .await
        .unwrap();
    error_body(update, 404, codes::NOT_FOUND).await;
}

#[tokio::test]
async fn wrong_method_on_known_route_is_405_with_error_body() {
    let api = Api::start().await;
    let response = api
        .request(Method::PATCH, "/timebookings")
        .send()
        .await
        .unwrap();
    error_body(response, 405, codes::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn reading_one_booking_by_id_is_405_as_awork_has_no_such_route() {
    let api = Api::start().await;
    let booking = api.seed(Uuid::new_v4(), "2024-05-01", "2024-05-01");
    let missing = Uuid::new_v4();
    for family in FAMILIES {
        for id in [booking.id, missing] {
            let path = format!("/{family}/{id}");
            let response = api.get(&path).send().await.unwrap();
            assert_eq!(header(&response, "allow"), "PUT,DELETE", "{path}");
            error_body(response, 405, codes::METHOD_NOT_ALLOWED).await;
            let head = api.request(Method::HEAD, &path).send().await.unwrap();
            assert_eq!(head.status(), 405, "HEAD {path}");
        }
    }
    assert_eq!(
        api.fake
            .requests()
            .count("GET", "/timebookings/{timeBookingId}"),
        2
    );
    assert_eq!(api.fake.bookings().get(booking.id), Some(booking));
}
