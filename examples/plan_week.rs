//! Plans a week of time bookings and prints it as a table.
//!
//! ```sh
//! cargo run -p awork-examples --example plan_week            # offline, against the embedded fake
//! AWORK_API_KEY=… cargo run -p awork-examples --features rustls --example plan_week            # real API, read-only
//! AWORK_API_KEY=… cargo run -p awork-examples --features rustls --example plan_week -- --write # real API, creates/updates/deletes one booking of yours
//! ```
//!
//! Offline, it books a week for three people, lists the week back through the paged
//! stream, moves one booking, cancels another, and prints hours per person and day.

use awork_api_ext::dates::DateRange;
use awork_api_ext::prelude::*;
use awork_api_ext::time_bookings::{ListQuery, TimeBookingDraft, UserBookings};
use awork_api_ext::{AworkClient, Error, duration};
use chrono::{Datelike, NaiveDate, Utc};
use futures::TryStreamExt;
use std::time::Duration;
use uuid::Uuid;

const TEAM: [(&str, u128); 3] = [("Ada", 0xada), ("Grace", 0x6ace), ("Linus", 0x1105)];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.iter().any(|a| a == "--write");
    let week = DateRange::week_of(this_monday());
    match std::env::var("AWORK_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        None => run_offline(week).await?,
        Some(_) => {
            awork_examples::require_tls("plan_week", &[]);
            run_live(week, write).await?
        }
    }
    Ok(())
}

fn this_monday() -> NaiveDate {
    let today = Utc::now().date_naive();
    today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()))
}

fn member(id: u128) -> Uuid {
    Uuid::from_u128(0x0a3c_0de0_0000_4000_8000_0000_0000_0000 | id)
}

async fn run_offline(week: DateRange) -> Result<(), Error> {
    let fake = awork_fake::FakeAwork::start().await;
    println!(
        "No AWORK_API_KEY set: running against the embedded fake awork at {}\n",
        fake.base_url()
    );
    let client = AworkClient::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .app_name("plan-week-example")
        .build()?;
    let bookings = client.time_bookings();

    let created = book_the_week(&client, week).await?;
    println!("created {} bookings", created.len());

    let listed: Vec<_> = bookings
        .list(
            ListQuery::default()
                .filter(week_filter(week))
                .order("startDate asc"),
        )
        .try_collect()
        .await?;
    println!(
        "listed {} bookings of the week back through the paged stream",
        listed.len()
    );

    let moved = &created[0];
    let later = DateRange::new(
        moved.dates.start() + chrono::Days::new(1),
        moved.dates.end() + chrono::Days::new(1),
    )?;
    let draft = TimeBookingDraft::new(moved.user_id, later, moved.duration)
        .description("Workshop (moved a day later)");
    bookings.update(moved.id, &draft).await?;
    println!("moved one booking to {later}");

    let cancelled = &created[created.len() - 1];
    bookings.delete(cancelled.id).await?;
    println!("cancelled one booking ({})\n", cancelled.dates);

    let users = TEAM.iter().map(|(_, id)| member(*id));
    let per_user = bookings.for_users(users, week).await?;
    print!("{}", week_table(&per_user, week, &|id| name_of(id)));
    Ok(())
}

/// A few bookings per person across the week.
async fn book_the_week(
    client: &AworkClient,
    week: DateRange,
) -> Result<Vec<awork_api_ext::time_bookings::TimeBooking>, Error> {
    let monday = week.start();
    let day = |n: u64| monday + chrono::Days::new(n);
    let plan = [
        (TEAM[0].1, day(0), day(1), 10, "Workshop"),
        (TEAM[0].1, day(3), day(3), 4, "Reviews"),
        (TEAM[1].1, day(0), day(4), 20, "Release"),
        (TEAM[2].1, day(1), day(2), 12, "On call"),
        (TEAM[2].1, day(4), day(4), 6, "Hiring"),
    ];
    let mut created = Vec::new();
    for (who, start, end, hours, text) in plan {
        let draft = TimeBookingDraft::new(
            member(who),
            DateRange::new(start, end)?,
            duration::hours(hours)?,
        )
        .description(text);
        created.push(client.time_bookings().create(&draft).await?);
    }
    Ok(created)
}

fn week_filter(week: DateRange) -> String {
    format!(
        "startDate le datetime'{}' and endDate ge datetime'{}'",
        week.end(),
        week.start()
    )
}

fn name_of(id: Uuid) -> String {
    TEAM.iter()
        .find(|(_, n)| member(*n) == id)
        .map(|(name, _)| name.to_string())
        .unwrap_or_else(|| id.to_string()[..8].to_string())
}

async fn run_live(week: DateRange, write: bool) -> Result<(), Error> {
    let client = AworkClient::builder()
        .api_key_from_env()
        .app_name("plan-week-example")
        .build()?;
    let me = client.api().get_me().call().await?;
    let my_id = me
        .id
        .ok_or_else(|| Error::validation("me", "awork's answer has no user id"))?;
    println!(
        "Talking to {} as user {my_id} ({})",
        client.base_url(),
        if write {
            "--write: will create, move and delete one booking"
        } else {
            "read-only; pass --write to change data"
        }
    );
    if write {
        let bookings = client.time_bookings();
        let draft = TimeBookingDraft::new(
            my_id,
            DateRange::single(week.start()),
            Duration::from_secs(3600),
        )
        .description("awork-rs example");
        let created = bookings.create(&draft).await?;
        let moved = TimeBookingDraft {
            dates: DateRange::single(week.start() + chrono::Days::new(1)),
            ..draft
        };
        bookings.update(created.id, &moved).await?;
        bookings.delete(created.id).await?;
        println!("created, moved and deleted booking {}", created.id);
    }
    let per_user = client.time_bookings().for_users([my_id], week).await?;
    print!(
        "{}",
        week_table(&per_user, week, &|id| id.to_string()[..8].to_string())
    );
    Ok(())
}

/// Hours per person and day. A booking spread over several days counts its duration
/// evenly on each of them, as awork's planner shows it.
fn week_table(per_user: &[UserBookings], week: DateRange, name: &dyn Fn(Uuid) -> String) -> String {
    let days: Vec<NaiveDate> = week.iter_days().collect();
    let mut out = format!("{:<10}", "");
    for d in &days {
        out.push_str(&format!("{:>9}", d.format("%a %d")));
    }
    out.push_str(&format!("{:>9}\n", "total"));
    for user in per_user {
        let hours: Vec<f64> = days.iter().map(|d| hours_on(user, *d)).collect();
        out.push_str(&format!("{:<10}", name(user.user_id)));
        for h in &hours {
            out.push_str(&format!("{:>9}", cell(*h)));
        }
        out.push_str(&format!("{:>9}\n", cell(hours.iter().sum())));
    }
    out
}

fn hours_on(user: &UserBookings, day: NaiveDate) -> f64 {
    user.bookings
        .iter()
        .filter(|b| b.dates.contains(day))
        .map(|b| b.duration.as_secs_f64() / 3600.0 / f64::from(b.dates.days()))
        .sum()
}

fn cell(hours: f64) -> String {
    if hours == 0.0 {
        "·".into()
    } else if hours.fract() == 0.0 {
        format!("{hours:.0}h")
    } else {
        format!("{hours:.1}h")
    }
}
