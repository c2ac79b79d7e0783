//! How long the generator takes: each real spec through every pass, and
//! synthetic specs of growing size (made here) to show how time scales.
//!
//! `cargo bench -p xtask --bench generate`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use xtask::generate::{postprocess, progenitor};
use xtask::spec::files::{self, Input};
use xtask::{pipeline, surface};

/// A 3.1 spec with `size` list operations and `size` object schemas, each
/// schema with a nullable field, an enum, a number and a reference to the
/// next schema: the shapes the real specs use.
fn synthetic_spec(size: usize) -> Vec<u8> {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for i in 0..size {
        paths.insert(
            format!("/things{i}"),
            json!({"get": {"operationId": format!("listThings{i}"),
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "array", "items": {"$ref": format!("#/components/schemas/Thing{i}")}}}}}}}}}}),
        );
        let next = (i + 1) % size;
        schemas.insert(
            format!("Thing{i}"),
            json!({"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "note": {"type": ["string", "null"]},
                "status": {"type": "string", "enum": ["draft", "open", "paid"]},
                "amount": {"type": "number"},
                "next": {"anyOf": [{"$ref": format!("#/components/schemas/Thing{next}")}, {"type": "null"}]}}}),
        );
    }
    let doc: Value = json!({"openapi": "3.1.0", "info": {"title": "Synthetic", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths, "components": {"schemas": schemas}});
    serde_json::to_vec(&doc).expect("a JSON value serialises")
}

fn passes(spec: &Input, name: &str) -> usize {
    let (_, api) = files::prepare(spec, None).expect("the synthetic spec is valid");
    let mut code = progenitor::generate(&api).expect("progenitor generates");
    let facts = postprocess::ClientFacts {
        wire: Default::default(),
        provider: name.into(),
        headers: Default::default(),
        server_url: None,
        server_variables: Vec::new(),
        operation_ids: api
            .operations()
            .filter_map(|(_, _, op)| op.operation_id.clone())
            .collect(),
        parameters: xtask::spec::parameters::read(&api),
        credentials: Vec::new(),
        paged: Vec::new(),
        request_id: None,
        idempotency_keys: Vec::new(),
    };
    postprocess::run(&mut code, &facts).expect("the passes apply");
    let text = prettyplease::unparse(&code);
    let api_md = surface::render(name, &code).expect("the surface renders");
    text.len() + api_md.len()
}

fn real_specs(c: &mut Criterion) {
    let root = pipeline::repo_root();
    let manifest = xtask::spec::manifest::read(&root).expect("the manifest parses");
    let mut group = c.benchmark_group("regen");
    group.sample_size(10);
    for provider in &manifest.providers {
        group.bench_function(&provider.name, |b| {
            b.iter(|| black_box(pipeline::generate_crate(&root, provider).expect("generates")))
        });
    }
    group.bench_function("all four", |b| {
        b.iter(|| black_box(pipeline::generate_all(&root, &[]).expect("generates")))
    });
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic spec (operations = schemas)");
    group.sample_size(10);
    for size in [50, 100, 250, 500] {
        let spec = Input {
            path: format!("synthetic-{size}.json"),
            bytes: synthetic_spec(size),
        };
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &spec, |b, spec| {
            b.iter(|| black_box(passes(spec, "synthetic")))
        });
    }
    group.finish();
}

criterion_group!(benches, real_specs, synthetic);
criterion_main!(benches);
