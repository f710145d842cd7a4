//! Paging headers, limits and the short-page quirk.

use awork_fake::{
    ITEMS_HEADER, PAGE_HEADER, PAGE_SIZE_HEADER, ShortPage, TOTAL_ITEMS_HEADER, TimeBooking, codes,
};
use uuid::Uuid;

use crate::support::{Api, error_body, header, ids, invalid_properties};

/// Seeds `count` bookings for one user; returns them in creation order.
fn seed_many(api: &Api, count: usize) -> Vec<TimeBooking> {
    let user = Uuid::new_v4();
    (0..count)
        .map(|_| api.seed(user, "2024-05-01", "2024-05-02"))
        .collect()
}

/// Fetches one page; returns its items and the four `aw-*` headers.
async fn page(api: &Api, page: u32, size: u32) -> (Vec<TimeBooking>, [String; 4]) {
    let response = api
        .get("/timebookings")
        .query(&[("page", page.to_string()), ("pageSize", size.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = [
        PAGE_HEADER,
        PAGE_SIZE_HEADER,
        ITEMS_HEADER,
        TOTAL_ITEMS_HEADER,
    ]
    .map(|name| header(&response, name).to_owned());
    (response.json().await.unwrap(), headers)
}

#[tokio::test]
async fn three_pages_then_an_empty_page() {
    let api = Api::start().await;
    let seeded = seed_many(&api, 7);
    let expected = [(1, 3), (2, 3), (3, 1), (4, 0)];
    let mut collected = Vec::new();
    for (number, items) in expected {
        let (bookings, headers) = page(&api, number, 3).await;
        assert_eq!(bookings.len(), items);
        assert_eq!(
            headers,
            [
                number.to_string(),
                "3".into(),
                items.to_string(),
                "7".into()
            ]
        );
        collected.extend(bookings);
    }
    assert_eq!(ids(&collected), ids(&seeded));
}

#[tokio::test]
async fn defaults_to_page_one_of_size_1000() {
    let api = Api::start().await;
    seed_many(&api, 2);
    let response = api.get("/timebookings").send().await.unwrap();
    assert_eq!(header(&response, PAGE_HEADER), "1");
    assert_eq!(header(&response, PAGE_SIZE_HEADER), "1000");
    assert_eq!(header(&response, ITEMS_HEADER), "2");
    assert_eq!(header(&response, TOTAL_ITEMS_HEADER), "2");
}

#[tokio::test]
async fn page_size_limits_are_validated() {
    let api = Api::start().await;
    let too_big = api
        .get("/timebookings")
        .query(&[("pageSize", "1001")])
        .send()
        .await
        .unwrap();
    let body = error_body(too_big, 400, codes::VALIDATION_FAILED).await;
    assert_eq!(invalid_properties(&body), ["pageSize"]);

    let max = api
        .get("/timebookings")
        .query(&[("pageSize", "1000")])
        .send()
        .await
        .unwrap();
    assert_eq!(max.status(), 200);

    let both = api
        .get("/projecttimebookings")
        .query(&[("page", "0"), ("pagesize", "abc")])
        .send()
        .await
        .unwrap();
    let body = error_body(both, 400, codes::VALIDATION_FAILED).await;
    let mut found = invalid_properties(&body);
    found.sort_unstable();
    assert_eq!(found, ["page", "pageSize"]);
}

#[tokio::test]
async fn short_page_keeps_every_item_reachable_exactly_once() {
    let api = Api::start().await;
    let seeded = seed_many(&api, 10);
    api.fake.faults().short_page(Some(ShortPage {
        page: 2,
        short_by: 1,
    }));

    // A client that pages until it has aw-totalitems items (or an empty page).
    let mut collected = Vec::new();
    let mut sizes = Vec::new();
    for number in 1.. {
        let (bookings, headers) = page(&api, number, 4).await;
        assert_eq!(headers[3], "10");
        assert_eq!(headers[2], bookings.len().to_string());
        sizes.push(bookings.len());
        let empty = bookings.is_empty();
        collected.extend(bookings);
        if empty || collected.len() >= 10 {
            break;
        }
    }
    assert_eq!(sizes, [4, 3, 3]);
    assert_eq!(ids(&collected), ids(&seeded));

    // The page after the last one is empty, as usual.
    assert!(page(&api, 4, 4).await.0.is_empty());

    // Switched off, pages are regular again.
    api.fake.faults().short_page(None);
    assert_eq!(page(&api, 2, 4).await.0.len(), 4);
}

#[tokio::test]
async fn short_page_from_the_builder() {
    let fake = awork_fake::FakeAwork::builder()
        .short_page(ShortPage {
            page: 1,
            short_by: 2,
        })
        .start()
        .await;
    let api = Api::around(fake);
    seed_many(&api, 5);
    let (first, headers) = page(&api, 1, 3).await;
    assert_eq!(first.len(), 1);
    assert_eq!(
        headers,
        ["1".to_owned(), "3".into(), "1".into(), "5".into()]
    );
    assert_eq!(page(&api, 2, 3).await.0.len(), 3);
    assert_eq!(page(&api, 3, 3).await.0.len(), 1);
}
