//! What every provider does with a failing API, as one table: a rate limit
//! is waited out, server errors are retried and then say how many attempts
//! were made, an unauthorized answer quotes the vendor's message in its own
//! error format, and malformed JSON names provider, operation and page and
//! shows the body. Credentials never appear in an error or a `Debug`, even
//! when the server echoes the request's `Authorization` header back.

use invoicing::{Error, ListQuery, Provider, Source};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::facade_support::{
    KEY_ID, cdp_secret, coinbase, invoices, kitchen, only_error, sendcloud_v2, sendcloud_v3,
};

/// One provider: how to list from a server, and the vendor's page and
/// error formats.
struct Case {
    provider: Provider,
    /// How errors name the first page.
    first_page: &'static str,
    /// A page with one invoice.
    one_invoice: &'static str,
    /// The vendor's error body for `status` carrying `message`.
    error_body: fn(u16, &str) -> String,
    /// How an error quotes that body.
    quoted: fn(u16, &str) -> String,
}

const CASES: [Case; 4] = [
    Case {
        provider: Provider::SendcloudV2,
        first_page: "first page",
        one_invoice: r#"{"invoices": [{"date": "08-06-2022 11:39:36", "id": 1, "isPayed": true, "items": "x", "price_excl": 100.00, "price_incl": 121.00, "ref": "NL1", "type": "periodic"}]}"#,
        error_body: |status, message| {
            serde_json::json!({"error": {"code": status, "request": "api/v2/user/invoices", "message": message}})
                .to_string()
        },
        quoted: |status, message| format!("{message} [{status}] (request api/v2/user/invoices)"),
    },
    Case {
        provider: Provider::SendcloudV3,
        first_page: "first page",
        one_invoice: r#"{"data": [{"id": 1, "reference": "INV-1", "created_at": "2026-05-31T00:00:00Z"}]}"#,
        error_body: |_, message| serde_json::json!({"errors": [{"detail": message}]}).to_string(),
        quoted: |_, message| message.to_owned(),
    },
    Case {
        provider: Provider::Kitchen,
        first_page: "page 1",
        one_invoice: r#"{"data": [{"id": "in_1", "currency": "EUR", "status": "open", "total_amount": 10.00}], "meta": {"current_page": 1, "last_page": 1, "total": 1}}"#,
        error_body: |_, message| serde_json::json!({"message": message}).to_string(),
        quoted: |_, message| message.to_owned(),
    },
    Case {
        provider: Provider::CoinbaseBusiness,
        first_page: "first page",
        one_invoice: r#"{"invoices": [{"uuid": "00000000-0000-4000-8000-000000000001", "invoiceNumber": "CB-1", "status": "OPEN", "contactName": "Ada", "contactEmail": "ada@example.com", "entityName": "Acme Inc.", "createdAt": "2026-05-01T10:00:00Z", "updatedAt": "2026-05-01T10:00:00Z", "createdBy": "u1", "lastUpdatedBy": "u1", "lineItems": [], "totalAmountDue": {"value": "100.50", "currency": "USDC"}}]}"#,
        error_body: |_, message| {
            serde_json::json!({"errorType": "unauthorized", "errorMessage": message, "correlationId": "corr-1"})
                .to_string()
        },
        quoted: |_, message| format!("{message} [unauthorized] (request corr-1)"),
    },
];

/// The secret text of the credentials `case` lists with.
const SECRET: &str = "secret-key-xyz";

impl Case {
    /// The provider's adapter on `server`, with credentials holding a
    /// secret (returned too: Coinbase's is a fresh key).
    fn source(&self, server: &MockServer) -> (Box<dyn Source>, String) {
        let basic = || Auth::basic("public-key-abc", SECRET);
        match self.provider {
            Provider::SendcloudV2 => (Box::new(sendcloud_v2(server, basic())), SECRET.into()),
            Provider::SendcloudV3 => (Box::new(sendcloud_v3(server, basic())), SECRET.into()),
            Provider::Kitchen => (
                Box::new(kitchen(server, Auth::bearer(SECRET))),
                SECRET.into(),
            ),
            Provider::CoinbaseBusiness => {
                let (secret, _) = cdp_secret();
                let auth = Auth::coinbase_cdp(KEY_ID, secret.clone()).unwrap();
                (Box::new(coinbase(server, auth)), secret)
            }
            #[allow(unreachable_patterns)] // `Provider` may grow.
            other => panic!("no case for {other}"),
        }
    }

    /// How an error of the list operation's first page starts.
    fn prefix(&self) -> String {
        format!("{} list_invoices ({})", self.provider, self.first_page)
    }
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_the_page_read_again() {
    for case in &CASES {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        serve(&server, 200, case.one_invoice).await;
        let (source, _) = case.source(&server);
        let listed = invoices(source.list(&ListQuery::new())).await;
        assert_eq!(listed.len(), 1, "{}", case.provider);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn server_errors_are_retried_then_say_how_many_attempts_were_made() {
    for case in &CASES {
        for (status, reason) in [
            (500, "Internal Server Error"),
            (502, "Bad Gateway"),
            (503, "Service Unavailable"),
            (504, "Gateway Timeout"),
        ] {
            let server = MockServer::start().await;
            serve(&server, status, "").await;
            let (source, _) = case.source(&server);
            let err = only_error(source.list(&ListQuery::new())).await;
            assert_eq!(
                err.to_string(),
                format!(
                    "{}: server error ({status} {reason}) after 3 attempt(s)",
                    case.prefix()
                )
            );
            assert!(err.is_transient(), "{err}");
            assert_eq!(err.provider(), Some(case.provider));
            assert_eq!(server.received_requests().await.unwrap().len(), 3);
        }

        // The vendor's message, in its own error format, is quoted.
        let server = MockServer::start().await;
        serve(
            &server,
            503,
            &(case.error_body)(503, "Down for maintenance."),
        )
        .await;
        let (source, _) = case.source(&server);
        let err = only_error(source.list(&ListQuery::new())).await;
        assert_eq!(
            err.to_string(),
            format!(
                "{}: server error (503 Service Unavailable) after 3 attempt(s): {}",
                case.prefix(),
                (case.quoted)(503, "Down for maintenance.")
            )
        );
    }
}

/// Answers 401 with the vendor's error body quoting the request's
/// `Authorization` header, as a careless proxy or vendor might.
fn echo_authorization(case: &'static Case) -> impl Fn(&Request) -> ResponseTemplate {
    move |request| {
        let sent = header(request, "authorization").unwrap_or_default();
        let body = (case.error_body)(401, &format!("Invalid credentials: {sent}"));
        ResponseTemplate::new(401).set_body_raw(body, "application/json")
    }
}

#[tokio::test]
async fn unauthorized_quotes_the_vendor_and_never_the_credentials() {
    for case in &CASES {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(echo_authorization(case))
            .mount(&server)
            .await;
        let (source, secret) = case.source(&server);
        let err = only_error(source.list(&ListQuery::new())).await;
        assert!(
            matches!(
                err,
                Error::Api(invoicing_runtime::Error::Unauthorized { .. })
            ),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "{}: unauthorized (401): Invalid credentials: ",
                case.prefix()
            )),
            "{text}"
        );
        assert!(!err.is_transient());
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "a 401 is not retried");
        let sent = header(&requests[0], "authorization").unwrap();
        let token = sent
            .split_once(' ')
            .map_or(sent.as_str(), |(_, token)| token);
        for shown in [text, format!("{err:?}"), format!("{source:?}")] {
            for credential in [secret.as_str(), token] {
                assert!(
                    !shown.contains(credential),
                    "{}: credential in {shown}",
                    case.provider
                );
            }
        }
    }
}

#[tokio::test]
async fn malformed_json_names_provider_operation_page_and_shows_the_body() {
    for case in &CASES {
        let server = MockServer::start().await;
        let cut = &case.one_invoice[..case.one_invoice.len() / 2];
        serve(&server, 200, cut).await;
        let (source, _) = case.source(&server);
        let err = only_error(source.list(&ListQuery::new())).await;
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}: invalid response: ", case.prefix())),
            "{text}"
        );
        assert!(text.contains("EOF while parsing"), "{text}");
        let excerpt = serde_json::to_string(cut).unwrap();
        assert!(text.ends_with(&format!("body starts {excerpt}")), "{text}");
    }
}
