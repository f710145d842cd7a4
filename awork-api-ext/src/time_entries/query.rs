//! Which entries to list: typed filters that become one `filterby`.

use crate::dates::DateRange;
use crate::error::Error;
use crate::paging::PageOptions;
use crate::query::{Expression, Filter, prop};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// What [`TimeEntries::list`](super::TimeEntries::list) asks for. Every filter set
/// must hold (they are joined with `and`); a bad one fails the listing before any
/// request.
#[derive(Debug, Clone, Default)]
pub struct EntryQuery {
    filters: Vec<Filter>,
    order: Option<String>,
    pub(crate) paging: PageOptions,
    problem: Option<(String, String)>,
}

impl EntryQuery {
    /// All entries (paged), in awork's order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Entries of this user.
    #[must_use]
    pub fn user(self, user_id: Uuid) -> Self {
        self.id_filter("user", "userId", user_id)
    }

    /// Entries on this project.
    #[must_use]
    pub fn project(self, project_id: Uuid) -> Self {
        self.id_filter("project", "projectId", project_id)
    }

    /// Entries on this task.
    #[must_use]
    pub fn task(self, task_id: Uuid) -> Self {
        self.id_filter("task", "taskId", task_id)
    }

    /// Billable entries (`true`) or the others (`false`).
    #[must_use]
    pub fn billable(mut self, billable: bool) -> Self {
        self.filters.push(prop("isBillable").eq(billable));
        self
    }

    /// Entries that start at or after `from` and before `to`.
    #[must_use]
    pub fn starting_between(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        if to <= from {
            let problem = format!("the end {to} is not after the start {from}");
            self.problem
                .get_or_insert(("starting_between".into(), problem));
            return self;
        }
        self.filters
            .push(prop("startDate").ge(from).and(prop("startDate").lt(to)));
        self
    }

    /// Entries that start on one of the days of `days`, as the wall clock in `tz`
    /// counts them (from the first day's midnight to the midnight after the last).
    #[must_use]
    pub fn days(self, days: DateRange, tz: Tz) -> Self {
        let from = midnight(days.start(), tz);
        let to = midnight(days.end().succ_opt().unwrap_or(days.end()), tz);
        self.starting_between(from, to)
    }

    /// Adds a filter of your own (a [`Filter`] or raw text).
    #[must_use]
    pub fn filter(mut self, filter: impl Expression) -> Self {
        match filter.expression() {
            Ok(text) => self.filters.push(Filter::raw(text)),
            Err(e) => {
                self.problem
                    .get_or_insert(("filterby".into(), e.to_string()));
            }
        }
        self
    }

    /// Orders by `order` (a [`crate::query::OrderBy`] or raw text).
    #[must_use]
    pub fn order(mut self, order: impl Expression) -> Self {
        match order.expression() {
            Ok(text) => self.order = Some(text),
            Err(e) => {
                self.problem
                    .get_or_insert(("orderby".into(), e.to_string()));
            }
        }
        self
    }

    /// How to page (default: pages of 1000, one request at a time).
    #[must_use]
    pub fn paging(mut self, paging: PageOptions) -> Self {
        self.paging = paging;
        self
    }

    fn id_filter(mut self, field: &str, property: &str, id: Uuid) -> Self {
        if id.is_nil() {
            self.problem
                .get_or_insert((field.into(), "is the nil UUID".into()));
            return self;
        }
        self.filters.push(prop(property).eq(id));
        self
    }

    /// The `filterby` and `orderby` texts, or the first problem found while building.
    pub(crate) fn texts(&self) -> Result<(Option<String>, Option<String>), Error> {
        if let Some((field, problem)) = &self.problem {
            return Err(Error::validation(field.clone(), problem.clone()));
        }
        let filter = self
            .filters
            .iter()
            .cloned()
            .reduce(Filter::and)
            .map(|f| f.build())
            .transpose()?;
        Ok((filter, self.order.clone()))
    }
}

/// The first instant of `day` in `tz` (a day whose midnight is skipped by DST starts
/// at the first local time that exists).
fn midnight(day: chrono::NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut local = day.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(at) = tz.from_local_datetime(&local).earliest() {
            return at.with_timezone(&Utc);
        }
        local += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_join_with_and() {
        let user = Uuid::from_u128(7);
        let (filter, order) = EntryQuery::new()
            .user(user)
            .billable(true)
            .days(
                DateRange::parse("2024-03-30", "2024-03-31").unwrap(),
                chrono_tz::Europe::Berlin,
            )
            .order("startDate")
            .texts()
            .unwrap();
        assert_eq!(
            filter.unwrap(),
            format!(
                "userId eq guid'{user}' and isBillable eq true and startDate ge datetime'2024-03-29T23:00:00Z' and startDate lt datetime'2024-03-31T22:00:00Z'"
            )
        );
        assert_eq!(order.as_deref(), Some("startDate"));
    }

    #[test]
    fn bad_filters_name_their_field() {
        let err = EntryQuery::new().project(Uuid::nil()).texts().unwrap_err();
        assert_eq!(err.to_string(), "invalid project: is the nil UUID");
        let now = Utc::now();
        let err = EntryQuery::new()
            .starting_between(now, now)
            .texts()
            .unwrap_err();
        assert!(
            err.to_string().starts_with("invalid starting_between:"),
            "{err}"
        );
    }
}
