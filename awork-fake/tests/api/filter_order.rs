//! `filterby` and `orderby`.

use awork_fake::{NewBooking, TOTAL_ITEMS_HEADER, TimeBooking, codes};
use uuid::Uuid;

use crate::support::{Api, day, error_body, header, ids};

/// Three bookings with distinct users, projects, dates, durations and lanes.
struct Fixture {
    api: Api,
    alice: Uuid,
    project: Uuid,
    first: TimeBooking,
    second: TimeBooking,
    third: TimeBooking,
}

async fn fixture() -> Fixture {
    let api = Api::start().await;
    // Fixed ids so that ordering by userId is known: Alice < Bob.
    let (alice, bob, project) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::new_v4());
    let insert = |user, start, end, duration, lane| {
        api.fake.bookings().insert(
            NewBooking::new(user, day(start), day(end))
                .duration(duration)
                .lane_order(lane),
        )
    };
    let first = insert(alice, "2024-05-01", "2024-05-03", 300, 2);
    let second = insert(bob, "2024-05-05", "2024-05-05", 100, 1);
    let third = api.fake.bookings().insert(
        NewBooking::new(alice, day("2024-05-04"), day("2024-05-10"))
            .project(project)
            .duration(200)
            .lane_order(3),
    );
    Fixture {
        api,
        alice,
        project,
        first,
        second,
        third,
    }
}

impl Fixture {
    async fn filtered(&self, filter: &str) -> Vec<Uuid> {
        ids(&self
            .api
            .list("/timebookings", &[("filterby", filter)])
            .await)
    }

    async fn ordered(&self, order: &str) -> Vec<Uuid> {
        ids(&self
            .api
            .list("/projecttimebookings", &[("orderby", order)])
            .await)
    }
}

#[tokio::test]
async fn filters_by_guids_null_and_dates() {
    let f = fixture().await;
    let by_user = format!("userId eq guid'{}'", f.alice);
    assert_eq!(f.filtered(&by_user).await, [f.first.id, f.third.id]);
    let not_user = format!("UserID NE guid'{}'", f.alice);
    assert_eq!(f.filtered(&not_user).await, [f.second.id]);
    let by_project = format!("projectId eq guid'{}'", f.project);
    assert_eq!(f.filtered(&by_project).await, [f.third.id]);
    assert_eq!(
        f.filtered("projectId eq null").await,
        [f.first.id, f.second.id]
    );
    assert_eq!(f.filtered("projectId ne null").await, [f.third.id]);
    assert_eq!(
        f.filtered("startDate ge datetime'2024-05-04'").await,
        [f.second.id, f.third.id]
    );
    assert_eq!(
        f.filtered("startDate gt datetime'2024-05-04T00:00:00'")
            .await,
        [f.second.id]
    );
    assert_eq!(
        f.filtered("endDate lt datetime'2024-05-05'").await,
        [f.first.id]
    );
    assert_eq!(
        f.filtered("enddate le datetime'2024-05-05T12:30:00'").await,
        [f.first.id, f.second.id]
    );
    assert_eq!(
        f.filtered("startDate eq datetime'2024-05-05'").await,
        [f.second.id]
    );
}

#[tokio::test]
async fn filters_combine_with_and_and_count_in_total_items() {
    let f = fixture().await;
    let filter = format!(
        "userId eq guid'{}' AND endDate ge datetime'2024-05-04' and projectId ne null",
        f.alice
    );
    let response = f
        .api
        .get("/timebookings")
        .query(&[("filterby", filter.as_str()), ("pageSize", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, TOTAL_ITEMS_HEADER), "1");
    let items: Vec<TimeBooking> = response.json().await.unwrap();
    assert_eq!(ids(&items), [f.third.id]);
}

#[tokio::test]
async fn orders_by_one_or_more_keys() {
    let f = fixture().await;
    assert_eq!(
        f.ordered("duration").await,
        [f.second.id, f.third.id, f.first.id]
    );
    assert_eq!(
        f.ordered("duration desc").await,
        [f.first.id, f.third.id, f.second.id]
    );
    assert_eq!(
        f.ordered("startDate desc").await,
        [f.second.id, f.third.id, f.first.id]
    );
    assert_eq!(
        f.ordered("endDate").await,
        [f.first.id, f.second.id, f.third.id]
    );
    assert_eq!(
        f.ordered("laneOrder DESC").await,
        [f.third.id, f.first.id, f.second.id]
    );
    assert_eq!(
        f.ordered("createdOn desc").await,
        [f.third.id, f.second.id, f.first.id]
    );
    // Alice's id sorts before Bob's; ties on userId are broken by createdOn.
    assert_eq!(
        f.ordered("userId").await,
        [f.first.id, f.third.id, f.second.id]
    );
    assert_eq!(
        f.ordered("userId desc,startDate desc").await,
        [f.second.id, f.third.id, f.first.id]
    );
}

#[tokio::test]
async fn invalid_filter_or_order_is_rejected() {
    let f = fixture().await;
    let cases = [
        ("filterby", "duration eq"),
        ("filterby", "nmae eq 'x'"),
        ("filterby", "userId eq guid'x'"),
        ("filterby", "frobnicate(description)"),
        ("filterby", "startDate eq datetime'not-a-date'"),
        ("filterby", "(duration eq 5"),
        ("orderby", "name"),
        ("orderby", "duration sideways"),
        ("orderby", "duration,"),
    ];
    for (parameter, value) in cases {
        let response = f
            .api
            .get("/timebookings")
            .query(&[(parameter, value)])
            .send()
            .await
            .unwrap();
        let body = error_body(response, 400, codes::INVALID_FILTER_OR_ORDER).await;
        assert!(body.details.is_some(), "{parameter}={value}");
    }
}
