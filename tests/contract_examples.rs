//! Every response example in every spec decodes into its generated type.
//!
//! Examples are read from `specs/` at test time (after the overlay, as the
//! generator sees them), so a vendor's new example is covered without new
//! code. The generated crates' `__contract::decode_response` maps an
//! operation and status to the Rust type progenitor generated for it.

use std::path::Path;

use xtask::document::examples::{Example, response_examples};
use xtask::{manifest, spec_files};

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
        let found = response_examples(&doc);
        if found.is_empty() {
            // Many vendors publish no response examples; nothing to check.
            println!("{}: the document has no response examples", provider.name);
        }
        for Example {
            operation,
            status,
            name,
            value,
        } in found
        {
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
    // The four specs hold 22 response examples today (Sendcloud v3's error
    // examples count once per operation that uses them); more is fine.
    assert!(checked >= 22, "only {checked} examples checked");
}
