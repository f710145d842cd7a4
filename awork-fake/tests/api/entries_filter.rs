//! `filterby` and `orderby` on the time-entry lists.

use awork_fake::{NewTimeEntry, TOTAL_ITEMS_HEADER, codes};
use reqwest::Method;
use uuid::Uuid;

use crate::entries_support::{entry_ids, list_v2, v2};
use crate::support::{Api, day, error_body, header, stamp};

/// Four entries that differ in every filterable property.
struct Fixture {
    api: Api,
    alice: Uuid,
    project: Uuid,
    task: Uuid,
    design: Uuid,
    /// Alice, 2024-05-06 08:00–09:00Z, project + task, billable.
    morning: Uuid,
    /// Bob, 2024-05-06 12:00–12:30Z, design work, billable and billed.
    noon: Uuid,
    /// Alice, date-only 2024-05-07, 4 h.
    day_only: Uuid,
    /// Bob, running since 2024-05-08 07:00Z.
    running: Uuid,
}

fn fixture(api: Api) -> Fixture {
    let (alice, bob) = (Uuid::from_u128(1), Uuid::from_u128(2));
    let (project, task, design) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let work = api.fake.type_of_work_id();
    let fake = &api.fake;
    let morning = fake.time_entries().insert(
        NewTimeEntry::new(
            alice,
            work,
            stamp("2024-05-06T08:00:00Z"),
            stamp("2024-05-06T09:00:00Z"),
        )
        .project(project)
        .task(task)
        .billable(true),
    );
    let noon = fake.time_entries().insert(
        NewTimeEntry::new(
            bob,
            design,
            stamp("2024-05-06T12:00:00Z"),
            stamp("2024-05-06T12:30:00Z"),
        )
        .billable(true)
        .billed(true),
    );
    let day_only = fake.time_entries().insert(NewTimeEntry::date_only(
        alice,
        work,
        day("2024-05-07"),
        14400,
    ));
    let running = fake.time_entries().insert(NewTimeEntry::running(
        bob,
        work,
        stamp("2024-05-08T07:00:00Z"),
    ));
    Fixture {
        api,
        alice,
        project,
        task,
        design,
        morning,
        noon,
        day_only,
        running,
    }
}

impl Fixture {
    async fn filtered(&self, filter: &str) -> Vec<Uuid> {
        entry_ids(&list_v2(&self.api, &[("filterby", filter)]).await)
    }

    async fn ordered(&self, order: &str) -> Vec<Uuid> {
        entry_ids(&list_v2(&self.api, &[("orderby", order)]).await)
    }
}

#[tokio::test]
async fn filters_on_guid_properties() {
    let f = fixture(Api::start().await);
    let all = [f.morning, f.noon, f.day_only, f.running];
    let cases = [
        (format!("id eq guid'{}'", f.noon), vec![f.noon]),
        (
            format!("id ne guid'{}'", f.noon),
            vec![f.morning, f.day_only, f.running],
        ),
        (
            format!("userId eq guid'{}'", f.alice),
            vec![f.morning, f.day_only],
        ),
        (
            format!("USERID NE guid'{}'", f.alice),
            vec![f.noon, f.running],
        ),
        (format!("projectId eq guid'{}'", f.project), vec![f.morning]),
        (
            "projectId eq null".to_owned(),
            vec![f.noon, f.day_only, f.running],
        ),
        (format!("taskId eq guid'{}'", f.task), vec![f.morning]),
        ("taskId ne null".to_owned(), vec![f.morning]),
        (format!("typeOfWorkId eq guid'{}'", f.design), vec![f.noon]),
        (
            format!("typeofworkid ne guid'{}'", f.design),
            vec![f.morning, f.day_only, f.running],
        ),
        ("typeOfWorkId eq null".to_owned(), vec![]),
        ("".to_owned(), all.to_vec()),
    ];
    for (filter, expected) in cases {
        assert_eq!(f.filtered(&filter).await, expected, "{filter}");
    }
}

#[tokio::test]
async fn filters_on_billing_flags() {
    let f = fixture(Api::start().await);
    let cases = [
        ("isBillable eq true", vec![f.morning, f.noon]),
        ("isBillable ne true", vec![f.day_only, f.running]),
        ("isBillable eq FALSE", vec![f.day_only, f.running]),
        ("isBilled eq true", vec![f.noon]),
        ("isBilled ne false", vec![f.noon]),
        ("isBilled eq false", vec![f.morning, f.day_only, f.running]),
    ];
    for (filter, expected) in cases {
        assert_eq!(f.filtered(filter).await, expected, "{filter}");
    }
}

#[tokio::test]
async fn filters_on_dates_as_instants() {
    let f = fixture(Api::start().await);
    let cases = [
        (
            "startDate eq datetime'2024-05-06T08:00:00Z'",
            vec![f.morning],
        ),
        (
            "startDate ne datetime'2024-05-06T08:00:00Z'",
            vec![f.noon, f.day_only, f.running],
        ),
        (
            "startDate gt datetime'2024-05-06T08:00:00Z'",
            vec![f.noon, f.day_only, f.running],
        ),
        (
            "startDate ge datetime'2024-05-06T12:00:00Z'",
            vec![f.noon, f.day_only, f.running],
        ),
        (
            "startDate lt datetime'2024-05-06T12:00:00Z'",
            vec![f.morning],
        ),
        (
            "startDate le datetime'2024-05-06T12:00:00Z'",
            vec![f.morning, f.noon],
        ),
        // A bare date is midnight UTC; the date-only entry starts exactly then.
        ("startDate eq datetime'2024-05-07'", vec![f.day_only]),
        (
            "startDate ge datetime'2024-05-06' and startDate lt datetime'2024-05-07'",
            vec![f.morning, f.noon],
        ),
        // An offset is honoured: 14:00+02:00 is 12:00Z.
        (
            "startDate eq datetime'2024-05-06T14:00:00+02:00'",
            vec![f.noon],
        ),
        ("endDate le datetime'2024-05-06T09:00:00Z'", vec![f.morning]),
        ("endDate gt datetime'2024-05-06T09:00:00Z'", vec![f.noon]),
        (
            "endDate ne datetime'2024-05-06T09:00:00Z'",
            vec![f.noon, f.day_only, f.running],
        ),
        ("endDate eq null", vec![f.day_only, f.running]),
        ("endDate ne null", vec![f.morning, f.noon]),
    ];
    for (filter, expected) in cases {
        assert_eq!(f.filtered(filter).await, expected, "{filter}");
    }
}

#[tokio::test]
async fn clauses_combine_with_and_and_count_in_total_items() {
    let f = fixture(Api::start().await);
    let filter = format!(
        "userId eq guid'{}' and isBillable eq true and endDate ne null",
        f.alice
    );
    let response = v2(&f.api, Method::GET, "/timeentries")
        .query(&[("filterby", filter.as_str()), ("pageSize", "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, TOTAL_ITEMS_HEADER), "1");
    let ids = entry_ids(&response.json::<Vec<_>>().await.unwrap());
    assert_eq!(ids, [f.morning]);
}

#[tokio::test]
async fn orders_by_dates_duration_and_creation() {
    let f = fixture(Api::start().await);
    let cases = [
        ("", vec![f.morning, f.noon, f.day_only, f.running]),
        (
            "createdOn desc",
            vec![f.running, f.day_only, f.noon, f.morning],
        ),
        (
            "startDate desc",
            vec![f.running, f.day_only, f.noon, f.morning],
        ),
        // Without an end comes first; ties go by createdOn.
        ("endDate", vec![f.day_only, f.running, f.morning, f.noon]),
        (
            "ENDDATE DESC",
            vec![f.noon, f.morning, f.day_only, f.running],
        ),
        ("duration", vec![f.running, f.noon, f.morning, f.day_only]),
        (
            "duration desc,startDate",
            vec![f.day_only, f.morning, f.noon, f.running],
        ),
    ];
    for (order, expected) in cases {
        assert_eq!(f.ordered(order).await, expected, "{order}");
    }
}

#[tokio::test]
async fn unsupported_filters_and_orders_are_rejected_on_both_versions() {
    let f = fixture(Api::start().await);
    let bad = [
        ("filterby", "notes eq 'x'"),
        ("filterby", "duration eq datetime'tomorrow'"),
        ("filterby", "userId eq guid'1'"),
        ("filterby", "isBilled eq true or"),
        ("orderby", "laneOrder"),
        ("orderby", "duration sideways"),
    ];
    for query in bad {
        let v2_answer = v2(&f.api, Method::GET, "/timeentries")
            .query(&[query])
            .send()
            .await
            .unwrap();
        error_body(v2_answer, 400, codes::INVALID_FILTER_OR_ORDER).await;
        let v1_answer = f
            .api
            .get("/timeentries")
            .query(&[query])
            .send()
            .await
            .unwrap();
        error_body(v1_answer, 400, codes::INVALID_FILTER_OR_ORDER).await;
    }
}
