//! Request counters.

use awork_fake::Fault;
use reqwest::Method;
use uuid::Uuid;

use crate::support::{Api, form};

#[tokio::test]
async fn counts_every_request_by_method_and_route_template() {
    let api = Api::start().await;
    let body = form(Uuid::new_v4(), "2024-05-01", "2024-05-01", 1);
    let created = api.create("timebookings", &body).await;
    api.create("timebookings", &body).await;
    let id = created["id"].as_str().unwrap();
    api.request(Method::PUT, &format!("/timebookings/{id}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    api.request(Method::DELETE, &format!("/timebookings/{id}"))
        .send()
        .await
        .unwrap();
    api.request(Method::DELETE, &format!("/timebookings/{id}"))
        .send()
        .await
        .unwrap(); // 404
    api.get("/projecttimebookings").send().await.unwrap();
    api.http.get(api.url("/timebookings")).send().await.unwrap(); // 401
    api.fake.faults().inject(Fault::status(503));
    api.get("/timebookings").send().await.unwrap(); // faulted
    api.get("/timebookings")
        .query(&[("pageSize", "5000")])
        .send()
        .await
        .unwrap(); // 400
    api.get("/nowhere").send().await.unwrap(); // unknown route

    let fake = &api.fake;
    assert_eq!(fake.requests().count("POST", "/timebookings"), 2);
    assert_eq!(
        fake.requests()
            .count("PUT", "/timebookings/{timeBookingId}"),
        1
    );
    assert_eq!(
        fake.requests()
            .count("delete", "/api/v1/timebookings/{timeBookingId}"),
        2
    );
    assert_eq!(fake.requests().count("GET", "/projecttimebookings"), 1);
    assert_eq!(fake.requests().count("GET", "/timebookings"), 3);
    assert_eq!(fake.requests().count("GET", "/nowhere"), 1);
    assert_eq!(
        fake.requests()
            .count("GET", "/timebookings/{timeBookingId}"),
        0
    );
    assert_eq!(fake.requests().total(), 10);
    assert_eq!(fake.requests().counts().values().sum::<u64>(), 10);
    assert_eq!(
        fake.requests()
            .counts()
            .get(&("POST".to_owned(), "/timebookings".to_owned())),
        Some(&2)
    );

    fake.requests().reset_counts();
    assert_eq!(fake.requests().total(), 0);
    assert!(fake.requests().counts().is_empty());
}
