//! Generated types that hold secrets keep them out of `Debug`, and still send them.
//!
//! The values are built from awork's wire shape (JSON), the way an answer arrives.

use awork_api::Redacted;
use awork_api::types::{
    ChangePasswordForm, ClientApplicationCreateResponse, DynamicClientRegistrationResponse,
    TokenResponse, WebhookConfig, WebhookConfigForm,
};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::fmt::Debug;

const SECRET: &str = "s3cr3t-value-7f1c";

fn from_wire<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the wire shape decodes")
}

/// `{:?}` and `{:#?}` of `value` never hold the secret and do say it was there.
fn assert_redacted(value: &impl Debug, still_shown: &str) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(SECRET), "secret printed: {text}");
        assert!(text.contains("<redacted>"), "no mark of the secret: {text}");
        assert!(
            text.contains(still_shown),
            "{still_shown} not shown: {text}"
        );
    }
}

fn webhook_form() -> WebhookConfigForm {
    from_wire(json!({
        "name": "payroll export",
        "uri": "https://hooks.example.test/awork",
        "events": "time_tracking_created",
        "isActive": true,
        "authenticationType": "header",
        "authentication": SECRET,
    }))
}

#[test]
fn a_webhook_form_hides_its_auth_header_but_sends_it() {
    let form = webhook_form();
    assert_redacted(&form, "payroll export");
    let sent = serde_json::to_value(&form).unwrap();
    assert_eq!(sent["authentication"], SECRET);
}

#[test]
fn an_operation_builder_holding_the_form_hides_it_too() {
    let client = awork_api::Client::new("http://127.0.0.1:9/api/v1", awork_api::Hooks::new());
    let builder = client.post_webhook().body(webhook_form());
    assert_redacted(&builder, "payroll export");
}

#[test]
fn answers_with_tokens_and_client_secrets_hide_them() {
    let token: TokenResponse = from_wire(json!({
        "access_token": SECRET, "refresh_token": SECRET, "token_type": "Bearer", "expires_in": 3600,
    }));
    assert_redacted(&token, "Bearer");
    let created: ClientApplicationCreateResponse =
        from_wire(json!({ "clientId": "my-app", "clientSecret": SECRET }));
    assert_redacted(&created, "my-app");
    let registered: DynamicClientRegistrationResponse =
        from_wire(json!({ "client_id": "my-app", "client_secret": SECRET }));
    assert_redacted(&registered, "my-app");
    let webhook: WebhookConfig = from_wire(json!({
        "name": "payroll export", "uri": "https://hooks.example.test/awork",
        "events": "time_tracking_created", "isActive": true,
        "authenticationType": "header", "authentication": SECRET,
    }));
    assert_redacted(&webhook, "payroll export");
}

#[test]
fn unset_secrets_print_as_none_and_other_fields_as_derived() {
    let form: ChangePasswordForm = from_wire(json!({ "newPassword": SECRET }));
    let text = format!("{form:?}");
    assert_eq!(
        text,
        "ChangePasswordForm { current_password: None, new_password: Some(<redacted>) }"
    );
}

#[test]
fn a_builder_with_a_token_parameter_hides_it_and_the_clients_key() {
    let key = "awork-key-for-debug-test-0451";
    let client = awork_api_ext::AworkClient::builder()
        .api_key(key)
        .base_url("http://127.0.0.1:9/api/v1")
        .build()
        .unwrap();
    let builder = client.api().get_shared_files().token(SECRET);
    let text = format!("{builder:?}");
    assert!(!text.contains(SECRET), "token printed: {text}");
    assert!(!text.contains(key), "key printed: {text}");
    assert!(text.contains("token: Ok(<redacted>)"), "{text}");
}

/// The wrapper the generated `Debug` impls put around secret fields.
#[test]
fn redacted_values_print_as_redacted_inside_their_option_or_result() {
    let set = Some("s3cr3t".to_string());
    assert_eq!(format!("{:?}", Redacted(&set)), "Some(<redacted>)");
    assert_eq!(format!("{:?}", Redacted(&None::<String>)), "None");
    assert_eq!(
        format!("{:?}", Redacted(&"s3cr3t".to_string())),
        "<redacted>"
    );
    assert_eq!(
        format!("{:#?}", Redacted(&set)),
        "Some(\n    <redacted>,\n)"
    );
    let param: Result<String, String> = Ok("s3cr3t".into());
    assert_eq!(format!("{:?}", Redacted(&param)), "Ok(<redacted>)");
    let optional: Result<Option<String>, String> = Ok(Some("s3cr3t".into()));
    assert_eq!(format!("{:?}", Redacted(&optional)), "Ok(Some(<redacted>))");
    let unset: Result<String, String> = Err("token was not initialized".into());
    assert_eq!(
        format!("{:?}", Redacted(&unset)),
        "Err(\"token was not initialized\")"
    );
}
