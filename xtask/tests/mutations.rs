//! No input panics the generator: documents mutated in many small ways
//! (keys dropped or renamed, values of the wrong type, dangling, circular
//! and external references, odd names, huge and empty values, OpenAPI 3.1
//! constructs) either generate or fail with errors that each name the file
//! and a place in it (a JSON pointer, or a line and column).
//!
//! The documents are ours, the passes' fixture, and the corpus's real
//! vendor documents cut to their selected invoice operations (two of them
//! OpenAPI 3.1).
//!
//! Deterministic (a fixed seed picks the places and mutations) and bounded:
//! a fixed number of mutations per document, each given a time limit.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use xtask::pipeline;
use xtask::spec::document;
use xtask::spec::error::{Place, SpecError, SpecErrors};
use xtask::spec::files::Input;
use xtask::spec::manifest::{self, Provider};
use xtask::spec::{load, overlay, select};

/// Mutations tried on each of our documents; `MUTATIONS=1000` in the
/// environment searches further (on every document).
const MUTATIONS: usize = 40;
/// Mutations tried on each corpus document: a real vendor's invoice
/// operations take seconds to generate in a debug build, ours a fraction.
const CORPUS_MUTATIONS: usize = 8;
/// The longest one generation may take (a loaded CI machine included).
const LIMIT: Duration = Duration::from_secs(60);
/// Where the mutated document claims to be, so errors can be checked for it.
const PATH: &str = "specs/mutated/openapi.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A provider's document with its overlay applied, as JSON.
fn document(spec: &str, overlay_path: Option<&str>) -> Value {
    let read = |relative: &str| {
        let path = root().join(relative);
        let bytes = std::fs::read(&path).unwrap();
        load::parse(Path::new(relative), &bytes).unwrap()
    };
    let mut doc = read(spec);
    if let Some(o) = overlay_path {
        overlay::apply(&mut doc, &read(o)).unwrap();
    }
    doc
}

/// A corpus document (`specs/corpus`) cut to the operations its manifest
/// entry selects, so the mutations land on what is generated and each
/// generation stays quick.
fn corpus_document(name: &str) -> Value {
    let manifest = manifest::read_in(root(), Path::new("specs/corpus")).unwrap();
    let provider = manifest.providers.iter().find(|p| p.name == name).unwrap();
    let in_corpus = |path: &Path| format!("specs/corpus/{}", path.display());
    let overlay = provider.overlay.as_deref().map(in_corpus);
    let mut doc = document(&in_corpus(&provider.spec), overlay.as_deref());
    let selected = select::apply(&mut doc, provider.select.as_ref().unwrap());
    assert!(selected.unmatched.is_empty(), "{:?}", selected.unmatched);
    doc
}

/// A small deterministic generator (xorshift64*), so a failure is found
/// again by the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every place in `value`, as JSON pointers (the root excluded).
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        let here = xtask::spec::error::push_token(at, &key);
        out.push(here.clone());
        pointers(child, &here, out);
    }
}

/// Values put in place of others: wrong types, extremes, broken and odd
/// schemas.
fn replacements(doc: &Value) -> Vec<Value> {
    let component = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .and_then(|m| m.keys().next().cloned())
        .unwrap_or_else(|| "X".to_owned());
    let own = document::component_ref("schemas", &component);
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(""),
        json!("x".repeat(100_000)),
        json!([]),
        json!({}),
        json!(["a", 1, null, {}]),
        json!({"$ref": "#/components/schemas/Missing"}),
        json!({"$ref": own}),
        json!({"$ref": "other.yaml#/components/schemas/X"}),
        json!({"$ref": "#"}),
        json!({"$ref": "#/paths"}),
        json!({"$ref": own, "description": "a sibling", "x-note": {"$ref": "#/nope"}}),
        json!({"type": ["string", "null", "integer"]}),
        json!({"type": "null"}),
        json!({"type": "array"}),
        json!({"type": "object", "properties": {"": {}, "🦀": {"type": "integer"}, "type": {"type": "string"}}}),
        json!({"const": 5}),
        json!({"examples": [1, "a"], "type": "integer"}),
        json!({"allOf": []}),
        json!({"oneOf": [{}]}),
        json!({"anyOf": [{"type": "string"}, {"type": "null", "x-nullable": true}]}),
        json!({"enum": []}),
        json!({"enum": [null]}),
        json!({"enum": ["a", "A", "a-", "a_", "", " ", "🦀", "1", "self", "Self", "type"]}),
        json!({"type": "string", "enum": [true, 1]}),
        json!({"type": "integer", "format": "int32", "minimum": 1, "default": 0}),
        json!({"type": "number", "default": "abc", "multipleOf": 0}),
        json!({"type": "string", "pattern": "(", "minLength": -1, "maxLength": 1e20}),
        json!({"type": "object", "format": "date-time", "nullable": "yes"}),
        json!({"exclusiveMinimum": 5, "exclusiveMaximum": true, "type": "number"}),
        json!({"prefixItems": [{"type": "string"}], "type": "array"}),
        json!({"if": {}, "then": {}, "else": {}, "$defs": {}}),
        json!({"title": component, "nullable": true, "oneOf": [{"type": "object"}, {"type": "string"}]}),
        json!({"in": "query", "name": "client", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}, "style": "deepObject"}),
        json!({"in": "path", "name": "nope", "required": true, "schema": {"type": "string"}}),
        json!({"description": "ok", "content": {"application/hal+json": {"schema": {"$ref": own}}, "*/*": {}}}),
        json!({"content": {"multipart/form-data": {"schema": {"type": "object"}}}}),
        // Deep and recursive nesting, references into a schema's own
        // definitions, references inside extensions, operations without
        // an id, media type ranges, patterns for other regex engines.
        nested(60, |inner| json!({"type": "array", "items": inner})),
        nested(
            30,
            |inner| json!({"type": "object", "properties": {"a": inner}}),
        ),
        nested(40, |inner| json!({"allOf": [inner]})),
        json!({"type": "object", "additionalProperties": {"$ref": own}}),
        json!({"type": "array", "items": {"$ref": own}}),
        json!({"definitions": {"d": {"type": "string"}}, "$defs": {"e": {"$ref": own}},
            "properties": {"a": {"$ref": format!("{own}/definitions/d")}, "b": {"$ref": format!("{own}/$defs/e")}}}),
        json!({"type": "string", "x-vendor-model": {"$ref": "#/components/schemas/Bill"}}),
        json!({"summary": "no id", "responses": {"200": {"description": "ok"}}}),
        json!({"content": {"application/*": {"schema": {"type": "object"}}, "*/*": {"schema": {"type": "string", "format": "binary"}}}}),
        json!({"type": "string", "pattern": "(?i)^(all|none)$"}),
        json!({"type": "string", "pattern": "(?<=a)b++"}),
    ]
}

/// `depth` wrappers around a string schema, each made by `wrap`.
fn nested(depth: usize, wrap: fn(Value) -> Value) -> Value {
    (0..depth).fold(json!({"type": "string"}), |inner, _| wrap(inner))
}

/// Keys put in place of others.
const NAMES: &[&str] = &[
    "",
    "a/b~c",
    "🦀",
    " ",
    "type",
    "123",
    "self",
    "Self",
    "$ref",
    "x-rust-type",
    "default",
];

/// The places to mutate: all of them, and those holding an object or a
/// list (schemas, operations, parameters), which are picked more often than
/// the many strings (descriptions, examples).
struct Places {
    all: Vec<String>,
    containers: Vec<String>,
}

impl Places {
    fn of(doc: &Value) -> Self {
        let mut all = Vec::new();
        pointers(doc, "", &mut all);
        let containers = all
            .iter()
            .filter(|p| {
                doc.pointer(p)
                    .is_some_and(|v| v.is_object() || v.is_array())
            })
            .cloned()
            .collect();
        Places { all, containers }
    }

    fn pick(&self, rng: &mut Rng) -> String {
        if rng.below(3) == 0 || self.containers.is_empty() {
            rng.pick(&self.all).clone()
        } else {
            rng.pick(&self.containers).clone()
        }
    }
}

/// One mutation of `base` and what it was.
fn mutate(base: &Value, places: &Places, values: &[Value], rng: &mut Rng) -> (Value, String) {
    let mut doc = base.clone();
    let at = places.pick(rng);
    let (parent, key) = at.rsplit_once('/').unwrap();
    let key = document::unescape(key);
    let what = match rng.below(5) {
        0 => {
            remove(&mut doc, parent, &key);
            format!("removed {at}")
        }
        1 | 2 => {
            let value = rng.pick(values).clone();
            let shown: String = value.to_string().chars().take(80).collect();
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = value;
            }
            format!("{at} = {shown}")
        }
        3 => {
            let name = *rng.pick(NAMES);
            if let Some(Value::Object(map)) = doc.pointer_mut(parent)
                && let Some(value) = map.shift_remove(&key)
            {
                map.insert(name.to_owned(), value);
            }
            format!("{at} renamed {name:?}")
        }
        _ => {
            // A second operation with the same id, or a copy of any part
            // beside itself.
            let value = doc.pointer(&at).cloned().unwrap_or(Value::Null);
            if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                map.insert(format!("{key}2"), value);
            }
            format!("{at} copied beside itself")
        }
    };
    (doc, what)
}

fn remove(doc: &mut Value, parent: &str, key: &str) {
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// How one generation ended.
enum Outcome {
    Generated,
    Refused(anyhow::Error),
    Panicked(String),
    TimedOut,
}

/// Generates `doc` on a thread of its own, catching a panic and giving up
/// after `LIMIT`.
fn generate(doc: Value) -> Outcome {
    let (send, receive) = mpsc::channel();
    // On a stack as deep as the command's (generation recurses per level
    // of nesting).
    let thread = std::thread::Builder::new().stack_size(pipeline::GENERATION_STACK);
    thread
        .spawn(move || {
            let input = Input {
                path: PATH.to_owned(),
                bytes: serde_json::to_vec(&doc).unwrap(),
            };
            let provider = Provider {
                name: "mutated".into(),
                spec: "openapi.json".into(),
                dir: "specs/mutated".into(),
                ..Default::default()
            };
            let outcome = match catch_unwind(AssertUnwindSafe(|| {
                pipeline::generate_from(&provider, &input, None, "0.1.0")
            })) {
                Ok(Ok(_)) => Outcome::Generated,
                Ok(Err(e)) => Outcome::Refused(e),
                Err(panic) => Outcome::Panicked(
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default(),
                ),
            };
            let _ = send.send(outcome);
        })
        .expect("starting a generation thread");
    receive.recv_timeout(LIMIT).unwrap_or(Outcome::TimedOut)
}

/// What was wrong with one generation, if anything.
fn problem(doc: Value) -> Option<String> {
    match generate(doc) {
        Outcome::Generated => None,
        Outcome::Refused(e) => unplaced(&e),
        Outcome::Panicked(panic) => Some(format!("panicked: {panic}")),
        Outcome::TimedOut => Some(format!("took longer than {LIMIT:?}")),
    }
}

/// The errors in `e` that do not name the file and a place in it.
fn unplaced(e: &anyhow::Error) -> Option<String> {
    let errors: Vec<&SpecError> = if let Some(all) = e.downcast_ref::<SpecErrors>() {
        all.0.iter().collect()
    } else if let Some(one) = e.downcast_ref::<SpecError>() {
        vec![one]
    } else {
        return Some(format!("an error that is no spec error: {e:#}"));
    };
    let bad: Vec<String> = errors
        .into_iter()
        .filter(|e| e.file != Path::new(PATH) || matches!(e.place, Place::File))
        .map(ToString::to_string)
        .collect();
    (!bad.is_empty()).then(|| format!("errors without a place: {}", bad.join("; ")))
}

/// Mutates `base` `count` times (or `MUTATIONS` from the environment) and
/// fails listing every mutation that panicked, hung, or gave an error
/// without a place.
fn survives(name: &str, base: Value, seed: u64, count: usize) {
    // Mutations are measured against a document that generates: one that
    // is refused as it is would pass for the wrong reason.
    match generate(base.clone()) {
        Outcome::Generated => {}
        Outcome::Refused(e) => panic!("{name} is refused unmutated: {e:#}"),
        Outcome::Panicked(panic) => panic!("{name} panics unmutated: {panic}"),
        Outcome::TimedOut => panic!("{name} takes longer than {LIMIT:?} unmutated"),
    }
    let places = Places::of(&base);
    let values = replacements(&base);
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let count = std::env::var("MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(count);
    for _ in 0..count {
        let (doc, what) = mutate(&base, &places, &values, &mut rng);
        if let Some(problem) = problem(doc) {
            failures.push(format!("{name}: {what}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sendcloud_v2_mutations() {
    let doc = document(
        "specs/sendcloud-v2/openapi.yaml",
        Some("specs/sendcloud-v2/overlay.yaml"),
    );
    survives("sendcloud-v2", doc, 0x5e4d_c10d, MUTATIONS);
}

#[test]
fn sendcloud_v3_mutations() {
    survives(
        "sendcloud-v3",
        document("specs/sendcloud-v3/openapi.yaml", None),
        0x5e4d_c103,
        MUTATIONS,
    );
}

#[test]
fn kitchen_mutations() {
    survives(
        "kitchen",
        document("specs/kitchen/openapi.yaml", None),
        0x0c17_c4e1,
        MUTATIONS,
    );
}

#[test]
fn coinbase_mutations() {
    survives(
        "coinbase-business",
        document("specs/coinbase-business/openapi.yaml", None),
        0xc01b_a5e0,
        MUTATIONS,
    );
}

#[test]
fn fixture_mutations() {
    survives(
        "acme",
        document("xtask/tests/fixtures/passes/acme.yaml", None),
        0xac3e,
        MUTATIONS,
    );
}

#[test]
fn lago_invoices_mutations() {
    survives("lago", corpus_document("lago"), 0x1a90, CORPUS_MUTATIONS);
}

#[test]
fn mollie_invoices_mutations() {
    survives(
        "mollie",
        corpus_document("mollie"),
        0x3011e,
        CORPUS_MUTATIONS,
    );
}

#[test]
fn xero_invoices_mutations() {
    survives(
        "xero-accounting",
        corpus_document("xero-accounting"),
        0x3e80,
        CORPUS_MUTATIONS,
    );
}

#[test]
fn square_invoices_mutations() {
    survives(
        "square",
        corpus_document("square"),
        0x5a0a,
        CORPUS_MUTATIONS,
    );
}

#[test]
fn paypal_invoices_mutations() {
    survives(
        "paypal-invoicing-v2",
        corpus_document("paypal-invoicing-v2"),
        0x9a9a1,
        CORPUS_MUTATIONS,
    );
}
