//! No credential in any string the library produces, with servers that echo
//! them back: every auth kind, every error path.

use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use invoicing_runtime::test_util::{header, quick_retries};
use invoicing_runtime::{Auth, ClientContext, Error, Origin, ProviderId};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROVIDER: ProviderId = ProviderId::new("echo-vendor");

const BASIC_USER: &str = "public-key-7f3a91c2";
const BASIC_PASSWORD: &str = "secret/key+9d8e7f6a";
const BEARER: &str = "kitchen-api-key-5b4c3d2e";
const CLIENT_ID: &str = "oauth-client-id-1a2b3c";
const CLIENT_SECRET: &str = "oauth-client-secret-4d5e6f";
const ACCESS_TOKEN: &str = "oauth-access-token-7a8b9c";

/// Answers with `status` and a body that quotes the request's
/// `Authorization` in every way a careless server might: as a message, as
/// field errors, decoded when it is Basic, in a header, JSON-escaped the way
/// PHP writes `/`.
struct Echo(u16);

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let authorization = header(request, "authorization").unwrap_or_default();
        let token = authorization
            .split_once(' ')
            .map_or(authorization.as_str(), |(_, token)| token)
            .to_owned();
        let decoded = BASE64
            .decode(&token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default();
        let (user, password) = decoded.split_once(':').unwrap_or_default();
        let body = json!({
            "message": format!("denied for {authorization}"),
            "errors": {
                "authorization": [authorization, token.clone()],
                "user": [user],
                "password": [password],
                "pair": [decoded.clone()],
            },
            "id": token,
        });
        let php = body.to_string().replace('/', "\\/");
        ResponseTemplate::new(self.0)
            .insert_header("x-echo", authorization.as_str())
            .set_body_raw(php, "application/json")
    }
}

/// What a client of each kind has to hide: the credentials themselves and
/// what was sent (Basic's base64, an access token, each JWT).
struct Case {
    name: &'static str,
    auth: Auth,
    secrets: Vec<String>,
}

fn cases(token_url: &str) -> Vec<Case> {
    let pair = format!("{BASIC_USER}:{BASIC_PASSWORD}");
    let mut seed = [0u8; 32];
    aws_lc_rs::rand::fill(&mut seed).unwrap();
    let key = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let cdp_secret = BASE64.encode([seed.as_slice(), key.public_key().as_ref()].concat());
    vec![
        Case {
            name: "basic",
            auth: Auth::basic(BASIC_USER, BASIC_PASSWORD),
            secrets: vec![
                BASIC_USER.into(),
                BASIC_PASSWORD.into(),
                BASE64.encode(&pair),
                pair,
            ],
        },
        Case {
            name: "bearer",
            auth: Auth::bearer(BEARER),
            secrets: vec![BEARER.into()],
        },
        Case {
            name: "oauth2",
            auth: Auth::oauth2_client_credentials(token_url, CLIENT_ID, CLIENT_SECRET, None)
                .unwrap(),
            secrets: vec![
                CLIENT_ID.into(),
                CLIENT_SECRET.into(),
                ACCESS_TOKEN.into(),
                BASE64.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")),
            ],
        },
        Case {
            name: "coinbase cdp",
            auth: Auth::coinbase_cdp("organizations/org-1/apiKeys/key-1", cdp_secret.clone())
                .unwrap(),
            secrets: vec![cdp_secret],
        },
    ]
}

/// A token endpoint handing out [`ACCESS_TOKEN`], and an API that echoes
/// with `status`.
async fn echo_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(Echo(status))
        .mount(&server)
        .await;
    server
}

/// `GET /invoices` through `context`, as a generated client sends it.
async fn list(context: &ClientContext, server: &MockServer) -> Result<reqwest::Response, Error> {
    let client = invoicing_runtime::http_client();
    let request = client
        .get(format!("{}/invoices", server.uri()))
        .build()
        .unwrap();
    context.send(&client, request, "list_invoices").await
}

/// Fails if `text` holds any of `secrets`, or any JWT the server received.
fn assert_clean(case: &str, text: &str, secrets: &[String], sent: &[String]) {
    for secret in secrets.iter().chain(sent) {
        assert!(
            !text.contains(secret.as_str()) && !text.contains(&secret.replace('/', "\\/")),
            "{case}: {secret:?} leaked in {text}"
        );
    }
}

/// The tokens (after `Bearer ` or `Basic `) the API requests carried.
async fn sent_tokens(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() != "/oauth2/token/")
        .filter_map(|r| header(r, "authorization"))
        .filter_map(|value| value.split_once(' ').map(|(_, token)| token.to_owned()))
        .collect()
}

#[tokio::test]
async fn echoed_credentials_never_reach_an_error() {
    for status in [400, 401, 403, 404, 422, 429, 500, 503] {
        let server = echo_server(status).await;
        for case in cases(&format!("{}/oauth2/token/", server.uri())) {
            let context = ClientContext::new(PROVIDER, case.auth).with_retry(quick_retries(2));
            let response = list(&context, &server).await.unwrap();
            let sent = sent_tokens(&server).await;
            // What a user of one generated crate would print.
            let unexpected = progenitor_client::Error::<()>::UnexpectedResponse(response);
            let shown = format!("{unexpected} {unexpected:?}");
            assert_clean(case.name, &shown, &case.secrets, &sent);
            assert!(
                shown.contains("[redacted]"),
                "{}: the echo header: {shown}",
                case.name
            );

            let origin = Origin::new(PROVIDER, Some("list_invoices"));
            let err = Error::from_progenitor(origin, unexpected).await;
            let text = format!("{err} {err:?}");
            assert_clean(case.name, &text, &case.secrets, &sent);
            assert!(
                err.api_message().unwrap().text.starts_with("denied for"),
                "{}: {err}",
                case.name
            );
            assert!(text.contains("[redacted]"), "{}: {text}", case.name);
        }
    }
}

#[tokio::test]
async fn an_echo_in_a_successful_body_is_scrubbed_before_decoding() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // Only decoding matters.
    struct Page {
        data: Vec<u32>,
    }
    let server = echo_server(200).await;
    for case in cases(&format!("{}/oauth2/token/", server.uri())) {
        let context = ClientContext::new(PROVIDER, case.auth);
        let response = list(&context, &server).await.unwrap();
        let sent = sent_tokens(&server).await;
        let err = invoicing_runtime::decode_response::<Page, ()>(response)
            .await
            .unwrap_err();
        assert_clean(case.name, &format!("{err} {err:?}"), &case.secrets, &sent);
        let err = Error::from_progenitor(Origin::new(PROVIDER, Some("list_invoices")), err).await;
        let text = format!("{err} {err:?}");
        assert_clean(case.name, &text, &case.secrets, &sent);
        assert!(text.contains("[redacted]"), "{}: {text}", case.name);
    }
}

#[tokio::test]
async fn a_token_endpoint_that_echoes_the_client_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(Echo(400))
        .mount(&server)
        .await;
    let case = cases(&format!("{}/oauth2/token/", server.uri()))
        .into_iter()
        .find(|case| case.name == "oauth2")
        .unwrap();
    let context = ClientContext::new(PROVIDER, case.auth);
    let err = list(&context, &server).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token {
                transient: false,
                ..
            }
        ),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert_clean(case.name, &text, &case.secrets, &[]);
    assert!(text.contains("denied for Basic [redacted]"), "{text}");

    // Through the hook a generated client calls, and back.
    let client = invoicing_runtime::http_client();
    let request = client
        .get(format!("{}/invoices", server.uri()))
        .build()
        .unwrap();
    let info = progenitor_client::OperationInfo {
        operation_id: "list_invoices",
    };
    let carried = context.exec(&client, request, &info).await.unwrap_err();
    let progenitor = progenitor_client::Error::<()>::CommunicationError(carried);
    let shown = format!("{progenitor} {progenitor:?} {progenitor:#}");
    assert_clean(case.name, &shown, &case.secrets, &[]);
    assert!(shown.contains("no OAuth2 access token"), "{shown}");
    let back =
        Error::from_progenitor(Origin::new(PROVIDER, Some("list_invoices")), progenitor).await;
    assert_eq!(back.to_string(), err.to_string());
}

#[tokio::test]
async fn debug_of_credentials_and_contexts_shows_no_secret() {
    for case in cases("https://account.example.com/oauth2/token/") {
        let context = ClientContext::new(PROVIDER, case.auth.clone());
        let shown = format!("{:?} {context:?}", case.auth);
        assert_clean(case.name, &shown, &case.secrets, &[]);
        assert!(shown.contains("redacted"), "{}: {shown}", case.name);
    }
}
