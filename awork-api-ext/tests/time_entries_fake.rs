//! Time entries end to end against the fake: what the client writes is what awork (the
//! fake) stores and what both API versions read back.

mod common;

use awork_api_ext::Error;
use awork_api_ext::dates::DateRange;
use awork_api_ext::prelude::*;
use awork_api_ext::time_entries::{
    EntryQuery, Fold, Span, Summary, TimeEntry, TimeEntryDraft, TimerStart, Timing,
};
use awork_fake::{FakeAwork, NewTimeEntry};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use futures::TryStreamExt;
use std::time::Duration;

fn local(d: (i32, u32, u32), h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(d.0, d.1, d.2)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

#[tokio::test]
async fn entries_across_both_dst_changes_and_midnight_read_back_the_same_through_v1_and_v2() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    let (me, work) = (fake.user_id(), fake.type_of_work_id());
    let drafts = [
        TimeEntryDraft::local(
            me,
            work,
            Berlin,
            local((2024, 3, 31), 1, 30),
            local((2024, 3, 31), 3, 30),
        )
        .unwrap(),
        TimeEntryDraft::local_with(
            me,
            work,
            Berlin,
            local((2024, 10, 27), 2, 30),
            local((2024, 10, 27), 3, 30),
            Fold::Earlier,
        )
        .unwrap(),
        TimeEntryDraft::local(
            me,
            work,
            Berlin,
            local((2024, 5, 6), 23, 0),
            local((2024, 5, 7), 0, 45),
        )
        .unwrap(),
    ];
    let expected_minutes = [60, 120, 105];
    for (draft, minutes) in drafts.iter().zip(expected_minutes) {
        let created = client.time_entries().create(draft).await.unwrap();
        assert_eq!(
            created.duration,
            Duration::from_secs(minutes * 60),
            "{draft:?}"
        );
        let Timing::Timed { start, end } = &created.timing else {
            panic!("{:?}", created.timing)
        };
        let Span::Timed { start: s, end: e } = &draft.span else {
            unreachable!()
        };
        assert_eq!((start, end), (s, e));
        // The same entry through v1, whose local parts carry no offset.
        let v1 = client
            .api()
            .get_time_entry_by_id()
            .time_entry_id(created.id)
            .call()
            .await
            .unwrap();
        let from_v1 = TimeEntry::try_from(v1).unwrap();
        assert_eq!(from_v1.timing, created.timing);
        let v2 = client
            .time_entries()
            .get(created.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(v2, created);
        // Back into a draft: the same span, so a replace with it changes nothing.
        let draft_again = created.to_draft().unwrap();
        let again = client
            .time_entries()
            .update(created.id, &draft_again)
            .await
            .unwrap();
        assert_eq!(again.timing, created.timing);
    }
}

#[tokio::test]
async fn replace_list_batch_and_delete_keep_the_fake_in_step() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    let (me, work) = (fake.user_id(), fake.type_of_work_id());
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    let project = uuid::Uuid::from_u128(0xbeef);
    let draft = TimeEntryDraft::date_only(me, work, Berlin, day, Duration::from_secs(3600))
        .project(project)
        .note("Planning");
    let entries = client.time_entries();
    let created = entries.create(&draft).await.unwrap();
    assert_eq!(created.timing, Timing::DateOnly { date: day });

    // A replace without note and project clears both.
    let bare = TimeEntryDraft::date_only(me, work, Berlin, day, Duration::from_secs(1800));
    let replaced = entries.update(created.id, &bare).await.unwrap();
    assert_eq!((replaced.note, replaced.project_id), (None, None));
    let stored = fake.time_entries().get(created.id).unwrap();
    assert_eq!((stored.note, stored.project_id), (None, None));

    let other = fake.time_entries().insert(
        NewTimeEntry::new(
            me,
            work,
            Utc.with_ymd_and_hms(2024, 5, 6, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 5, 6, 13, 0, 0).unwrap(),
        )
        .timezone("Europe/Berlin")
        .billable(true),
    );
    let listed: Vec<_> = entries
        .list(
            EntryQuery::new()
                .user(me)
                .billable(true)
                .days(DateRange::single(day), Berlin),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), [other]);

    let outcome = entries
        .set_billable([created.id, other], false)
        .await
        .unwrap();
    assert!(outcome.all_ok(), "{outcome:?}");
    assert!(!fake.time_entries().get(other).unwrap().is_billable);

    let summary =
        Summary::from_stream(entries.list(EntryQuery::new().days(DateRange::single(day), Berlin)))
            .await
            .unwrap();
    assert_eq!(
        summary.total().non_billable,
        Duration::from_secs(1800 + 3600)
    );
    assert_eq!(summary.total().billable, Duration::ZERO);

    entries.delete(created.id).await.unwrap();
    let gone = entries.delete_many([other, created.id]).await.unwrap();
    assert_eq!((gone.ok, gone.not_found), (vec![other], vec![created.id]));
    assert!(fake.time_entries().all().is_empty());
    assert!(entries.get(other).await.unwrap().is_none());
}

#[tokio::test]
async fn the_timer_records_exact_work_and_breaks_on_the_fakes_clock() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    fake.clock()
        .set(Utc.with_ymd_and_hms(2024, 5, 6, 7, 0, 0).unwrap());
    let timer = client.time_entries().timer();
    let start = TimerStart::new(fake.type_of_work_id(), Berlin).note("Focus");
    assert!(timer.last().await.unwrap().is_none(), "no entry yet: 204");
    let running = timer.start(&start).await.unwrap();
    assert!(matches!(running.timing, Timing::Running { .. }));
    let asked = timer.running().await.unwrap().expect("a running timer");
    assert_eq!(asked.id, running.id);
    let someone_else = client.time_entries().timer_for(uuid::Uuid::new_v4());
    assert!(someone_else.running().await.unwrap().is_none());
    fake.clock().advance(Duration::from_secs(3600));
    let paused = timer.pause().await.unwrap();
    assert_eq!(paused.breaks.len(), 1);
    assert!(paused.breaks[0].end.is_none(), "the pause is open");
    fake.clock().advance(Duration::from_secs(600));
    timer.resume().await.unwrap();
    fake.clock().advance(Duration::from_secs(1800));
    let stopped = timer.stop().await.unwrap();
    assert_eq!(stopped.duration, Duration::from_secs(5400));
    assert_eq!(stopped.break_duration, Duration::from_secs(600));
    let Timing::Timed { start, end } = stopped.timing else {
        panic!()
    };
    assert_eq!(start, Berlin.with_ymd_and_hms(2024, 5, 6, 9, 0, 0).unwrap());
    assert_eq!(end, Berlin.with_ymd_and_hms(2024, 5, 6, 10, 40, 0).unwrap());
    // The stopped entry is the last one, and no timer runs any more.
    assert_eq!(timer.last().await.unwrap().map(|e| e.id), Some(stopped.id));
    assert!(timer.running().await.unwrap().is_none());
    // Pausing a stopped timer is awork's error, not a panic.
    let err = timer.pause().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
}

#[tokio::test]
async fn rejected_input_reaches_nothing_at_the_fake() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    let (me, work) = (fake.user_id(), fake.type_of_work_id());
    let long = TimeEntryDraft::local(
        me,
        work,
        Berlin,
        local((2024, 5, 6), 8, 0),
        local((2024, 5, 7), 9, 0),
    )
    .unwrap();
    assert!(
        matches!(client.time_entries().create(&long).await, Err(Error::Validation { ref field, .. }) if field == "end")
    );
    assert!(fake.requests().all().is_empty());
}

#[tokio::test]
async fn removing_breaks_resumes_a_paused_timer_and_counts_pauses_as_work() {
    let fake = FakeAwork::start().await;
    let (client, _clock) = common::fake_client(&fake);
    fake.clock()
        .set(Utc.with_ymd_and_hms(2024, 5, 6, 7, 0, 0).unwrap());
    let timer = client.time_entries().timer();
    let start = TimerStart::new(fake.type_of_work_id(), Berlin);
    let running = timer.start(&start).await.unwrap();
    fake.clock().advance(Duration::from_secs(1800));
    timer.pause().await.unwrap();
    fake.clock().advance(Duration::from_secs(600));
    let resumed = client
        .time_entries()
        .remove_breaks(running.id)
        .await
        .unwrap();
    assert!(resumed.breaks.is_empty());
    // It runs again: a pause is accepted, which a paused timer would refuse.
    timer.pause().await.unwrap();
    timer.resume().await.unwrap();
    fake.clock().advance(Duration::from_secs(1200));
    let stopped = timer.stop().await.unwrap();
    assert_eq!(stopped.duration, Duration::from_secs(3600));
    let missing = client
        .time_entries()
        .remove_breaks(uuid::Uuid::new_v4())
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404), "{missing}");
}
