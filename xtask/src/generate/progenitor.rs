//! Pass 8, progenitor: run progenitor over the shaped document.
//!
//! progenitor stops at the first operation or schema it cannot generate,
//! without naming it, and sometimes panics. When that happens the culprits
//! are found by bisection: schemas first (each tried with the others
//! replaced by "any JSON value"), then operations (each tried with only the
//! components it uses). A schema that cannot be generated becomes "any
//! JSON value" (`serde_json::Value`), which decodes whatever the vendor
//! sends; an operation that cannot be generated is left out. Both are
//! reported with their JSON pointer and progenitor's reason, so the rest
//! of the document is generated and nothing is left out silently.

use std::cell::Cell;
use std::sync::Once;

use progenitor_impl::{
    CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle,
};
use quote::quote;
use serde_json::{Value, json};

use crate::generate::progenitor_output::duplicate_types;
use crate::spec::document::{self, OperationAt};
use crate::spec::error::push_token;
use crate::spec::select;

/// Something progenitor could not generate, and what was done instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The schema or operation.
    pub pointer: String,
    /// The operation's `operationId`, when it is one (it was left out);
    /// `None` for a schema (it became any JSON value).
    pub operation: Option<String>,
    /// The operation's method and path (`GET /invoices`), when it is one.
    pub request: Option<String>,
    /// progenitor's reason, first line.
    pub reason: String,
}

/// The generated code, and what had to be left out to get it.
#[derive(Debug)]
pub struct Generated {
    /// progenitor's output.
    pub code: syn::File,
    /// The document it was generated from (without what was left out).
    pub spec: openapiv3::OpenAPI,
    /// Schemas and operations progenitor could not generate.
    pub unsupported: Vec<Unsupported>,
}

/// Generates the client code for `spec` as a syntax tree.
///
/// Clients use the builder interface (optional parameters stay optional as a
/// spec grows), carry an `invoicing_runtime::ClientContext` as their inner value,
/// and must implement `ClientHooks` (the postprocess pass adds that impl, so
/// auth and retries always go through the runtime).
pub fn generate(spec: &openapiv3::OpenAPI) -> Result<syn::File, String> {
    let tokens = progenitor(spec)?;
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    match duplicate_types(&file).first() {
        // The shape pass names types uniquely; what it could not foresee
        // is found here, so bisection can isolate it like any failure.
        Some(name) => Err(format!(
            "progenitor cannot generate a client for this document: two types are named `{name}`"
        )),
        None => Ok(file),
    }
}

/// Generates the client for the document `doc` (already validated), leaving
/// out what progenitor cannot generate.
pub fn generate_document(doc: &Value) -> Result<Generated, String> {
    let mut doc = doc.clone();
    let mut unsupported = Vec::new();
    let code = match attempt(&doc) {
        Ok(code) => code,
        Err(_) => {
            unsupported.extend(stub_failing_schemas(&mut doc));
            unsupported.extend(remove_failing_operations(&mut doc));
            attempt(&doc)?
        }
    };
    Ok(Generated {
        code,
        spec: read(&doc)?,
        unsupported,
    })
}

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(invoicing_runtime::ClientContext))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        .with_crate(super::shape::LOCAL_TYPES, CrateVers::Any, None);
    settings
}

/// Runs progenitor; a panic is an error like any other, and prints nothing
/// (the caller reports it with the place it belongs to).
fn progenitor(spec: &openapiv3::OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    let settings = settings();
    let outcome =
        quietly(|| std::panic::catch_unwind(|| Generator::new(&settings).generate_tokens(spec)));
    let message = match outcome {
        Ok(Ok(tokens)) => return Ok(tokens),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            let at = PANICKED_AT.with(Cell::take).unwrap_or_default();
            format!("{} (panic at {at})", first_line(message))
        }
    };
    Err(format!(
        "progenitor cannot generate a client for this document: {}",
        first_line(&message)
    ))
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim_end_matches(':');
    let short: String = line.chars().take(300).collect();
    if short.len() < line.len() {
        format!("{short}...")
    } else {
        short.to_owned()
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where the last quiet panic happened (`typify-impl-0.8.0/src/convert.rs:641`).
    static PANICKED_AT: Cell<Option<String>> = const { Cell::new(None) };
}

/// Runs `f` with panics on this thread not printed; other threads (tests
/// running in parallel) still print theirs.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                // The crate and file, not the registry path before them.
                let at = info.location().map(|l| {
                    let parts: Vec<&str> = l.file().split('/').collect();
                    let short = parts[parts.len().saturating_sub(3)..].join("/");
                    format!("{short}:{}", l.line())
                });
                PANICKED_AT.with(|p| p.set(at));
            } else {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let out = f();
    QUIET.with(|q| q.set(false));
    out
}

fn read(doc: &Value) -> Result<openapiv3::OpenAPI, String> {
    serde_json::from_value(doc.clone())
        .map_err(|e| format!("the shaped document is not OpenAPI 3.0: {e}"))
}

/// The code for `doc`, if progenitor generates it.
fn attempt(doc: &Value) -> Result<syn::File, String> {
    generate(&read(doc)?)
}

/// The items (indices) whose removal lets `passes` succeed, with the error
/// each gave, assuming `base` (known good) is always included. Bisection,
/// which also finds items that fail only beside others: the second half is
/// tried on top of the good part of the first.
fn failing(
    base: &[usize],
    items: &[usize],
    passes: &mut dyn FnMut(&[usize]) -> Result<(), String>,
) -> Vec<(usize, String)> {
    let all: Vec<usize> = base.iter().chain(items).copied().collect();
    let error = match passes(&all) {
        Ok(()) => return Vec::new(),
        Err(e) => e,
    };
    match items {
        [] => Vec::new(),
        [one] => vec![(*one, error)],
        _ => {
            let (a, b) = items.split_at(items.len() / 2);
            let mut bad = failing(base, a, passes);
            let mut grown = base.to_vec();
            grown.extend(a.iter().filter(|i| !bad.iter().any(|(b, _)| b == *i)));
            bad.extend(failing(&grown, b, passes));
            bad
        }
    }
}

/// Schemas progenitor cannot generate become any JSON value.
fn stub_failing_schemas(doc: &mut Value) -> Vec<Unsupported> {
    let names: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut components_only = doc.clone();
    components_only["paths"] = json!({});
    let all: Vec<usize> = (0..names.len()).collect();
    let bad = failing(&[], &all, &mut |kept| {
        let mut trial = components_only.clone();
        if let Some(schemas) = trial
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            for (i, schema) in schemas.values_mut().enumerate() {
                if !kept.contains(&i) {
                    *schema = json!({});
                }
            }
        }
        attempt(&trial).map(drop)
    });
    bad.into_iter()
        .map(|(i, reason)| {
            let pointer = push_token("/components/schemas", &names[i]);
            if let Some(schema) = doc.pointer_mut(&pointer) {
                *schema = json!({});
            }
            Unsupported {
                pointer,
                operation: None,
                request: None,
                reason,
            }
        })
        .collect()
}

/// Operations progenitor cannot generate are left out.
fn remove_failing_operations(doc: &mut Value) -> Vec<Unsupported> {
    let ops: Vec<OperationAt> = document::operations(doc);
    let all: Vec<usize> = (0..ops.len()).collect();
    let bad = failing(&[], &all, &mut |kept| {
        let mut trial = doc.clone();
        for (i, op) in ops.iter().enumerate() {
            if !kept.contains(&i) {
                document::remove_operation(&mut trial, op);
            }
        }
        select::prune(&mut trial);
        attempt(&trial).map(drop)
    });
    bad.into_iter()
        .map(|(i, reason)| {
            let op = &ops[i];
            document::remove_operation(doc, op);
            Unsupported {
                pointer: op.pointer.clone(),
                operation: op.id.clone(),
                request: Some(format!("{} {}", op.method.to_uppercase(), op.path)),
                reason,
            }
        })
        .collect()
}
