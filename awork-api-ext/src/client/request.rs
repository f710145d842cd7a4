//! The requests this crate makes by hand, where the generated client cannot: a replace
//! with explicit nulls, multipart uploads, webhooks whose answers hold a secret, routes
//! of the caller's own, a client registration. [`ApiRequest`] builds every one of them
//! (v1 or v2 base URL, query, a JSON or a streamed body) and sends it through the same
//! pipeline as the generated operations, so they get the same credentials, retries,
//! pacing and tracing, and end in the same [`Error`].

use crate::error::{self, Error};
use crate::http::copies::Copies;
use crate::http::pipeline::Pipeline;
use crate::http::tally::Sent;
use reqwest::header::ACCEPT;
use reqwest::multipart::Form;
use reqwest::{Method, Request, Response};
use serde::de::DeserializeOwned;

/// Makes the multipart form of one send (files are opened afresh each time).
pub(crate) type MakeForm<'a> = dyn Fn() -> Result<Form, Error> + Send + Sync + 'a;

/// What a request carries.
enum Body<'a> {
    Empty,
    Json(serde_json::Value),
    /// A streamed form; `repeatable` when it may be made again for a further send.
    Form {
        make: &'a MakeForm<'a>,
        repeatable: bool,
    },
}

/// One request, filled in by the caller and then sent: nothing goes out before
/// [`send`](Self::send) or [`read`](Self::read).
pub(crate) struct ApiRequest<'a> {
    pipeline: &'a Pipeline,
    method: Method,
    url: String,
    operation_id: &'static str,
    query: Vec<(String, String)>,
    body: Body<'a>,
}

impl<'a> ApiRequest<'a> {
    /// A request to the absolute `url`, through `pipeline`, traced as `operation_id`.
    pub(crate) fn new(
        pipeline: &'a Pipeline,
        method: Method,
        url: String,
        operation_id: &'static str,
    ) -> Self {
        Self {
            pipeline,
            method,
            url,
            operation_id,
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// Adds query parameters, percent-encoded when sent.
    pub(crate) fn query(mut self, pairs: Vec<(String, String)>) -> Self {
        self.query.extend(pairs);
        self
    }

    /// Sends `body` as JSON.
    pub(crate) fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// Sends the multipart form `make` makes. With `repeatable` the retry policy may
    /// send it again, each time as a fresh form; without, it is sent once.
    pub(crate) fn form(mut self, make: &'a MakeForm<'a>, repeatable: bool) -> Self {
        self.body = Body::Form { make, repeatable };
        self
    }

    /// Sends the request; the successful answer, unread. An error status, a transport
    /// failure or refused credentials are an [`Error`] with the attempts it took.
    pub(crate) async fn send(self) -> Result<Response, Error> {
        let first = self.build()?;
        let rebuild = || self.build().ok();
        let copies = match &self.body {
            Body::Form {
                repeatable: true, ..
            } => Copies::Rebuilt(&rebuild),
            Body::Form { .. } => Copies::Once,
            Body::Empty | Body::Json(_) => Copies::Cloned,
        };
        let Sent { result, tally } = self.pipeline.send(first, copies, self.operation_id).await;
        error::settle(successful(result).await, &tally)
    }

    /// Sends the request and decodes the successful answer as `T`.
    pub(crate) async fn read<T: DeserializeOwned>(self) -> Result<T, Error> {
        error::json_answer(self.send().await?).await
    }

    /// Sends the request; an answer without a body (204, or an empty 2xx) is `None`,
    /// any other success is decoded as `T`.
    pub(crate) async fn read_optional<T: DeserializeOwned>(self) -> Result<Option<T>, Error> {
        let answer = self.send().await?;
        if error::is_bodiless_success(&answer) {
            return Ok(None);
        }
        error::json_answer(answer).await.map(Some)
    }

    /// The request as reqwest sends it, with a fresh body.
    fn build(&self) -> Result<Request, Error> {
        let mut request = self
            .pipeline
            .http()
            .request(self.method.clone(), &self.url)
            .header(ACCEPT, "application/json");
        if !self.query.is_empty() {
            request = request.query(&self.query);
        }
        request = match &self.body {
            Body::Empty => request,
            Body::Json(body) => request.json(body),
            Body::Form { make, .. } => request.multipart(make()?),
        };
        request.build().map_err(Error::from_reqwest)
    }
}

/// The answer when it is a success, else the error it stands for.
async fn successful(result: reqwest::Result<Response>) -> Result<Response, Error> {
    let response = result.map_err(Error::from_reqwest)?;
    if response.status().is_success() {
        return Ok(response);
    }
    Err(Error::from_response(response).await)
}

/// The JSON body of a replace (PUT): `form` as serialized, plus an explicit `null` for
/// each of `nullable` the form leaves out. The generated forms skip unset fields, which
/// would leave them as they were: a patch, not the replace a PUT is. `what` names the
/// form in the (unlikely) error.
pub(crate) fn replace_body(
    what: &str,
    form: &impl serde::Serialize,
    nullable: &[&str],
) -> Result<serde_json::Value, Error> {
    let mut body = serde_json::to_value(form)
        .map_err(|e| Error::validation(what, format!("cannot be written as JSON: {e}")))?;
    if let Some(fields) = body.as_object_mut() {
        for name in nullable {
            fields.entry(*name).or_insert(serde_json::Value::Null);
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn one_request_carries_query_and_json_and_ends_in_the_error_it_met() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path("/api/v1/things"))
            .and(query_param("q", "a b"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"n": 1})))
            .mount(&server)
            .await;
        let pipeline = Pipeline::plain();
        let url = format!("{}/api/v1/things", server.uri());
        let request = || ApiRequest::new(&pipeline, Method::PUT, url.clone(), "put_things");
        let answer: serde_json::Value = request()
            .query(vec![("q".into(), "a b".into())])
            .json(serde_json::json!({"x": null}))
            .read()
            .await
            .unwrap();
        assert_eq!(answer["n"], 1);
        let received = &server.received_requests().await.unwrap()[0];
        assert_eq!(received.body, br#"{"x":null}"#);
        assert_eq!(received.headers["accept"], "application/json");

        let missing = request().read::<serde_json::Value>().await.unwrap_err();
        assert_eq!(missing.status().map(|s| s.as_u16()), Some(404), "{missing}");
        assert_eq!(missing.attempts(), Some(1));
    }

    #[tokio::test]
    async fn a_form_that_cannot_be_made_is_an_error_before_anything_is_sent() {
        let pipeline = Pipeline::plain();
        let broken = || Err(Error::validation("File", "is missing"));
        let error = ApiRequest::new(&pipeline, Method::POST, "http://127.0.0.1:9/x".into(), "x")
            .form(&broken, false)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "invalid File: is missing");
    }

    #[test]
    fn a_replace_sends_null_for_what_the_form_leaves_out() {
        #[derive(serde::Serialize)]
        struct Form {
            #[serde(skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            hours: u32,
        }
        let body = replace_body(
            "form",
            &Form {
                note: None,
                hours: 2,
            },
            &["note"],
        )
        .unwrap();
        assert_eq!(body, serde_json::json!({"hours": 2, "note": null}));
    }
}
