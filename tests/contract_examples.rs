//! Every response example in every spec decodes into its generated type.
//!
//! Examples are read from `specs/` at test time (after the overlay, as the
//! generator sees them), so a vendor's new example is covered without new
//! code. The generated crates' `__contract::decode_response` maps an
//! operation and status to the Rust type progenitor generated for it.

use std::path::Path;

use serde_json::Value;
use xtask::{manifest, refs, spec_files};

type Decode = fn(&str, &str, &str) -> Option<Result<(), serde_json::Error>>;

fn decoder(provider: &str) -> Decode {
    match provider {
        "sendcloud-v2" => sendcloud_v2::__contract::decode_response,
        "sendcloud-v3" => sendcloud_v3::__contract::decode_response,
        "kitchen" => kitchen::__contract::decode_response,
        "coinbase-business" => coinbase_business::__contract::decode_response,
        other => panic!(
            "provider {other} has no decoder here: add its crate to tests/Cargo.toml and this match"
        ),
    }
}

/// Follows a local `$ref` (`#/components/...`) if `value` is one.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            refs::resolve(doc, reference).unwrap_or_else(|| panic!("unresolved {reference}"))
        }
        None => value,
    }
}

/// `(operationId, status, example name, example value)` for every JSON
/// response example in `doc`.
fn examples(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut found = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        for op in item.as_object().into_iter().flat_map(|item| item.values()) {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let response = resolve(doc, response);
                let media = response.pointer("/content/application~1json");
                if let Some(example) = media.and_then(|m| m.get("example")) {
                    found.push((
                        id.to_owned(),
                        status.clone(),
                        "example".to_owned(),
                        example.clone(),
                    ));
                }
                for (name, example) in media
                    .and_then(|m| m.get("examples"))
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let example = resolve(doc, example);
                    if let Some(value) = example.get("value") {
                        found.push((id.to_owned(), status.clone(), name.clone(), value.clone()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_response_example_decodes_into_its_generated_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let manifest = manifest::read(root).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for provider in &manifest.providers {
        let (spec, overlay) = spec_files::read_from_disk(root, provider).unwrap();
        let (doc, _) = spec_files::prepare(&spec, overlay.as_ref()).unwrap();
        let decode = decoder(&provider.name);
        let found = examples(&doc);
        assert!(
            !found.is_empty(),
            "{}: no response examples found",
            provider.name
        );
        for (operation, status, name, value) in found {
            let body = serde_json::to_string(&value).unwrap();
            let place = format!("{} {operation} {status} example {name}", provider.name);
            match decode(&operation, &status, &body) {
                Some(Ok(())) => checked += 1,
                Some(Err(e)) => failures.push(format!("{place}: {e}")),
                None => failures.push(format!(
                    "{place}: the generated client has no JSON type for this response"
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not decode:\n{}",
        failures.join("\n")
    );
    // The four specs hold 15 response examples today; more is fine.
    assert!(checked >= 15, "only {checked} examples checked");
}
