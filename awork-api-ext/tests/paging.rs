//! The paging walk against the generated client and a server that pages like awork:
//! the fake for time bookings, wiremock for another operation.

use awork_api::types;
use awork_api_ext::Error;
use awork_api_ext::paging::{self, PageOptions};
use awork_fake::{FakeAwork, Fault, Method, NewBooking, ShortPage};
use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use uuid::Uuid;

/// The generated client, authenticated the way awork expects.
fn client_for(base_url: &str, api_key: &str) -> awork_api::Client {
    let mut auth = HeaderValue::from_str(&format!("Bearer {api_key}")).unwrap();
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, auth);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    awork_api::Client::new_with_client(base_url, http, awork_api::Hooks::new())
}

/// A fake holding `count` bookings, the client for it, and the booking ids in the
/// order awork lists them.
async fn seeded(
    count: usize,
    short_page: Option<ShortPage>,
) -> (FakeAwork, awork_api::Client, Vec<Uuid>) {
    let mut builder = FakeAwork::builder();
    if let Some(short_page) = short_page {
        builder = builder.short_page(short_page);
    }
    let fake = builder.start().await;
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    for n in 0..count {
        let lane = i32::try_from(n).unwrap();
        fake.bookings()
            .insert(NewBooking::new(fake.user_id(), day, day).lane_order(lane));
    }
    let client = client_for(&fake.base_url(), fake.api_key());
    let ids = fake
        .bookings()
        .all()
        .iter()
        .map(|booking| booking.id)
        .collect();
    (fake, client, ids)
}

/// Walks all time bookings and returns their ids in the order they came.
async fn booking_ids(client: &awork_api::Client, options: PageOptions) -> Result<Vec<Uuid>, Error> {
    let bookings = paging::collect_all(options, |page, size| {
        client.get_time_bookings().page(page).page_size(size).send()
    })
    .await?;
    Ok(bookings
        .into_iter()
        .map(|booking| booking.id.unwrap())
        .collect())
}

fn list_requests(fake: &FakeAwork) -> u64 {
    fake.requests().count("GET", "/timebookings")
}

#[tokio::test]
async fn every_booking_comes_once_in_order_with_one_request_per_page() {
    let (fake, client, ids) = seeded(2500, None).await;
    assert_eq!(
        booking_ids(&client, PageOptions::default()).await.unwrap(),
        ids
    );
    assert_eq!(list_requests(&fake), 3);
}

#[tokio::test]
async fn a_short_page_in_the_middle_loses_nothing() {
    // Page 2 lacks 100 items, so 3000 bookings need a fourth page.
    let quirk = ShortPage {
        page: 2,
        short_by: 100,
    };
    let (fake, client, ids) = seeded(3000, Some(quirk)).await;
    for prefetch in [1, 4] {
        fake.requests().reset_counts();
        let seen = booking_ids(&client, PageOptions::new().prefetch(prefetch))
            .await
            .unwrap();
        assert_eq!(seen, ids, "prefetch {prefetch}");
        assert_eq!(list_requests(&fake), 4, "prefetch {prefetch}");
    }
}

#[tokio::test]
async fn a_total_that_ends_on_a_page_boundary_needs_no_extra_request() {
    let (fake, client, ids) = seeded(2000, None).await;
    assert_eq!(
        booking_ids(&client, PageOptions::default()).await.unwrap(),
        ids
    );
    assert_eq!(list_requests(&fake), 2);
}

#[tokio::test]
async fn an_empty_listing_yields_nothing_after_one_request() {
    let (fake, client, _) = seeded(0, None).await;
    let pages: Vec<_> = paging::pages(PageOptions::default(), |page, size| {
        client.get_time_bookings().page(page).page_size(size).send()
    })
    .collect()
    .await;
    assert!(pages.is_empty(), "{pages:?}");
    assert_eq!(list_requests(&fake), 1);
}

#[tokio::test]
async fn the_cap_cuts_the_last_page_and_requests_no_more() {
    let (fake, client, ids) = seeded(2500, None).await;
    for (cap, requests) in [(1500, 2), (1000, 1), (1, 1)] {
        for prefetch in [1, 4] {
            fake.requests().reset_counts();
            let options = PageOptions::new().max_items(cap).prefetch(prefetch);
            let seen = booking_ids(&client, options).await.unwrap();
            assert_eq!(seen, ids[..cap as usize], "cap {cap}, prefetch {prefetch}");
            assert_eq!(
                list_requests(&fake),
                requests,
                "cap {cap}, prefetch {prefetch}"
            );
        }
    }
}

#[tokio::test]
async fn prefetch_gives_the_same_items_in_the_same_order_with_the_same_requests() {
    let (fake, client, ids) = seeded(2500, None).await;
    let options = PageOptions::new().page_size(100);
    let sequential = booking_ids(&client, options).await.unwrap();
    let sequential_requests = list_requests(&fake);
    fake.requests().reset_counts();
    let prefetched = booking_ids(&client, options.prefetch(4)).await.unwrap();
    assert_eq!(sequential, ids);
    assert_eq!(prefetched, ids);
    assert_eq!(sequential_requests, 25);
    assert_eq!(list_requests(&fake), 25);
}

#[tokio::test]
async fn an_error_on_page_two_ends_the_stream_with_that_error() {
    let (fake, client, ids) = seeded(2500, None).await;
    let stream = paging::pages(PageOptions::default(), |page, size| {
        client.get_time_bookings().page(page).page_size(size).send()
    });
    let mut stream = std::pin::pin!(stream);
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 1000);
    assert_eq!(first.items[0].id, Some(ids[0]));
    fake.faults()
        .inject(Fault::status(500).on(Method::GET, "/timebookings"));
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.code(), Some("server-error"));
    assert!(stream.next().await.is_none());
    assert_eq!(list_requests(&fake), 2);
}

#[tokio::test]
async fn bad_options_fail_before_any_request() {
    let (fake, client, _) = seeded(10, None).await;
    for options in [
        PageOptions::new().page_size(0),
        PageOptions::new().page_size(1001),
    ] {
        match booking_ids(&client, options).await {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "page_size"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(fake.requests().total(), 0);
}

mod another_operation {
    use super::*;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Answers page `page` of five projects with `page_size` 2, as awork would.
    async fn serve_projects_page(server: &MockServer, page: u32, names: &[&str]) {
        let body: Vec<_> = names
            .iter()
            .map(|name| serde_json::json!({ "name": name }))
            .collect();
        let answer = ResponseTemplate::new(200)
            .set_body_json(body)
            .insert_header("aw-page", page.to_string())
            .insert_header("aw-pagesize", "2")
            .insert_header("aw-items", names.len().to_string())
            .insert_header("aw-totalitems", "5");
        Mock::given(method("GET"))
            .and(path("/api/v1/projects"))
            .and(query_param("page", page.to_string()))
            .and(query_param("pageSize", "2"))
            .respond_with(answer)
            .expect(1)
            .mount(server)
            .await;
    }

    #[tokio::test]
    async fn projects_are_walked_by_the_same_code() {
        let server = MockServer::start().await;
        serve_projects_page(&server, 1, &["Alpha", "Beta"]).await;
        serve_projects_page(&server, 2, &["Gamma", "Delta"]).await;
        serve_projects_page(&server, 3, &["Epsilon"]).await;
        let client = client_for(&format!("{}/api/v1", server.uri()), "key");
        let projects: Vec<types::Project> =
            paging::items(PageOptions::new().page_size(2).prefetch(2), |page, size| {
                client.get_projects().page(page).page_size(size).send()
            })
            .try_collect()
            .await
            .unwrap();
        let names: Vec<_> = projects
            .iter()
            .map(|project| project.name.as_str())
            .collect();
        assert_eq!(names, ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]);
        server.verify().await;
    }
}
