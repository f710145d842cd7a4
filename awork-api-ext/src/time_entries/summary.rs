//! Hours per user, project and day, billable apart from non-billable, added up as a
//! stream of entries goes by.
//!
//! A report over a month of a large workspace can pass through hundreds of thousands of
//! entries; [`Summary`] keeps one row per (user, project, day) it has seen and nothing
//! of the entries themselves, so memory grows with the rows, not the entries.

use super::entry::TimeEntry;
use crate::error::Error;
use chrono::NaiveDate;
use futures::{Stream, StreamExt};
use std::collections::BTreeMap;
use std::time::Duration;
use uuid::Uuid;

/// What one row (or a total) adds up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Time on billable entries.
    pub billable: Duration,
    /// Time on the other entries.
    pub non_billable: Duration,
    /// How many entries were added.
    pub entries: u64,
}

impl Totals {
    /// Billable and non-billable together.
    pub fn total(&self) -> Duration {
        self.billable + self.non_billable
    }

    fn add(&mut self, entry: &TimeEntry) {
        if entry.is_billable {
            self.billable += entry.duration;
        } else {
            self.non_billable += entry.duration;
        }
        self.entries += 1;
    }

    fn merge(&mut self, other: &Totals) {
        self.billable += other.billable;
        self.non_billable += other.non_billable;
        self.entries += other.entries;
    }
}

/// The key of one row: whose time, on which project, on which day (in the entry's
/// own time zone, so an entry from 23:30 to 00:30 counts on the day it started).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    /// The user (`None` for entries of deleted users).
    pub user_id: Option<Uuid>,
    /// The project (`None` for entries without one).
    pub project_id: Option<Uuid>,
    /// The day.
    pub day: NaiveDate,
}

/// Durations added up per user, project and day. Running timers count with the
/// duration awork reports for them (zero until stopped).
#[derive(Debug, Default)]
pub struct Summary {
    rows: BTreeMap<RowKey, Totals>,
    undecodable: Vec<Error>,
}

impl PartialEq for Summary {
    /// Equal when their rows are (the entries they could not count are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
    }
}

impl Summary {
    /// An empty summary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one entry.
    pub fn add(&mut self, entry: &TimeEntry) {
        let key = RowKey {
            user_id: entry.user_id,
            project_id: entry.project_id,
            day: entry.timing.day(),
        };
        self.rows.entry(key).or_default().add(entry);
    }

    /// Adds every entry of `entries` as it arrives. An entry this crate's type cannot
    /// hold ([`Error::Item`]) is kept aside in [`Self::undecodable`] and the rest still
    /// count; any other error (the listing itself failed) ends it.
    pub async fn from_stream<S>(entries: S) -> Result<Self, Error>
    where
        S: Stream<Item = Result<TimeEntry, Error>>,
    {
        let mut entries = std::pin::pin!(entries);
        let mut summary = Self::new();
        while let Some(entry) = entries.next().await {
            match entry {
                Ok(entry) => summary.add(&entry),
                Err(error) if error.is_item() => summary.undecodable.push(error),
                Err(error) => return Err(error),
            }
        }
        Ok(summary)
    }

    /// The entries of the stream that could not be counted: awork sent values this
    /// crate's entry type cannot hold (a negative duration, say). Empty as a rule; check
    /// it before trusting the totals to be complete.
    pub fn undecodable(&self) -> &[Error] {
        &self.undecodable
    }

    /// The rows, ordered by user, project and day.
    pub fn rows(&self) -> impl Iterator<Item = (&RowKey, &Totals)> {
        self.rows.iter()
    }

    /// Totals per user.
    pub fn per_user(&self) -> BTreeMap<Option<Uuid>, Totals> {
        self.fold_by(|key| key.user_id)
    }

    /// Totals per project.
    pub fn per_project(&self) -> BTreeMap<Option<Uuid>, Totals> {
        self.fold_by(|key| key.project_id)
    }

    /// Totals per day.
    pub fn per_day(&self) -> BTreeMap<NaiveDate, Totals> {
        self.fold_by(|key| key.day)
    }

    /// Everything together.
    pub fn total(&self) -> Totals {
        let mut all = Totals::default();
        for totals in self.rows.values() {
            all.merge(totals);
        }
        all
    }

    fn fold_by<K: Ord>(&self, key: impl Fn(&RowKey) -> K) -> BTreeMap<K, Totals> {
        let mut out: BTreeMap<K, Totals> = BTreeMap::new();
        for (row, totals) in &self.rows {
            out.entry(key(row)).or_default().merge(totals);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_entries::entry::Timing;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    fn entry(
        user: u128,
        project: Option<u128>,
        day: u32,
        hour: u32,
        minutes: u64,
        billable: bool,
    ) -> TimeEntry {
        let start = Berlin.with_ymd_and_hms(2024, 5, day, hour, 0, 0).unwrap();
        TimeEntry {
            id: Uuid::new_v4(),
            user_id: Some(Uuid::from_u128(user)),
            type_of_work_id: Uuid::from_u128(9),
            project_id: project.map(Uuid::from_u128),
            task_id: None,
            note: None,
            timezone: Berlin,
            timing: Timing::Timed {
                start,
                end: start + chrono::Duration::minutes(minutes as i64),
            },
            duration: Duration::from_secs(minutes * 60),
            break_duration: Duration::ZERO,
            breaks: Vec::new(),
            is_billable: billable,
            is_billed: false,
            created_on: None,
            updated_on: None,
        }
    }

    #[tokio::test]
    async fn hours_add_up_per_user_project_and_day_with_billable_apart() {
        let entries = vec![
            entry(1, Some(10), 6, 9, 90, true),
            entry(1, Some(10), 6, 14, 30, false),
            entry(1, None, 7, 9, 60, false),
            entry(2, Some(10), 6, 23, 120, true), // starts on the 6th, ends on the 7th
        ];
        let stream = futures::stream::iter(entries.into_iter().map(Ok));
        let summary = Summary::from_stream(stream).await.unwrap();
        let minutes = |d: Duration| d.as_secs() / 60;
        let per_user = summary.per_user();
        let ada = per_user[&Some(Uuid::from_u128(1))];
        assert_eq!(
            (
                minutes(ada.billable),
                minutes(ada.non_billable),
                ada.entries
            ),
            (90, 90, 3)
        );
        let per_project = summary.per_project();
        assert_eq!(
            minutes(per_project[&Some(Uuid::from_u128(10))].total()),
            240
        );
        assert_eq!(minutes(per_project[&None].total()), 60);
        let per_day = summary.per_day();
        let day = |d| NaiveDate::from_ymd_opt(2024, 5, d).unwrap();
        assert_eq!(
            minutes(per_day[&day(6)].total()),
            240,
            "the overnight entry counts on its start day"
        );
        assert_eq!(minutes(per_day[&day(7)].total()), 60);
        assert_eq!(summary.rows().count(), 3);
        assert_eq!(minutes(summary.total().total()), 300);
    }

    #[tokio::test]
    async fn an_error_in_the_stream_ends_the_summary() {
        let items = vec![
            Ok(entry(1, None, 6, 9, 30, true)),
            Err(Error::validation("x", "y")),
        ];
        let result = Summary::from_stream(futures::stream::iter(items)).await;
        assert!(matches!(result, Err(Error::Validation { .. })));
    }
}
