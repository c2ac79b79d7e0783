//! Credentials on the wire, against a local mock server.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use invoicing_runtime::test_util::{env_vars as vars, header, quick_retries};
use invoicing_runtime::{Auth, ClientContext, EnvCredentials, Error, ProviderId};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use wiremock::matchers::{body_string, header as has_header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Sends `request` through `context`, the way a generated client does.
async fn call(
    context: &ClientContext,
    request: reqwest::RequestBuilder,
    operation: &'static str,
) -> Result<reqwest::Response, Error> {
    let client = invoicing_runtime::http_client();
    context
        .send(
            &client,
            request.build().expect("test requests build"),
            operation,
        )
        .await
}

fn client_context(provider: &'static str, auth: Auth) -> ClientContext {
    ClientContext::new(ProviderId::new(provider), auth)
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn basic_auth_sends_public_and_secret_key() {
    let server = ok_server().await;
    let context = client_context("sendcloud-v2", Auth::basic("public-key", "secret-key"));
    let http = reqwest::Client::new();
    let response = call(
        &context,
        http.get(format!("{}/user/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let requests = server.received_requests().await.unwrap();
    let expected = format!("Basic {}", BASE64.encode("public-key:secret-key"));
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some(expected.as_str())
    );
}

#[tokio::test]
async fn bearer_key_and_default_headers() {
    let server = ok_server().await;
    let context = client_context("kitchen", Auth::bearer("kitchen-key"))
        .with_header("X-Requested-With", "XMLHttpRequest")
        .with_header("Accept", "application/json");
    let http = reqwest::Client::new();
    call(
        &context,
        http.get(format!("{}/api/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap();
    // A header the operation sets itself is kept.
    call(
        &context,
        http.get(format!("{}/api/invoices", server.uri()))
            .header("accept", "application/pdf"),
        "pdf",
    )
    .await
    .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some("Bearer kitchen-key")
    );
    assert_eq!(
        header(&requests[0], "x-requested-with").as_deref(),
        Some("XMLHttpRequest")
    );
    assert_eq!(
        header(&requests[0], "accept").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        header(&requests[1], "accept").as_deref(),
        Some("application/pdf")
    );
}

/// A token endpoint handing out `token-1`, `token-2`, ... with `expires_in`.
async fn token_server(expires_in: u64) -> MockServer {
    let server = MockServer::start().await;
    let issued = std::sync::atomic::AtomicU32::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .and(has_header(
            "authorization",
            format!("Basic {}", BASE64.encode("client-id:client-secret")).as_str(),
        ))
        .and(has_header(
            "content-type",
            "application/x-www-form-urlencoded",
        ))
        .and(body_string("grant_type=client_credentials&scope=api"))
        .respond_with(move |_: &wiremock::Request| {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("token-{n}"),
                "token_type": "Bearer",
                "expires_in": expires_in,
                "scope": "api",
            }))
        })
        .mount(&server)
        .await;
    server
}

fn oauth2(server: &MockServer) -> Auth {
    Auth::oauth2_client_credentials(
        &format!("{}/oauth2/token/", server.uri()),
        "client-id",
        "client-secret",
        Some("api"),
    )
    .unwrap()
}

fn tokens_used(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.url.path() != "/oauth2/token/")
        .map(|r| header(r, "authorization").unwrap())
        .collect()
}

fn token_fetches(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/oauth2/token/")
        .count()
}

#[tokio::test]
async fn oauth2_token_is_fetched_once_and_shared_by_clones() {
    let server = token_server(3600).await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let context = client_context("sendcloud-v3", oauth2(&server));
    let clone = context.clone();
    let http = reqwest::Client::new();
    let url = format!("{}/invoices", server.uri());
    call(&context, http.get(&url), "list").await.unwrap();
    call(&clone, http.get(&url), "list").await.unwrap();
    call(&context, http.get(&url), "list").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 1);
    assert_eq!(tokens_used(&requests), ["Bearer token-1"; 3]);
}

#[tokio::test]
async fn oauth2_expires_in_zero_gets_the_minimum_lifetime() {
    // `expires_in: 0` would mean a token fetch per request; the token is
    // kept for the documented minimum (60 s) instead.
    let server = token_server(0).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let context = client_context("sendcloud-v3", oauth2(&server));
    let http = reqwest::Client::new();
    let url = format!("{}/invoices", server.uri());
    for _ in 0..5 {
        call(&context, http.get(&url), "list").await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 1);
    assert_eq!(tokens_used(&requests), ["Bearer token-1"; 5]);
}

#[tokio::test]
async fn oauth2_token_is_fetched_anew_once_on_401() {
    let server = token_server(3600).await;
    Mock::given(method("POST"))
        .and(path("/invoices"))
        .and(has_header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/invoices"))
        .and(has_header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let context = client_context("sendcloud-v3", oauth2(&server));
    let http = reqwest::Client::new();
    let url = format!("{}/invoices", server.uri());
    let response = call(&context, http.post(&url).body("{}"), "create")
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-invoicing-attempts"], "2");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
    assert_eq!(tokens_used(&requests), ["Bearer token-1", "Bearer token-2"]);
    assert_eq!(requests.last().unwrap().body, b"{}");
}

#[tokio::test]
async fn oauth2_gives_up_after_one_renewal() {
    let server = token_server(3600).await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let context = client_context("sendcloud-v3", oauth2(&server)).with_retry(quick_retries(4));
    let http = reqwest::Client::new();
    let response = call(
        &context,
        http.get(format!("{}/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 401);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
    assert_eq!(tokens_used(&requests).len(), 2);
}

#[derive(Debug, Deserialize)]
struct CdpClaims {
    sub: String,
    iss: String,
    nbf: u64,
    exp: u64,
    uri: String,
}

/// Checks every header field and claim of a CDP JWT against `public_key`.
fn verify_cdp_jwt(
    authorization: &str,
    algorithm: Algorithm,
    public_key: &DecodingKey,
    expected_uri: &str,
) -> String {
    let jwt = authorization
        .strip_prefix("Bearer ")
        .expect("a bearer token");
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.alg, algorithm);
    assert_eq!(
        header.kid.as_deref(),
        Some("organizations/org-1/apiKeys/key-1")
    );
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let nonce = header.nonce.expect("a nonce");
    assert_eq!(nonce.len(), 32);
    assert!(nonce.chars().all(|c| c.is_ascii_hexdigit()), "{nonce}");

    let mut validation = Validation::new(algorithm);
    validation.validate_nbf = true;
    validation.set_issuer(&["cdp"]);
    validation.sub = Some("organizations/org-1/apiKeys/key-1".to_owned());
    validation.set_required_spec_claims(&["exp", "nbf", "sub", "iss"]);
    let claims = jsonwebtoken::decode::<CdpClaims>(jwt, public_key, &validation)
        .unwrap()
        .claims;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert_eq!(claims.sub, "organizations/org-1/apiKeys/key-1");
    assert_eq!(claims.iss, "cdp");
    assert!(
        claims.nbf <= now && now - claims.nbf < 10,
        "nbf {} now {now}",
        claims.nbf
    );
    assert_eq!(claims.exp, claims.nbf + 120);
    assert_eq!(claims.uri, expected_uri);
    nonce
}

/// Sends a GET that first meets a 503, so two JWTs are signed, and checks both.
async fn check_cdp(auth: Auth, algorithm: Algorithm, public_key: DecodingKey) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/invoices"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/invoices"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let context = client_context("coinbase-business", auth).with_retry(quick_retries(3));
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/invoices?pageSize=5&pageToken=abc", server.uri());
    let response = call(&context, http.get(url), "listInvoices").await.unwrap();
    assert_eq!(response.status(), 200);

    let port = server.address().port();
    let expected_uri = format!("GET 127.0.0.1:{port}/api/v1/invoices");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let nonces: Vec<String> = requests
        .iter()
        .map(|r| {
            let authorization = header(r, "authorization").unwrap();
            verify_cdp_jwt(&authorization, algorithm, &public_key, &expected_uri)
        })
        .collect();
    assert_ne!(nonces[0], nonces[1], "each attempt has its own JWT");
}

#[tokio::test]
async fn coinbase_es256_jwt_from_sec1_pem() {
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let sec1 = aws_lc_rs::encoding::AsDer::<aws_lc_rs::encoding::EcPrivateKeyRfc5915Der>::as_der(
        &pair.private_key(),
    )
    .unwrap();
    let pem = pem::encode(&pem::Pem::new("EC PRIVATE KEY", sec1.as_ref().to_vec()));
    assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    let auth = Auth::coinbase_cdp("organizations/org-1/apiKeys/key-1", pem).unwrap();
    let public = DecodingKey::from_ec_der(pair.public_key().as_ref());
    check_cdp(auth, Algorithm::ES256, public).await;
}

#[tokio::test]
async fn coinbase_es256_jwt_from_pkcs8_pem_with_escaped_newlines() {
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let pkcs8 = pair.to_pkcs8v1().unwrap();
    let pem = pem::encode(&pem::Pem::new("PRIVATE KEY", pkcs8.as_ref().to_vec()));
    let escaped = pem.trim_end().replace("\r\n", "\\n").replace('\n', "\\n");
    assert!(!escaped.contains('\n'));
    let auth = Auth::coinbase_cdp("organizations/org-1/apiKeys/key-1", escaped).unwrap();
    let public = DecodingKey::from_ec_der(pair.public_key().as_ref());
    check_cdp(auth, Algorithm::ES256, public).await;
}

#[tokio::test]
async fn coinbase_eddsa_jwt_from_base64_seed_and_public_key() {
    let mut seed = [0u8; 32];
    aws_lc_rs::rand::fill(&mut seed).unwrap();
    let pair = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let public = pair.public_key().as_ref().to_vec();
    let secret = BASE64.encode([seed.as_slice(), &public].concat());
    let auth = Auth::coinbase_cdp("organizations/org-1/apiKeys/key-1", secret).unwrap();
    check_cdp(auth, Algorithm::EdDSA, DecodingKey::from_ed_der(&public)).await;
}

const SECRETS: [&str; 9] = [
    "acme-public-key",
    "acme-secret-key",
    "acme-api-key-123",
    "sendcloud-secret-key",
    "kitchen-api-key-123",
    "oauth-client-secret",
    "oauth-client-id",
    "sendcloud-public-key",
    "Zm9vYmFy",
];

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret:?} leaked in {text:?}");
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let auths = [
        Auth::basic("sendcloud-public-key", "sendcloud-secret-key"),
        Auth::bearer("kitchen-api-key-123"),
        Auth::oauth2_client_credentials(
            "https://account.sendcloud.com/oauth2/token/",
            "oauth-client-id",
            "oauth-client-secret",
            Some("api"),
        )
        .unwrap(),
    ];
    for auth in auths {
        let shown = format!("{auth:?} {:?}", client_context("p", auth.clone()));
        assert!(shown.contains("[redacted]"), "{shown}");
        assert_no_secret(&shown);
    }

    let mut seed = [0u8; 32];
    aws_lc_rs::rand::fill(&mut seed).unwrap();
    let pair = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let secret = BASE64.encode([seed.as_slice(), pair.public_key().as_ref()].concat());
    let cdp = Auth::coinbase_cdp("key-1", secret.clone()).unwrap();
    let shown = format!("{cdp:?}");
    assert!(
        shown.contains("key-1") && shown.contains("EdDSA"),
        "{shown}"
    );
    assert!(
        !shown.contains(&secret) && !shown.contains(&secret[..16]),
        "{shown}"
    );
}

#[tokio::test]
async fn secrets_stay_out_of_errors() {
    // A key that is neither kind.
    let err = Auth::coinbase_cdp("key-1", "Zm9vYmFy").unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?}"));

    // A bearer token that cannot be a header value fails before sending.
    let context = client_context("kitchen", Auth::bearer("kitchen-api-key-123\n"));
    let http = reqwest::Client::new();
    let err = call(&context, http.get("http://127.0.0.1:9/x"), "list")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "kitchen list: the credentials contain characters an HTTP header cannot carry"
    );
    assert_no_secret(&format!("{err} {err:?}"));

    // A token endpoint that refuses the client.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed.",
        })))
        .mount(&server)
        .await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/oauth2/token/", server.uri()),
        "oauth-client-id",
        "oauth-client-secret",
        None,
    )
    .unwrap();
    let context = client_context("sendcloud-v3", auth);
    let err = call(
        &context,
        http.get(format!("{}/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "sendcloud-v3 list: no OAuth2 access token: the token endpoint refused the client \
         credentials (401 Unauthorized): Client authentication failed. [invalid_client]"
    );
    assert!(!err.is_transient());
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_no_secret(&format!("{err} {err:?}"));

    // A token response that is not one: the body (a token) is not quoted.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"access_token": 12345678}"#))
        .mount(&server)
        .await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/token", server.uri()),
        "oauth-client-id",
        "oauth-client-secret",
        None,
    )
    .unwrap();
    let context = client_context("sendcloud-v3", auth);
    let err = call(
        &context,
        http.get(format!("{}/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("not an OAuth2 token response"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("12345678"), "{err:?}");
}

/// The options a generated crate would pass: OAuth2 preferred, Basic else.
const ACME: &[EnvCredentials] = &[
    EnvCredentials::OAuth2ClientCredentials {
        token_url: "https://auth.acme.test/oauth2/token",
        scope: Some("api"),
        client_id: "ACME_CLIENT_ID",
        client_secret: "ACME_CLIENT_SECRET",
    },
    EnvCredentials::Basic {
        user: "ACME_PUBLIC_KEY",
        password: "ACME_SECRET_KEY",
    },
];

#[test]
fn credentials_from_environment_variables_first_option_set_wins() {
    let acme = ProviderId::new("acme");
    let basic = Auth::from_vars(
        acme,
        ACME,
        vars(&[
            ("ACME_PUBLIC_KEY", "acme-public-key"),
            ("ACME_SECRET_KEY", "acme-secret-key"),
            // Blank counts as not set, so OAuth2 is not chosen.
            ("ACME_CLIENT_ID", " "),
        ]),
    )
    .unwrap();
    assert!(format!("{basic:?}").starts_with("Auth::Basic"));

    let oauth = Auth::from_vars(
        acme,
        ACME,
        vars(&[
            ("ACME_CLIENT_ID", "oauth-client-id"),
            ("ACME_CLIENT_SECRET", "oauth-client-secret"),
            ("ACME_PUBLIC_KEY", "acme-public-key"),
        ]),
    )
    .unwrap();
    let shown = format!("{oauth:?}");
    assert!(
        shown.contains("https://auth.acme.test/oauth2/token"),
        "{shown}"
    );
    assert!(shown.contains(r#"scope: Some("api")"#), "{shown}");

    let bearer = Auth::from_vars(
        acme,
        &[EnvCredentials::Bearer {
            token: "ACME_API_KEY",
        }],
        vars(&[("ACME_API_KEY", "acme-api-key-123")]),
    );
    assert!(format!("{:?}", bearer.unwrap()).starts_with("Auth::Bearer"));
}

#[test]
fn missing_credentials_name_the_variables_not_the_values() {
    let acme = ProviderId::new("acme");
    let cdp = [EnvCredentials::CdpKey {
        key_id: "ACME_KEY_ID",
        secret: "ACME_KEY_SECRET",
    }];
    /// Options, the variables set, the message.
    type Case<'a> = (&'a [EnvCredentials], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        (
            ACME,
            &[],
            "acme: no credentials in the environment: set ACME_CLIENT_ID and \
             ACME_CLIENT_SECRET, or ACME_PUBLIC_KEY and ACME_SECRET_KEY",
        ),
        (
            ACME,
            &[("ACME_PUBLIC_KEY", "acme-public-key")],
            "acme: environment variable ACME_SECRET_KEY is not set",
        ),
        (
            ACME,
            &[("ACME_CLIENT_SECRET", "oauth-client-secret")],
            "acme: environment variable ACME_CLIENT_ID is not set",
        ),
        (
            &cdp,
            &[("ACME_KEY_ID", "key-1")],
            "acme: environment variable ACME_KEY_SECRET is not set",
        ),
    ];
    for (options, pairs, message) in cases {
        let err = Auth::from_vars(acme, options, vars(pairs)).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_no_secret(&format!("{err:?}"));
    }

    let bad_key = Auth::from_vars(
        acme,
        &cdp,
        vars(&[("ACME_KEY_ID", "key-1"), ("ACME_KEY_SECRET", "Zm9vYmFy")]),
    )
    .unwrap_err();
    assert!(
        bad_key.to_string().starts_with("acme: the CDP key secret"),
        "{bad_key}"
    );
    assert_no_secret(&format!("{bad_key} {bad_key:?}"));

    let none = Auth::from_vars(acme, &[], vars(&[])).unwrap_err();
    assert_eq!(
        none.to_string(),
        "acme: no environment variables are known for this provider"
    );
}
