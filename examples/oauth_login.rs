//! Signs a user in with OAuth (authorization code + PKCE) and lists their time bookings.
//!
//! ```sh
//! cargo run -p awork-examples --example oauth_login                  # offline, against the embedded fake
//! AWORK_CLIENT_ID=… cargo run -p awork-examples --features rustls --example oauth_login # awork, as the user who signs in
//! ```
//!
//! Against awork it reads:
//!
//! * `AWORK_CLIENT_ID`: the id of a client application registered in awork (Settings →
//!   Integrations), with the redirect URI below among its redirect URIs.
//! * `AWORK_CLIENT_SECRET` (optional): its secret, when it is a confidential client.
//! * `AWORK_REDIRECT_URI` (optional): that redirect URI, on `127.0.0.1`; the example
//!   listens on its port. Default: `http://127.0.0.1:<a free port>/callback`, which only
//!   works if awork accepts any port for loopback redirects.
//!
//! It listens for the redirect on 127.0.0.1, prints the URL to open, waits for the
//! browser to come back (up to five minutes), trades the code for tokens and lists the
//! signed-in user's time bookings. Read-only.
//!
//! Offline (no `AWORK_CLIENT_ID`) it starts the fake, registers a client there
//! dynamically, and plays the browser itself: it opens the URL, the fake approves at
//! once and redirects to the example's listener, as awork does after the user signs in.
//! Then it lets the fake expire the access token and lists again: the client refreshes
//! the token once on its own.

use awork_api_ext::auth::{ClientRegistration, OAuthApp};
use awork_api_ext::clock::{Clock, SystemClock};
use awork_api_ext::prelude::*;
use awork_api_ext::query::prop;
use awork_api_ext::time_bookings::{ListQuery, TimeBooking};
use awork_api_ext::{AworkClient, ClientBuilder, duration};
use awork_fake::{FakeAwork, NewBooking};
use futures::TryStreamExt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use uuid::Uuid;

type Failure = Box<dyn std::error::Error>;

/// How long to wait for the browser to come back.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let client_id = std::env::var("AWORK_CLIENT_ID")
        .ok()
        .filter(|id| !id.trim().is_empty());
    match client_id {
        None => run_offline().await,
        Some(client_id) => {
            awork_examples::require_tls("oauth_login", &[]);
            run_live(client_id).await
        }
    }
}

/// The whole flow against the embedded fake, browser included.
async fn run_offline() -> Result<(), Failure> {
    let fake = FakeAwork::start().await;
    println!(
        "No AWORK_CLIENT_ID set: signing in at the embedded fake awork at {}",
        fake.base_url()
    );
    seed_bookings(&fake);
    let (listener, redirect_uri) = listen(None).await?;
    let settings = AworkClient::builder()
        .base_url(fake.base_url())
        .app_name("oauth-login-example");

    let registered = settings
        .register_oauth_client(&ClientRegistration::native(
            "oauth_login example",
            &redirect_uri,
        ))
        .await?;
    println!(
        "registered a public client at the fake: {}",
        registered.client_id()
    );
    let flow = settings.oauth_flow(registered.app(&redirect_uri)?)?;
    let login = flow.authorization_request();
    println!("\nOpen this URL to sign in:\n  {}\n", login.url());

    println!(
        "(offline: the example opens it itself; the fake approves at once and redirects to {redirect_uri})"
    );
    let callback = tokio::spawn(wait_for_callback(listener, path_of(&redirect_uri)?));
    play_browser(login.url()).await?;
    let callback = callback.await??;

    let session = flow.finish(login, &callback).await?;
    println!(
        "signed in; the access token expires in {}",
        expires_in(&session)
    );
    let client = settings.oauth(session).build()?;
    let bookings = list_bookings(&client, fake.user_id()).await?;
    print_bookings(&bookings);

    fake.clock().advance(Duration::from_secs(86_400));
    let again = list_bookings(&client, fake.user_id()).await?;
    println!(
        "\nthe fake expired the access token; listing again refreshed it ({} refresh) and found {} bookings",
        fake.oauth().counts().refreshes,
        again.len()
    );
    Ok(())
}

/// The flow against awork with a registered client: the user opens the URL.
async fn run_live(client_id: String) -> Result<(), Failure> {
    let fixed = std::env::var("AWORK_REDIRECT_URI")
        .ok()
        .filter(|uri| !uri.trim().is_empty());
    let (listener, redirect_uri) = listen(fixed.as_deref()).await?;
    let mut app = OAuthApp::new(client_id, &redirect_uri)?;
    if let Ok(secret) = std::env::var("AWORK_CLIENT_SECRET") {
        app = app.client_secret(secret);
    }
    let settings: ClientBuilder = AworkClient::builder().app_name("oauth-login-example");
    let flow = settings.oauth_flow(app)?;
    let login = flow.authorization_request();
    println!(
        "Open this URL in your browser and sign in to awork:\n  {}\n",
        login.url()
    );
    println!("waiting for awork to send the browser back to {redirect_uri} …");
    let callback = tokio::time::timeout(
        SIGN_IN_TIMEOUT,
        wait_for_callback(listener, path_of(&redirect_uri)?),
    )
    .await
    .map_err(|_| "nobody signed in within five minutes")??;

    let session = flow.finish(login, &callback).await?;
    println!(
        "signed in; the access token expires in {}",
        expires_in(&session)
    );
    let client = settings.oauth(session).build()?;
    let me = client.api().get_me().call().await?;
    let user = me
        .id
        .ok_or("awork's answer for the current user has no id")?;
    print_bookings(&list_bookings(&client, user).await?);
    Ok(())
}

/// Listens on 127.0.0.1: on the port of `redirect_uri` when given, else on a free one.
/// Returns the listener and the redirect URI that reaches it.
async fn listen(redirect_uri: Option<&str>) -> Result<(TcpListener, String), Failure> {
    let Some(uri) = redirect_uri else {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        return Ok((listener, format!("http://127.0.0.1:{port}/callback")));
    };
    let url = url::Url::parse(uri)?;
    if url.host_str() != Some("127.0.0.1") {
        return Err(format!("AWORK_REDIRECT_URI {uri:?} must point at 127.0.0.1").into());
    }
    let port = url
        .port_or_known_default()
        .ok_or("AWORK_REDIRECT_URI has no port")?;
    Ok((
        TcpListener::bind(("127.0.0.1", port)).await?,
        uri.to_string(),
    ))
}

fn path_of(redirect_uri: &str) -> Result<String, Failure> {
    Ok(url::Url::parse(redirect_uri)?.path().to_string())
}

/// Answers requests on `listener` until one arrives for `path`; returns its target
/// (path and query: the code and state). Other paths (a browser's favicon) get a 404.
async fn wait_for_callback(listener: TcpListener, path: String) -> Result<String, std::io::Error> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        let target = read_request_target(&mut stream).await?;
        let for_us = target.split('?').next() == Some(path.as_str());
        let (status, text) = if for_us {
            (
                "200 OK",
                "Signed in. You can close this window and go back to the terminal.",
            )
        } else {
            ("404 Not Found", "Not the sign-in callback.")
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        );
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await?;
        if for_us {
            return Ok(target);
        }
    }
}

/// The request target of an HTTP/1 request (`GET /callback?code=… HTTP/1.1`).
async fn read_request_target(stream: &mut tokio::net::TcpStream) -> Result<String, std::io::Error> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head
        .lines()
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or("");
    Ok(target.to_string())
}

/// What a browser does with the URL offline: opens it and follows the fake's redirect
/// to the listener.
async fn play_browser(url: &str) -> Result<(), Failure> {
    let browser = reqwest::Client::builder().build()?;
    let page = browser.get(url).send().await?;
    println!(
        "(the browser landed on {} with status {})",
        page.url().path(),
        page.status()
    );
    Ok(())
}

fn expires_in(session: &awork_api_ext::auth::OAuthSession) -> String {
    let left = session
        .tokens()
        .expires_at()
        .and_then(|at| at.duration_since(SystemClock::new().now()).ok());
    match left {
        Some(left) => {
            duration::human(Duration::from_secs(left.as_secs().div_ceil(60) * 60)).to_string()
        }
        None => "(not said)".into(),
    }
}

/// The user's time bookings, oldest first.
async fn list_bookings(
    client: &AworkClient,
    user: Uuid,
) -> Result<Vec<TimeBooking>, awork_api_ext::Error> {
    let query = ListQuery::default()
        .filter(prop("userId").eq(user))
        .order("startDate asc");
    client.time_bookings().list(query).try_collect().await
}

fn print_bookings(bookings: &[TimeBooking]) {
    println!("\n{} time bookings of the signed-in user:", bookings.len());
    for booking in bookings {
        let description = booking.description.as_deref().unwrap_or("-");
        println!(
            "  {}  {:>8}  {description}",
            booking.dates,
            duration::human(booking.duration).to_string()
        );
    }
}

/// A few bookings for the fake's user, and one of somebody else that must not show.
fn seed_bookings(fake: &FakeAwork) {
    let today = chrono::Utc::now().date_naive();
    let plans = [
        (0, 1, 7_200, "Release planning"),
        (2, 2, 14_400, "Customer workshop"),
        (7, 9, 28_800, "Migration"),
    ];
    for (from, to, seconds, description) in plans {
        let start = today + chrono::Days::new(from);
        let end = today + chrono::Days::new(to);
        fake.bookings().insert(
            NewBooking::new(fake.user_id(), start, end)
                .duration(seconds)
                .description(description),
        );
    }
    let someone_else = Uuid::from_u128(0x5eed);
    fake.bookings()
        .insert(NewBooking::new(someone_else, today, today).duration(3_600));
}
