//! Where a document declares enums, and their values.
//!
//! Each enum is reported where it is written, not everywhere it is used: a
//! component schema such as `InvoiceStatus` is one location however many
//! operations refer to it, so removing a status is one line in the summary.
//! References are therefore not followed; inline schemas in operations and
//! in the other components are locations of their own.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    Schema, SchemaKind, Type,
};

use super::schema_walk::{Refs, SchemaRef, Visitor, walk};
use super::spec::{OpName, parameter_location, responses_of};
use crate::surface::code_span as code;

/// Enum values by location, e.g. ``schema `Invoice` field `category` `` ->
/// {`subscription`, `transactional`}.
pub(crate) type EnumLocations = BTreeMap<String, BTreeSet<String>>;

/// All enums the document declares.
pub(crate) fn enum_locations(doc: &OpenAPI) -> EnumLocations {
    let mut out = EnumLocations::new();
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            collect(
                doc,
                SchemaRef::of(schema),
                &format!("schema {}", code(name)),
                &mut out,
            );
        }
        for (name, parameter) in &components.parameters {
            if let ReferenceOr::Item(p) = parameter {
                parameter_enums(doc, p, &format!("parameter {}", code(name)), &mut out);
            }
        }
        for (name, response) in &components.responses {
            if let ReferenceOr::Item(r) = response {
                content_enums(
                    doc,
                    r.content.values(),
                    &format!("response {}", code(name)),
                    &mut out,
                );
            }
        }
        for (name, body) in &components.request_bodies {
            if let ReferenceOr::Item(b) = body {
                content_enums(
                    doc,
                    b.content.values(),
                    &format!("request body {}", code(name)),
                    &mut out,
                );
            }
        }
    }
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for parameter in &item.parameters {
            if let ReferenceOr::Item(p) = parameter {
                let data = p.parameter_data_ref();
                let base = format!(
                    "{} {} parameter {}",
                    code(path),
                    parameter_location(p),
                    code(&data.name)
                );
                parameter_enums(doc, p, &base, &mut out);
            }
        }
        for (method, operation) in item.iter() {
            let op = OpName::new(method, path, operation);
            for parameter in &operation.parameters {
                if let ReferenceOr::Item(p) = parameter {
                    let data = p.parameter_data_ref();
                    let base = format!(
                        "{op} {} parameter {}",
                        parameter_location(p),
                        code(&data.name)
                    );
                    parameter_enums(doc, p, &base, &mut out);
                }
            }
            if let Some(ReferenceOr::Item(RequestBody { content, .. })) = &operation.request_body {
                content_enums(
                    doc,
                    content.values(),
                    &format!("{op} request body"),
                    &mut out,
                );
            }
            for (status, response) in responses_of(operation) {
                if let ReferenceOr::Item(Response { content, .. }) = response {
                    content_enums(
                        doc,
                        content.values(),
                        &format!("{op} response {}", code(&status)),
                        &mut out,
                    );
                }
            }
        }
    }
    out
}

fn parameter_enums(doc: &OpenAPI, parameter: &Parameter, base: &str, out: &mut EnumLocations) {
    match &parameter.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => collect(doc, SchemaRef::of(schema), base, out),
        ParameterSchemaOrContent::Content(content) => {
            content_enums(doc, content.values(), base, out)
        }
    }
}

fn content_enums<'a>(
    doc: &OpenAPI,
    media: impl Iterator<Item = &'a MediaType>,
    base: &str,
    out: &mut EnumLocations,
) {
    for m in media {
        if let Some(schema) = &m.schema {
            collect(doc, SchemaRef::of(schema), base, out);
        }
    }
}

/// ``base`` for the schema itself or a list of it, ``base field `path` `` inside.
fn location(base: &str, path: &str) -> String {
    if path.replace("[]", "").is_empty() {
        base.to_owned()
    } else {
        format!("{base} field {}", code(path))
    }
}

fn collect(doc: &OpenAPI, schema: SchemaRef<'_>, base: &str, out: &mut EnumLocations) {
    walk(doc, schema, Refs::Stop, &mut Enums { base, out });
}

/// Records the values of each enum under its location.
struct Enums<'o> {
    base: &'o str,
    out: &'o mut EnumLocations,
}

impl Visitor<'_> for Enums<'_> {
    fn schema(&mut self, path: &str, schema: &Schema) {
        let values: Vec<String> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => texts(&s.enumeration),
            SchemaKind::Type(Type::Integer(i)) => texts(&i.enumeration),
            SchemaKind::Type(Type::Number(n)) => texts(&n.enumeration),
            SchemaKind::Type(Type::Boolean(b)) => texts(&b.enumeration),
            SchemaKind::Any(any) => any
                .enumeration
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            self.out
                .entry(location(self.base, path))
                .or_default()
                .extend(values);
        }
    }
}

/// Enum values as the vendor writes them; `null` for the null member of a
/// nullable enum.
fn texts<T: ToString>(values: &[Option<T>]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.as_ref().map_or_else(|| "null".to_owned(), T::to_string))
        .collect()
}
