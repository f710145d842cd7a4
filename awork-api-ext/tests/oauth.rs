//! Signing in with OAuth against the fake, and what the client does with the tokens:
//! the code exchange, bad callbacks, refresh ahead of expiry and after a 401, one
//! refresh for many requests, failed refreshes, fixed tokens, registration and restoring
//! a session from a store. Every count comes from the fake.

mod common;

use awork_api_ext::auth::{
    AuthError, ClientRegistration, Grant, MemoryTokenStore, OAuthApp, OAuthSession, Scope,
    TokenStore,
};
use awork_api_ext::clock::{Clock, ManualClock};
use awork_api_ext::dates::DateRange;
use awork_api_ext::paging::PageOptions;
use awork_api_ext::time_bookings::{ListQuery, TimeBookingDraft};
use awork_api_ext::{AworkClient, Error, duration};
use awork_fake::{Approval, DEFAULT_CLIENT_ID, FakeAwork, Fault, Method, NewBooking};
use chrono::NaiveDate;
use common::{REDIRECT, approve, fake_settings, sign_in, sign_in_as};
use futures::{StreamExt, TryStreamExt};
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 6).unwrap()
}

/// `n` bookings of the fake's user.
fn seed(fake: &FakeAwork, n: usize) {
    for _ in 0..n {
        fake.bookings()
            .insert(NewBooking::new(fake.user_id(), day(), day()).duration(3600));
    }
}

async fn list_all(
    client: &AworkClient,
) -> Result<Vec<awork_api_ext::time_bookings::TimeBooking>, Error> {
    client
        .time_bookings()
        .list(ListQuery::default())
        .try_collect()
        .await
}

/// A signed-in client whose new tokens land in the returned store.
async fn signed_in(fake: &FakeAwork, clock: &ManualClock) -> (AworkClient, Arc<MemoryTokenStore>) {
    let settings = fake_settings(fake, clock);
    let store = Arc::new(MemoryTokenStore::new());
    let session = sign_in(&settings).await.with_store(store.clone()).unwrap();
    (settings.oauth(session).build().unwrap(), store)
}

fn token_requests(fake: &FakeAwork) -> u64 {
    fake.requests().count("POST", "/accounts/token")
}

#[tokio::test]
async fn signing_in_trades_the_code_once_and_the_client_acts_with_the_token() {
    let fake = FakeAwork::start().await;
    seed(&fake, 3);
    let clock = ManualClock::default();
    let (client, store) = signed_in(&fake, &clock).await;
    let tokens = store.tokens().unwrap();
    assert!(
        tokens.refresh_token().is_some(),
        "offline_access asked for by default"
    );
    assert_eq!(tokens.expires_at(), Some(clock.now() + DAY));

    assert_eq!(list_all(&client).await.unwrap().len(), 3);
    let counts = fake.oauth().counts();
    assert_eq!(
        (counts.codes_issued, counts.code_exchanges, counts.refreshes),
        (1, 1, 0)
    );
    let log = fake.requests().all();
    let listing = log
        .iter()
        .find(|r| r.path == "/api/v1/timebookings")
        .unwrap();
    assert!(listing.has_authorization);
    assert_eq!(
        listing.user_agent.as_deref(),
        Some(format!("awork-rs/{} oauth-test", env!("CARGO_PKG_VERSION")).as_str())
    );
    let exchange = log
        .iter()
        .find(|r| r.path == "/api/v1/accounts/token")
        .unwrap();
    assert_eq!(
        exchange.user_agent, listing.user_agent,
        "token requests use the client's stack"
    );
    assert!(
        !exchange.has_authorization,
        "a public client sends no Basic credentials"
    );
}

/// Starts a sign-in and hands `doctor(callback)` to `finish`.
async fn finish_with(fake: &FakeAwork, doctor: impl Fn(&str) -> String) -> Error {
    let settings = fake_settings(fake, &ManualClock::default());
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    let flow = settings.oauth_flow(app).unwrap();
    let login = flow.authorization_request();
    let callback = approve(login.url()).await;
    flow.finish(login, &doctor(&callback)).await.unwrap_err()
}

#[tokio::test]
async fn bad_callbacks_are_refused_with_what_is_wrong_and_nothing_is_sent() {
    let fake = FakeAwork::start().await;
    let forged = finish_with(&fake, |url| url.replace("state=", "state=x")).await;
    assert!(
        matches!(forged, Error::Auth(AuthError::StateMismatch)),
        "{forged:?}"
    );
    assert!(
        forged.to_string().contains("state does not match"),
        "{forged}"
    );

    let no_code = finish_with(&fake, |url| {
        let state = url.split("state=").nth(1).unwrap().to_string();
        format!("{REDIRECT}?state={state}")
    })
    .await;
    assert!(
        matches!(no_code, Error::Auth(AuthError::MissingCode)),
        "{no_code:?}"
    );

    fake.oauth().set_approval(Approval::Deny);
    let denied = finish_with(&fake, str::to_string).await;
    let Error::Auth(AuthError::Denied { error, .. }) = &denied else {
        panic!("{denied:?}")
    };
    assert_eq!(error, "access_denied");
    assert!(denied.to_string().contains("did not authorize"), "{denied}");

    assert_eq!(
        token_requests(&fake),
        0,
        "no callback reached the token endpoint"
    );
}

#[tokio::test]
async fn a_code_cannot_be_redeemed_twice() {
    let fake = FakeAwork::start().await;
    let settings = fake_settings(&fake, &ManualClock::default());
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    let flow = settings.oauth_flow(app).unwrap();
    let login = flow.authorization_request();
    let callback = approve(login.url()).await;
    // A second sign-in that is fed the first one's callback, state patched to fit:
    // the code is spent, awork says so, and it is not tried again.
    let first_state = callback.split("state=").nth(1).unwrap().to_string();
    flow.finish(login, &callback).await.unwrap();
    let second = flow.authorization_request();
    let second_state = url_param(second.url(), "state");
    let replay = callback.replace(&first_state, &second_state);
    let err = flow.finish(second, &replay).await.unwrap_err();
    let Error::Auth(AuthError::Rejected { grant, code, .. }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*grant, code.as_str()),
        (Grant::AuthorizationCode, "invalid_grant")
    );
    assert_eq!(token_requests(&fake), 2);
}

fn url_param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[tokio::test]
async fn the_token_is_refreshed_shortly_before_it_expires_without_a_401() {
    let fake = FakeAwork::start().await;
    seed(&fake, 1);
    let clock = ManualClock::default();
    let (client, store) = signed_in(&fake, &clock).await;
    let first = store.tokens().unwrap();

    clock.advance(DAY - Duration::from_secs(120));
    list_all(&client).await.unwrap();
    assert_eq!(fake.oauth().counts().refreshes, 0, "not due yet");

    clock.advance(Duration::from_secs(90)); // 30 s before expiry
    fake.requests().clear();
    list_all(&client).await.unwrap();
    assert_eq!(fake.oauth().counts().refreshes, 1);
    let paths: Vec<_> = fake.requests().all().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/api/v1/accounts/token", "/api/v1/timebookings"],
        "refresh first, no 401"
    );

    let second = store.tokens().unwrap();
    assert_ne!(
        second.refresh_token().unwrap().expose_secret(),
        first.refresh_token().unwrap().expose_secret(),
        "the store holds the rotated refresh token"
    );
    assert_eq!(second.expires_at(), Some(clock.now() + DAY));
}

#[tokio::test]
async fn a_401_refreshes_once_and_sends_the_request_again() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let (client, _) = signed_in(&fake, &clock).await;
    fake.clock().advance(DAY); // the fake's token expired; the client's clock does not know
    let draft = TimeBookingDraft::new(
        fake.user_id(),
        DateRange::single(day()),
        duration::hours(2).unwrap(),
    );
    let created = client.time_bookings().create(&draft).await.unwrap();
    assert_eq!(created.duration, Duration::from_secs(7200));
    assert_eq!(
        fake.requests().count("POST", "/timebookings"),
        2,
        "rejected once, then sent again"
    );
    assert_eq!(fake.bookings().all().len(), 1, "created once");
    assert_eq!(fake.oauth().counts().refreshes, 1);
}

#[tokio::test]
async fn a_listing_meets_an_expired_token_mid_way_and_carries_on_after_one_refresh() {
    let fake = FakeAwork::start().await;
    seed(&fake, 25);
    let clock = ManualClock::default();
    let (client, _) = signed_in(&fake, &clock).await;
    let query = ListQuery::default().paging(PageOptions::new().page_size(10));
    let mut listing = std::pin::pin!(client.time_bookings().list(query));
    let mut seen = Vec::new();
    for _ in 0..10 {
        seen.push(listing.next().await.unwrap().unwrap().id);
    }
    assert_eq!(fake.requests().count("GET", "/timebookings"), 1);
    fake.clock().advance(DAY);
    while let Some(booking) = listing.next().await {
        seen.push(booking.unwrap().id);
    }
    let all: Vec<_> = fake.bookings().all().into_iter().map(|b| b.id).collect();
    assert_eq!(seen, all, "every booking once, in order");
    assert_eq!(fake.oauth().counts().refreshes, 1);
    assert_eq!(
        fake.requests().count("GET", "/timebookings"),
        4,
        "3 pages and one 401"
    );
}

#[tokio::test]
async fn many_concurrent_requests_share_one_refresh() {
    let fake = FakeAwork::start().await;
    seed(&fake, 2);
    let clock = ManualClock::default();
    let (client, _) = signed_in(&fake, &clock).await;

    // Due by the client's clock: all of them want a refresh before sending.
    clock.advance(DAY);
    let results = futures::future::join_all((0..24).map(|_| list_all(&client))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(fake.oauth().counts().refreshes, 1);

    // Rejected by the fake: all of them get a 401 with the same token.
    fake.clock().advance(DAY);
    let results = futures::future::join_all((0..24).map(|_| list_all(&client))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(fake.oauth().counts().refreshes, 2);
    assert_eq!(
        token_requests(&fake),
        3,
        "one exchange, two refreshes, nothing refused"
    );
}

#[tokio::test]
async fn a_refused_refresh_ends_the_session_and_is_never_asked_again() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let (client, store) = signed_in(&fake, &clock).await;
    // Someone else spends the refresh token (another copy of the program).
    let settings = fake_settings(&fake, &clock);
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    let thief = OAuthSession::restore(app, store.clone()).unwrap();
    let thief = settings.oauth(thief).build().unwrap();
    clock.advance(DAY);
    list_all(&thief).await.unwrap();
    let before = fake.requests().total();

    let err = list_all(&client).await.unwrap_err();
    let Error::Auth(AuthError::Rejected { grant, code, .. }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*grant, code.as_str()),
        (Grant::RefreshToken, "invalid_grant")
    );
    assert!(
        err.to_string()
            .starts_with("awork sign-in: awork refused the token refresh: invalid_grant"),
        "{err}"
    );
    assert_eq!(
        fake.requests().total() - before,
        1,
        "one refresh attempt, no API request"
    );

    let again = list_all(&client).await.unwrap_err();
    assert!(
        matches!(again, Error::Auth(AuthError::Rejected { .. })),
        "{again:?}"
    );
    assert_eq!(
        fake.requests().total() - before,
        1,
        "the ended session sends nothing"
    );
}

#[tokio::test]
async fn a_refresh_that_cannot_get_through_fails_those_requests_once_then_recovers() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let (client, _) = signed_in(&fake, &clock).await;
    fake.faults().inject(
        Fault::status(503)
            .times(10)
            .on(Method::POST, "/accounts/token"),
    );
    clock.advance(DAY); // expired by the client's clock: it cannot send the old token
    let before = token_requests(&fake);

    let err = list_all(&client).await.unwrap_err();
    let Error::Auth(AuthError::Unavailable { grant, source }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*grant, Grant::RefreshToken);
    assert_eq!(source.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        token_requests(&fake) - before,
        1,
        "a POST that may have arrived is not repeated"
    );
    assert_eq!(
        fake.requests().count("GET", "/timebookings"),
        0,
        "the expired token was not sent"
    );

    fake.faults().clear();
    list_all(&client).await.unwrap();
    assert_eq!(
        token_requests(&fake) - before,
        2,
        "the next request tries once more"
    );
}

#[tokio::test]
async fn without_a_refresh_token_a_401_is_awork_s_answer() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let settings = fake_settings(&fake, &clock);
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT)
        .unwrap()
        .scopes([Scope::FullAccess]);
    let (session, _) = sign_in_as(&settings, app).await;
    assert!(session.tokens().refresh_token().is_none());
    let client = settings.oauth(session).build().unwrap();
    list_all(&client).await.unwrap();
    fake.clock().advance(DAY);
    let err = list_all(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    assert_eq!(fake.oauth().counts().refreshes, 0);
}

#[tokio::test]
async fn a_fixed_access_token_is_sent_as_is_and_never_refreshed() {
    let fake = FakeAwork::start().await;
    let token = fake.oauth().grant_access_token();
    let client = AworkClient::builder()
        .access_token(&token)
        .base_url(fake.base_url())
        .build()
        .unwrap();
    list_all(&client).await.unwrap();
    fake.clock().advance(DAY);
    let err = list_all(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 401),
        "{err:?}"
    );
    assert_eq!(fake.requests().count("GET", "/timebookings"), 2);
    assert_eq!(token_requests(&fake), 0);
    assert!(!format!("{client:?} {err:?} {err}").contains(&token));
}

#[tokio::test]
async fn a_registered_confidential_client_signs_in_with_its_secret() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let settings = fake_settings(&fake, &clock);
    let registration = ClientRegistration::confidential("planner", "http://127.0.0.1/callback");
    let registered = settings.register_oauth_client(&registration).await.unwrap();
    let secret = registered
        .client_secret()
        .unwrap()
        .expose_secret()
        .to_string();
    assert!(!format!("{registered:?}").contains(&secret));
    assert_eq!(registered.redirect_uris(), ["http://127.0.0.1/callback"]);
    assert_eq!(fake.oauth().counts().registrations, 1);

    let app = registered.app(REDIRECT).unwrap();
    let (session, _) = sign_in_as(&settings, app).await;
    let exchange = fake
        .requests()
        .all()
        .into_iter()
        .find(|r| r.path == "/api/v1/accounts/token")
        .unwrap();
    assert!(
        exchange.has_authorization,
        "the secret travels in Basic auth"
    );
    let client = settings.oauth(session).build().unwrap();
    fake.clock().advance(DAY);
    list_all(&client).await.unwrap();
    assert_eq!(
        fake.oauth().counts().refreshes,
        1,
        "refreshing authenticates the client too"
    );
}

#[tokio::test]
async fn bad_registrations_are_refused_before_anything_is_sent() {
    let fake = FakeAwork::start().await;
    let settings = fake_settings(&fake, &ManualClock::default());
    for (registration, field) in [
        (ClientRegistration::native(" ", REDIRECT), "client_name"),
        (
            ClientRegistration::native("cli", "/callback"),
            "redirect_uri",
        ),
        (
            ClientRegistration::native("cli", REDIRECT).scopes([]),
            "scope",
        ),
    ] {
        let err = settings
            .register_oauth_client(&registration)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field: f, .. } if f == field),
            "{err:?}"
        );
    }
    assert_eq!(fake.requests().total(), 0);
}

#[tokio::test]
async fn a_restored_session_goes_on_with_the_latest_tokens() {
    let fake = FakeAwork::start().await;
    let clock = ManualClock::default();
    let (client, store) = signed_in(&fake, &clock).await;
    clock.advance(DAY);
    list_all(&client).await.unwrap();
    drop(client);

    // The next run of the program.
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    let session = OAuthSession::restore(app, store.clone() as Arc<dyn TokenStore>).unwrap();
    let client = fake_settings(&fake, &clock).oauth(session).build().unwrap();
    clock.advance(DAY);
    list_all(&client).await.unwrap();
    assert_eq!(
        fake.oauth().counts().refreshes,
        2,
        "the saved refresh token was the live one"
    );

    let empty = Arc::new(MemoryTokenStore::new());
    let app = OAuthApp::new(DEFAULT_CLIENT_ID, REDIRECT).unwrap();
    let err = OAuthSession::restore(app, empty).unwrap_err();
    assert!(err.to_string().contains("sign in first"), "{err}");
}
