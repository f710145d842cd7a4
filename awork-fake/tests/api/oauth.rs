//! The fake as an OAuth authorization server, spoken to over HTTP by hand: authorize,
//! token (code and refresh), registration, and OAuth tokens on the API routes.

use std::time::Duration;

use awork_fake::{Approval, DEFAULT_CLIENT_ID, FakeAwork};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::Response;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::support::error_body;

const VERIFIER: &str = "test-verifier-0123456789-0123456789-0123456789";
const REDIRECT: &str = "http://127.0.0.1:45678/callback";

/// A fake and an HTTP client that does not follow redirects, so `Location` can be read.
struct OAuth {
    fake: FakeAwork,
    http: reqwest::Client,
}

impl OAuth {
    async fn start() -> Self {
        Self::around(FakeAwork::start().await)
    }

    fn around(fake: FakeAwork) -> Self {
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        Self { fake, http }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.base_url())
    }

    /// `GET /accounts/authorize` with the default client, PKCE and `extra` on top.
    async fn authorize(&self, extra: &[(&str, &str)]) -> Response {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
        let mut query = vec![
            ("client_id", DEFAULT_CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "st-1"),
            ("scope", "full_access offline_access"),
            ("code_challenge_method", "S256"),
        ];
        query.push(("code_challenge", &challenge));
        for (name, value) in extra {
            query.retain(|(n, _)| n != name);
            query.push((name, value));
        }
        self.http
            .get(self.url("/accounts/authorize"))
            .query(&query)
            .send()
            .await
            .unwrap()
    }

    /// Approves and returns the code from the redirect.
    async fn code(&self) -> String {
        let location = location(&self.authorize(&[]).await);
        assert_eq!(param(&location, "state").as_deref(), Some("st-1"));
        param(&location, "code").expect("a code")
    }

    async fn token(&self, form: &[(&str, &str)]) -> Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.http
            .post(self.url("/accounts/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn exchange(&self, code: &str, verifier: &str) -> Response {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", DEFAULT_CLIENT_ID),
        ])
        .await
    }

    async fn refresh(&self, refresh_token: &str) -> Response {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", DEFAULT_CLIENT_ID),
        ])
        .await
    }

    async fn list_with(&self, token: &str) -> u16 {
        let response = self
            .http
            .get(self.url("/timebookings"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }
}

fn location(response: &Response) -> Url {
    assert_eq!(response.status(), 302, "{response:?}");
    Url::parse(response.headers()["location"].to_str().unwrap()).unwrap()
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

async fn tokens(response: Response) -> Value {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.json().await.unwrap()
}

#[tokio::test]
async fn code_exchange_gives_tokens_the_api_accepts_until_they_expire() {
    let oauth = OAuth::start().await;
    let code = oauth.code().await;
    let body = tokens(oauth.exchange(&code, VERIFIER).await).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 86_400);
    assert_eq!(body["resource"], "awork.com");
    let access = body["access_token"].as_str().unwrap();
    assert!(body["refresh_token"].is_string());
    assert_eq!(oauth.list_with(access).await, 200);
    oauth.fake.clock().advance(Duration::from_secs(86_400));
    let expired = oauth
        .http
        .get(oauth.url("/timebookings"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    let error = error_body(expired, 401, awork_fake::codes::UNAUTHORIZED).await;
    assert!(
        format!("{:?}", error.details).contains("expired"),
        "{error:?}"
    );
    let counts = oauth.fake.oauth().counts();
    assert_eq!((counts.codes_issued, counts.code_exchanges), (1, 1));
}

#[tokio::test]
async fn a_code_works_once_and_only_with_its_verifier_and_redirect() {
    let oauth = OAuth::start().await;
    let code = oauth.code().await;
    let wrong = "another-verifier-0123456789-0123456789-0123456789";
    error_body(oauth.exchange(&code, wrong).await, 400, "invalid_grant").await;
    // A failed attempt spends the code too.
    error_body(oauth.exchange(&code, VERIFIER).await, 400, "invalid_grant").await;

    let code = oauth.code().await;
    tokens(oauth.exchange(&code, VERIFIER).await).await;
    let reused = error_body(oauth.exchange(&code, VERIFIER).await, 400, "invalid_grant").await;
    assert!(reused.description.contains("already used"), "{reused:?}");

    let code = oauth.code().await;
    let other_redirect = oauth
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:45678/elsewhere"),
            ("code_verifier", VERIFIER),
            ("client_id", DEFAULT_CLIENT_ID),
        ])
        .await;
    error_body(other_redirect, 400, "invalid_grant").await;

    let code = oauth.code().await;
    oauth.fake.clock().advance(awork_fake::CODE_LIFETIME);
    let late = error_body(oauth.exchange(&code, VERIFIER).await, 400, "invalid_grant").await;
    assert!(late.description.contains("expired"), "{late:?}");
}

#[tokio::test]
async fn refresh_tokens_rotate() {
    let oauth = OAuth::start().await;
    let code = oauth.code().await;
    let first = tokens(oauth.exchange(&code, VERIFIER).await).await;
    let old = first["refresh_token"].as_str().unwrap();
    let second = tokens(oauth.refresh(old).await).await;
    assert!(second.get("resource").is_none(), "{second}");
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(
        oauth
            .list_with(second["access_token"].as_str().unwrap())
            .await,
        200
    );
    let reused = error_body(oauth.refresh(old).await, 400, "invalid_grant").await;
    assert!(reused.description.contains("already used"), "{reused:?}");
    tokens(
        oauth
            .refresh(second["refresh_token"].as_str().unwrap())
            .await,
    )
    .await;
    assert_eq!(oauth.fake.oauth().counts().refreshes, 2);
}

#[tokio::test]
async fn authorize_redirects_errors_and_refusals_but_not_to_unknown_uris() {
    let oauth = OAuth::start().await;
    oauth.fake.oauth().set_approval(Approval::Deny);
    let denied = location(&oauth.authorize(&[]).await);
    assert_eq!(param(&denied, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&denied, "state").as_deref(), Some("st-1"));
    assert_eq!(param(&denied, "code"), None);
    oauth.fake.oauth().set_approval(Approval::Approve);

    let plain = location(&oauth.authorize(&[("code_challenge_method", "plain")]).await);
    assert_eq!(param(&plain, "error").as_deref(), Some("invalid_request"));
    let scope = location(&oauth.authorize(&[("scope", "everything")]).await);
    assert_eq!(param(&scope, "error").as_deref(), Some("invalid_scope"));

    let elsewhere = oauth
        .authorize(&[("redirect_uri", "https://evil.example/cb")])
        .await;
    error_body(elsewhere, 400, "invalid_request").await;
    let stranger = oauth.authorize(&[("client_id", "nobody")]).await;
    error_body(stranger, 400, "invalid_client").await;
    assert_eq!(oauth.fake.oauth().counts().codes_issued, 0);
}

#[tokio::test]
async fn token_requests_must_be_forms_from_known_clients() {
    let oauth = OAuth::start().await;
    let json = oauth
        .http
        .post(oauth.url("/accounts/token"))
        .json(&json!({"grant_type": "refresh_token"}))
        .send()
        .await
        .unwrap();
    error_body(json, 400, "invalid_request").await;
    let nobody = oauth
        .token(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .await;
    error_body(nobody, 401, "invalid_client").await;
    let grant = oauth
        .token(&[("grant_type", "password"), ("client_id", DEFAULT_CLIENT_ID)])
        .await;
    error_body(grant, 400, "unsupported_grant_type").await;
}

#[tokio::test]
async fn registration_answers_201_and_confidential_clients_use_basic_auth() {
    let oauth = OAuth::start().await;
    let response = oauth
        .http
        .post(oauth.url("/clientapplications/register"))
        .json(&json!({
            "client_name": "test app",
            "redirect_uris": ["http://127.0.0.1/callback"],
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_basic",
            "scope": "full_access offline_access"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let client: Value = response.json().await.unwrap();
    let (id, secret) = (
        client["client_id"].as_str().unwrap(),
        client["client_secret"].as_str().unwrap(),
    );
    assert_eq!(
        client["redirect_uris"],
        json!(["http://127.0.0.1/callback"])
    );
    assert_eq!(oauth.fake.oauth().counts().registrations, 1);

    let location = location(&oauth.authorize(&[("client_id", id)]).await);
    let code = param(&location, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let send = |credentials: String| {
        oauth
            .http
            .post(oauth.url("/accounts/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(
                "authorization",
                format!("Basic {}", STANDARD.encode(credentials)),
            )
            .body(body.clone())
            .send()
    };
    error_body(
        send(format!("{id}:wrong")).await.unwrap(),
        401,
        "invalid_client",
    )
    .await;
    tokens(send(format!("{id}:{secret}")).await.unwrap()).await;

    let public = oauth
        .http
        .post(oauth.url("/clientapplications/register"))
        .json(&json!({"redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "none"}))
        .send()
        .await
        .unwrap();
    let public: Value = public.json().await.unwrap();
    assert!(public.get("client_secret").is_none(), "{public}");

    let bad = oauth
        .http
        .post(oauth.url("/clientapplications/register"))
        .json(&json!({"redirect_uris": ["not a uri"]}))
        .send()
        .await
        .unwrap();
    error_body(bad, 400, "invalid_redirect_uri").await;
}

#[tokio::test]
async fn granted_tokens_expire_on_the_fakes_clock_and_the_key_still_works() {
    let fake = FakeAwork::builder()
        .access_token_lifetime(Duration::from_secs(60))
        .start()
        .await;
    let oauth = OAuth::around(fake);
    let token = oauth.fake.oauth().grant_access_token();
    assert_eq!(oauth.list_with(&token).await, 200);
    oauth.fake.clock().advance(Duration::from_secs(59));
    assert_eq!(oauth.list_with(&token).await, 200);
    oauth.fake.clock().advance(Duration::from_secs(1));
    assert_eq!(oauth.list_with(&token).await, 401);
    assert_eq!(oauth.list_with(oauth.fake.api_key()).await, 200);
    assert_eq!(oauth.list_with("fake-at-made-up").await, 401);
}
