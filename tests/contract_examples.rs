//! Every response example in every spec decodes into its generated type.
//!
//! Examples are read from `specs/` at test time (after the overlay, as the
//! generator sees them), so a vendor's new example is covered without new
//! code. The generated crates' `__contract::decode_response` maps an
//! operation and status to the Rust type progenitor generated for it.

use std::path::Path;

use serde_json::Value;
use xtask::spec::document::examples::{Example, response_examples};
use xtask::spec::files;
use xtask::spec::manifest;

type Decode = fn(&str, &str, &str) -> Option<Result<(), serde_json::Error>>;

fn decoder(provider: &str) -> Decode {
    let provider: invoicing::Provider = provider.parse().unwrap_or_else(|_| {
        panic!(
            "provider {provider} is not in the facade: set `facade = true` in its manifest entry"
        )
    });
    invoicing::adapters::__decode_response(provider)
}

#[test]
fn every_response_example_decodes_into_its_generated_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let manifest = manifest::read(root).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    // The facade's providers: its registry reaches each generated crate.
    for provider in manifest.providers.iter().filter(|p| p.facade) {
        let (spec, overlay) = files::read_from_disk(root, provider).unwrap();
        let (mut doc, _) = files::prepare(&spec, overlay.as_ref()).unwrap();
        // Only the operations the entry selects are generated (whole
        // documents, as PayPal's, Mollie's and Xero's, have examples of
        // many more).
        if let Some(selection) = &provider.select {
            xtask::spec::select::apply(&mut doc, selection);
        }
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
            ..
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

/// The mock vendors' invoices (the offline demo's and the benchmarks') are
/// the spec's: each page decodes as the list operation's response, and
/// each invoice has every field the spec's own list example shows.
#[test]
fn mock_vendor_pages_are_shaped_as_the_specs_list_examples() {
    use invoicing_mock_vendors::{fixtures, vendors};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let manifest = manifest::read(root).unwrap();
    for &shape in vendors::ALL {
        let provider = manifest
            .providers
            .iter()
            .find(|p| p.name == shape.name())
            .unwrap_or_else(|| panic!("{} is not in the manifest", shape.name()));
        let (spec, overlay) = files::read_from_disk(root, provider).unwrap();
        let (doc, _) = files::prepare(&spec, overlay.as_ref()).unwrap();
        let list = &doc["paths"][shape.list_path()]["get"];
        let operation = list["operationId"].as_str().unwrap();

        let items = fixtures::invoices(shape, 0, 12);
        let page = fixtures::page(shape, &items, 1, 2, 12);
        let decoded = decoder(&provider.name)(operation, "200", &page);
        assert!(
            matches!(decoded, Some(Ok(()))),
            "{}: a mock page does not decode as {operation}'s response: {decoded:?}",
            provider.name
        );

        // The fields of the invoices in the spec's list examples (Coinbase's
        // spec has none; its page still decodes above).
        let example_fields: std::collections::BTreeSet<String> = response_examples(&doc)
            .into_iter()
            .filter(|e| e.operation == operation && e.status == "200")
            .flat_map(|e| {
                let invoices = e
                    .value
                    .as_object()
                    .and_then(|body| body.values().find_map(Value::as_array))
                    .cloned()
                    .unwrap_or_default();
                invoices
                    .into_iter()
                    .filter_map(|invoice| invoice.as_object().cloned())
                    .flat_map(|invoice| invoice.into_iter().map(|(key, _)| key))
                    .collect::<Vec<_>>()
            })
            .collect();
        for i in 0..12 {
            let invoice: serde_json::Map<String, Value> =
                serde_json::from_str(&shape.invoice(i)).unwrap();
            let missing: Vec<_> = example_fields
                .iter()
                .filter(|field| !invoice.contains_key(*field))
                .collect();
            assert!(
                missing.is_empty(),
                "{} mock invoice {i} lacks fields of the spec's example: {missing:?}",
                provider.name
            );
        }
    }
}

/// The facade's providers are the manifest's `facade = true` entries, in
/// its order: `cargo xtask regen` wrote the registry from it.
#[test]
fn the_facades_providers_are_the_manifests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let manifest = manifest::read(root).unwrap();
    let listed: Vec<&str> = manifest
        .providers
        .iter()
        .filter(|p| p.facade)
        .map(|p| p.name.as_str())
        .collect();
    let facade: Vec<&str> = invoicing::Provider::ALL
        .iter()
        .map(|p| p.as_str())
        .collect();
    assert_eq!(facade, listed);
    let mocks: Vec<&str> = invoicing_mock_vendors::vendors::ALL
        .iter()
        .map(|shape| shape.name())
        .collect();
    assert_eq!(mocks, listed);
}
