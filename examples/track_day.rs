//! Tracks a working day: the timer with a pause, one entry booked by hand, and the day's
//! hours per project, billable apart.
//!
//! ```sh
//! cargo run -p awork-examples --features time-entries --example track_day            # offline, against the embedded fake
//! AWORK_API_KEY=… cargo run -p awork-examples --features time-entries,rustls --example track_day   # real API, read-only: today's summary
//! AWORK_API_KEY=… AWORK_TYPE_OF_WORK_ID=… cargo run -p awork-examples --features time-entries,rustls --example track_day -- --write
//! ```
//!
//! Offline, the fake's clock is moved forward instead of waiting, so a morning of work
//! takes no time. With `--write` against awork, the timer runs for a few real seconds,
//! one 30-minute entry is booked, the summary is printed, and both entries are deleted
//! again. `TZ` (an IANA name such as `Europe/Berlin`) sets the zone; the default is UTC.

use awork_api_ext::dates::DateRange;
use awork_api_ext::prelude::*;
use awork_api_ext::time_entries::{
    EntryQuery, Summary, TimeEntry, TimeEntryDraft, TimerStart, zone,
};
use awork_api_ext::{AworkClient, Error, duration};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::time::Duration;
use uuid::Uuid;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let write = std::env::args().skip(1).any(|a| a == "--write");
    match std::env::var("AWORK_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        None => run_offline().await?,
        Some(_) => {
            awork_examples::require_tls("track_day", &["time-entries"]);
            run_live(write).await?
        }
    }
    Ok(())
}

async fn run_offline() -> Result<(), Error> {
    let fake = awork_fake::FakeAwork::start().await;
    println!(
        "No AWORK_API_KEY: tracking a day against the embedded fake at {}",
        fake.base_url()
    );
    let berlin = zone("Europe/Berlin")?;
    let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap_or_default();
    let nine = berlin
        .from_local_datetime(&day.and_hms_opt(9, 0, 0).unwrap_or_default())
        .single()
        .unwrap_or_else(|| Utc::now().with_timezone(&berlin));
    fake.clock().set(nine.with_timezone(&Utc));
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .app_name("track-day-example")
        .build()?;
    let me = fake.user_id();
    let work = fake.type_of_work_id();

    let timer = client.time_entries().timer();
    if let Some(entry) = timer.running().await? {
        println!("a timer is already running: {}", show(&entry));
        return Ok(());
    }
    let running = timer
        .start(&TimerStart::new(work, berlin).note("Release notes"))
        .await?;
    println!("09:00 timer started ({})", show(&running));
    fake.clock().advance(Duration::from_secs(90 * 60));
    timer.pause().await?;
    println!("10:30 paused");
    fake.clock().advance(Duration::from_secs(15 * 60));
    timer.resume().await?;
    println!("10:45 resumed");
    fake.clock().advance(Duration::from_secs(75 * 60));
    let stopped = timer.stop().await?;
    println!("12:00 stopped: {}", show(&stopped));

    let call = TimeEntryDraft::local(
        me,
        work,
        berlin,
        day.and_hms_opt(13, 30, 0).unwrap_or_default(),
        day.and_hms_opt(15, 0, 0).unwrap_or_default(),
    )?
    .note("Customer call")
    .billable(true);
    let booked = client.time_entries().create(&call).await?;
    println!("booked by hand: {}", show(&booked));

    print_summary(&client, me, day, berlin).await
}

async fn run_live(write: bool) -> Result<(), Error> {
    let client = AworkClient::builder()
        .api_key_from_env()
        .app_name("track-day-example")
        .build()?;
    let tz = std::env::var("TZ")
        .ok()
        .map(|name| zone(&name))
        .transpose()?
        .unwrap_or(chrono_tz::UTC);
    let me = client
        .api()
        .get_me()
        .call()
        .await?
        .id
        .ok_or_else(|| Error::validation("me", "awork's answer has no user id"))?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    println!(
        "Talking to {} as user {me} ({})",
        client.base_url(),
        if write {
            "--write: runs the timer, books and deletes two entries"
        } else {
            "read-only; pass --write to track"
        }
    );
    let running = client.time_entries().timer().running().await?;
    match &running {
        Some(entry) => println!("a timer is running: {}", show(entry)),
        None => println!("no timer is running"),
    }
    if write {
        if running.is_some() {
            // awork allows one timer per user; ours would end the user's own work.
            return Err(Error::validation(
                "--write",
                "a timer of this user is running; stop it in awork first",
            ));
        }
        let work = type_of_work()?;
        let created = track_live(&client, me, work, tz).await?;
        print_summary(&client, me, today, tz).await?;
        let outcome = client.time_entries().delete_many(created).await?;
        println!("deleted the {} entries this run made", outcome.ok.len());
        return Ok(());
    }
    print_summary(&client, me, today, tz).await
}

/// The type of work the live run records, from `AWORK_TYPE_OF_WORK_ID`.
fn type_of_work() -> Result<Uuid, Error> {
    let text = std::env::var("AWORK_TYPE_OF_WORK_ID").map_err(|_| {
        Error::validation(
            "AWORK_TYPE_OF_WORK_ID",
            "is not set; --write needs a type of work to record",
        )
    })?;
    Uuid::parse_str(text.trim())
        .map_err(|e| Error::validation("AWORK_TYPE_OF_WORK_ID", e.to_string()))
}

/// Runs the timer for a few seconds with a pause, books 30 minutes by hand; returns
/// the ids of both entries.
async fn track_live(
    client: &AworkClient,
    me: Uuid,
    work: Uuid,
    tz: Tz,
) -> Result<Vec<Uuid>, Error> {
    let timer = client.time_entries().timer();
    timer
        .start(&TimerStart::new(work, tz).note("awork-rs example"))
        .await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    timer.pause().await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    timer.resume().await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let stopped = timer.stop().await?;
    println!("timer: {}", show(&stopped));
    let end: DateTime<Tz> = Utc::now().with_timezone(&tz);
    let draft = TimeEntryDraft::between(me, work, end - chrono::Duration::minutes(30), end)
        .note("awork-rs example");
    let booked = client.time_entries().create(&draft).await?;
    println!("booked by hand: {}", show(&booked));
    Ok(vec![stopped.id, booked.id])
}

/// The day's hours per project, billable apart, from a stream of the user's entries.
async fn print_summary(
    client: &AworkClient,
    me: Uuid,
    day: NaiveDate,
    tz: Tz,
) -> Result<(), Error> {
    let query = EntryQuery::new().user(me).days(DateRange::single(day), tz);
    let summary = Summary::from_stream(client.time_entries().list(query)).await?;
    println!("\n{day} ({tz})");
    println!(
        "{:<14}{:>10}{:>14}{:>9}",
        "project", "billable", "non-billable", "entries"
    );
    for (project, totals) in summary.per_project() {
        let name = project.map_or_else(
            || "(none)".to_string(),
            |id| id.to_string()[..8].to_string(),
        );
        println!(
            "{name:<14}{:>10}{:>14}{:>9}",
            duration::human(totals.billable).to_string(),
            duration::human(totals.non_billable).to_string(),
            totals.entries
        );
    }
    let total = summary.total();
    println!(
        "{:<14}{:>10}{:>14}{:>9}",
        "total",
        duration::human(total.billable).to_string(),
        duration::human(total.non_billable).to_string(),
        total.entries
    );
    Ok(())
}

fn show(entry: &TimeEntry) -> String {
    format!(
        "{} worked, {} of breaks{}",
        duration::human(entry.duration),
        duration::human(entry.break_duration),
        entry
            .note
            .as_deref()
            .map(|n| format!(", \"{n}\""))
            .unwrap_or_default()
    )
}
