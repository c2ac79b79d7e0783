//! Idempotency-key declarations, end to end: `fixtures/constructs/
//! idempotency.yaml` declares a header key and a body-member key with
//! `x-idempotency-key` and documents the manifest's header on a third
//! write; a declaration naming what its operation lacks is an error naming
//! the file, the JSON pointer and the operation.

use std::path::Path;

use serde_json::{Value, json};
use xtask::pipeline::{self, Generated};
use xtask::spec::files::Input;
use xtask::spec::load;
use xtask::spec::manifest::{self, Provider};

const FIXTURE: &str = "xtask/tests/fixtures/constructs/idempotency.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn provider() -> Provider {
    let manifest = manifest::read_in(root(), Path::new("xtask/tests/fixtures/constructs")).unwrap();
    manifest
        .providers
        .into_iter()
        .find(|p| p.name == "idempotency")
        .expect("idempotency is in fixtures/constructs/providers.toml")
}

/// The fixture as JSON, to change for the error cases.
fn fixture() -> Value {
    let bytes = std::fs::read(root().join(FIXTURE)).unwrap();
    load::parse(Path::new(FIXTURE), &bytes).unwrap()
}

/// What `check` makes of `spec` (with `overlay`) generated as `cargo xtask
/// regen` would, on a stack as deep as the command's (syn's trees cannot
/// leave its thread).
fn generate<T: Send + 'static>(
    spec: Input,
    overlay: Option<Input>,
    check: impl FnOnce(anyhow::Result<Generated>) -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(pipeline::GENERATION_STACK)
        .spawn(move || {
            check(pipeline::generate_from(
                &provider(),
                &spec,
                overlay.as_ref(),
                "0.1.0",
            ))
        })
        .unwrap()
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn input(path: &str, doc: &Value) -> Input {
    Input {
        path: path.into(),
        bytes: serde_json::to_vec(doc).unwrap(),
    }
}

fn file<'a>(g: &'a Generated, ends_with: &str) -> &'a str {
    &g.outputs
        .iter()
        .find(|o| o.path.ends_with(ends_with))
        .unwrap()
        .contents
}

/// `text` without whitespace, so checks do not depend on line breaks.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn declared_keys_reach_the_context_the_types_and_the_docs() {
    let spec = Input {
        path: FIXTURE.into(),
        bytes: std::fs::read(root().join(FIXTURE)).unwrap(),
    };
    generate(spec, None, |g| declared_keys_in(&g.unwrap()));
}

fn declared_keys_in(g: &Generated) {
    let code = squeezed(file(g, "generated.rs"));
    let context = &code[code.find("pubfncontext(").unwrap()..];
    let context = &context[..context.find('}').unwrap()];
    for declared in [
        r#".with_idempotency_key("create_invoice",invoicing_runtime::IdempotencyKey::Header("Idempotency-Key"),)"#,
        r#".with_idempotency_key("create_payment",invoicing_runtime::IdempotencyKey::BodyField("idempotency_key"),)"#,
        // The document's spelling, found by the manifest's `request-id`.
        r#".with_idempotency_key("create_refund",invoicing_runtime::IdempotencyKey::Header("Request-Id"),)"#,
    ] {
        assert!(context.contains(declared), "{declared} in {context}");
    }
    assert!(!context.contains("send_invoice"), "{context}");

    // The caller may leave the vendor's required key unset: the runtime
    // fills it in.
    assert!(
        code.contains("pubidempotency_key:::std::option::Option<::std::string::String>"),
        "the body member is optional"
    );
    let builder = &code[code.find("pubstructCreateInvoice<'a>{").unwrap()..];
    let builder = &builder[..builder.find('}').unwrap()];
    assert!(
        builder.contains("idempotency_key:Result<Option<::std::string::String>,String>"),
        "the header parameter is optional: {builder}"
    );

    // The caller's own key, by one method name whatever carries it.
    for method in [
        "pubfnidempotency_key(self,key:implInto<String>)->Self{self.request_id(key.into())}",
        "pubfnidempotency_key(self,key:implInto<String>)->Self{self.body_map(|body|body.idempotency_key(Some(key.into())))}",
    ] {
        assert!(code.contains(method), "{method}");
    }

    let docs = file(g, "lib.rs");
    for row in [
        "| [`Client::create_invoice`] | header `Idempotency-Key` |",
        "| [`Client::create_payment`] | body member `idempotency_key` |",
        "| [`Client::create_refund`] | header `Request-Id` |",
    ] {
        assert!(docs.contains(row), "{row} in {docs}");
    }
    assert!(
        !docs.contains("[`Client::send_invoice`] | header"),
        "{docs}"
    );
}

/// The error `cargo xtask regen` gives for the fixture changed by `change`.
fn error_for(change: impl FnOnce(&mut Value)) -> String {
    let mut doc = fixture();
    change(&mut doc);
    generate(input("specs/acme/openapi.json", &doc), None, |g| {
        format!("{:#}", g.unwrap_err())
    })
}

#[test]
fn a_header_the_operation_lacks_is_an_error_at_its_pointer() {
    let err = error_for(|doc| {
        doc["paths"]["/invoices"]["post"]["x-idempotency-key"] = json!({"header": "Idem-Key"});
    });
    assert!(
        err.contains("specs/acme/openapi.json at /paths/~1invoices/post/x-idempotency-key/header")
            && err.contains("(operation createInvoice)")
            && err.contains("no header parameter `Idem-Key`"),
        "{err}"
    );
}

#[test]
fn a_body_member_the_operation_lacks_is_an_error_at_its_pointer() {
    let err = error_for(|doc| {
        doc["paths"]["/payments"]["post"]["x-idempotency-key"] = json!({"bodyField": "key"});
        // One run names every problem.
        doc["paths"]["/invoices/{id}/send"]["post"]["x-idempotency-key"] =
            json!({"bodyField": "idempotency_key"});
    });
    assert!(
        err.contains(
            "specs/acme/openapi.json at /paths/~1payments/post/x-idempotency-key/bodyField"
        ) && err.contains("request body has no member `key`")
            && err.contains(
                "at /paths/~1invoices~1{id}~1send/post/x-idempotency-key/bodyField \
                 (operation sendInvoice): the operation has no request body"
            ),
        "{err}"
    );
}

#[test]
fn a_malformed_declaration_or_one_on_a_read_is_an_error() {
    let err = error_for(|doc| {
        doc["paths"]["/invoices"]["post"]["x-idempotency-key"] =
            json!({"header": "Idempotency-Key", "bodyField": "idempotency_key"});
    });
    assert!(
        err.contains(
            "at /paths/~1invoices/post/x-idempotency-key (operation createInvoice): expected"
        ),
        "{err}"
    );
    let err = error_for(|doc| {
        doc["paths"]["/invoices"]["get"] = json!({
            "operationId": "listInvoices",
            "x-idempotency-key": {"header": "Idempotency-Key"},
            "responses": {"200": {"description": "Invoices."}},
        });
    });
    assert!(
        err.contains("at /paths/~1invoices/get/x-idempotency-key") && err.contains("writes only"),
        "{err}"
    );
}

#[test]
fn a_bad_declaration_in_the_overlay_names_the_overlay() {
    let overlay = json!({
        "overlay": "1.0.0",
        "info": {"title": "keys", "version": "1"},
        "actions": [{
            "target": "$.paths['/invoices/{id}/send'].post",
            "description": "a key the operation has no header for",
            "update": {"x-idempotency-key": {"header": "Idempotency-Key"}},
        }],
    });
    let err = generate(
        input(FIXTURE, &fixture()),
        Some(input("specs/acme/overlay.json", &overlay)),
        |g| format!("{:#}", g.unwrap_err()),
    );
    assert!(
        err.contains(
            "specs/acme/overlay.json at /paths/~1invoices~1{id}~1send/post/x-idempotency-key/header"
        ) && err.contains("(in the document after the overlay)"),
        "{err}"
    );
}
