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

use super::format::Format;
use super::op_name::{OpName, parameter_location, responses_of};
use super::schema_walk::{Refs, SchemaRef, Visitor, walk};

/// The schema, parameter or body an enum is declared in.
///
/// Ordered as reports list them: path-level parameters, each operation's own
/// parameters and bodies, then the components.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumPlace {
    /// A parameter declared for every operation on a path.
    PathParameter {
        /// The path template.
        path: String,
        /// `query`, `path`, `header` or `cookie`.
        location: &'static str,
        /// The parameter's name on the wire.
        name: String,
    },
    /// A parameter declared in one operation.
    OperationParameter {
        /// The operation.
        op: OpName,
        /// `query`, `path`, `header` or `cookie`.
        location: &'static str,
        /// The parameter's name on the wire.
        name: String,
    },
    /// An operation's inline request body.
    OperationRequestBody(OpName),
    /// An operation's inline response body.
    OperationResponse {
        /// The operation.
        op: OpName,
        /// `200`, `4XX` or `default`.
        status: String,
    },
    /// `components/parameters/<name>`.
    Parameter(String),
    /// `components/requestBodies/<name>`.
    RequestBody(String),
    /// `components/responses/<name>`.
    Response(String),
    /// `components/schemas/<name>`.
    Schema(String),
}

/// Where an enum is declared: a place and the field inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnumLocation {
    /// The schema, parameter or body.
    pub place: EnumPlace,
    /// The field path inside it (`lines[].kind`); `None` for the place's
    /// own schema or a list of it.
    pub field: Option<String>,
}

impl EnumLocation {
    /// E.g. ``schema `Invoice` field `category` ``, names set apart as
    /// `format` does.
    pub fn describe(&self, format: Format) -> String {
        let code = |s: &str| format.code(s);
        let mut out = match &self.place {
            EnumPlace::PathParameter {
                path,
                location,
                name,
            } => format!("{} {location} parameter {}", code(path), code(name)),
            EnumPlace::OperationParameter { op, location, name } => format!(
                "{} {location} parameter {}",
                op.describe(format),
                code(name)
            ),
            EnumPlace::OperationRequestBody(op) => format!("{} request body", op.describe(format)),
            EnumPlace::OperationResponse { op, status } => {
                format!("{} response {}", op.describe(format), code(status))
            }
            EnumPlace::Parameter(name) => format!("parameter {}", code(name)),
            EnumPlace::RequestBody(name) => format!("request body {}", code(name)),
            EnumPlace::Response(name) => format!("response {}", code(name)),
            EnumPlace::Schema(name) => format!("schema {}", code(name)),
        };
        if let Some(field) = &self.field {
            out.push_str(&format!(" field {}", code(field)));
        }
        out
    }
}

/// Enum values by location, e.g. ``schema `Invoice` field `category` `` ->
/// {`subscription`, `transactional`}.
pub(crate) type EnumLocations = BTreeMap<EnumLocation, BTreeSet<String>>;

/// All enums the document declares.
pub(crate) fn enum_locations(doc: &OpenAPI) -> EnumLocations {
    let mut out = EnumLocations::new();
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            collect(
                doc,
                SchemaRef::of(schema),
                &EnumPlace::Schema(name.clone()),
                &mut out,
            );
        }
        for (name, parameter) in &components.parameters {
            if let ReferenceOr::Item(p) = parameter {
                parameter_enums(doc, p, &EnumPlace::Parameter(name.clone()), &mut out);
            }
        }
        for (name, response) in &components.responses {
            if let ReferenceOr::Item(r) = response {
                content_enums(
                    doc,
                    r.content.values(),
                    &EnumPlace::Response(name.clone()),
                    &mut out,
                );
            }
        }
        for (name, body) in &components.request_bodies {
            if let ReferenceOr::Item(b) = body {
                content_enums(
                    doc,
                    b.content.values(),
                    &EnumPlace::RequestBody(name.clone()),
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
                let place = EnumPlace::PathParameter {
                    path: path.clone(),
                    location: parameter_location(p),
                    name: p.parameter_data_ref().name.clone(),
                };
                parameter_enums(doc, p, &place, &mut out);
            }
        }
        for (method, operation) in item.iter() {
            let op = OpName::new(method, path, operation);
            for parameter in &operation.parameters {
                if let ReferenceOr::Item(p) = parameter {
                    let place = EnumPlace::OperationParameter {
                        op: op.clone(),
                        location: parameter_location(p),
                        name: p.parameter_data_ref().name.clone(),
                    };
                    parameter_enums(doc, p, &place, &mut out);
                }
            }
            if let Some(ReferenceOr::Item(RequestBody { content, .. })) = &operation.request_body {
                content_enums(
                    doc,
                    content.values(),
                    &EnumPlace::OperationRequestBody(op.clone()),
                    &mut out,
                );
            }
            for (status, response) in responses_of(operation) {
                if let ReferenceOr::Item(Response { content, .. }) = response {
                    let place = EnumPlace::OperationResponse {
                        op: op.clone(),
                        status,
                    };
                    content_enums(doc, content.values(), &place, &mut out);
                }
            }
        }
    }
    out
}

fn parameter_enums(
    doc: &OpenAPI,
    parameter: &Parameter,
    place: &EnumPlace,
    out: &mut EnumLocations,
) {
    match &parameter.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => collect(doc, SchemaRef::of(schema), place, out),
        ParameterSchemaOrContent::Content(content) => {
            content_enums(doc, content.values(), place, out)
        }
    }
}

fn content_enums<'a>(
    doc: &OpenAPI,
    media: impl Iterator<Item = &'a MediaType>,
    place: &EnumPlace,
    out: &mut EnumLocations,
) {
    for m in media {
        if let Some(schema) = &m.schema {
            collect(doc, SchemaRef::of(schema), place, out);
        }
    }
}

fn collect(doc: &OpenAPI, schema: SchemaRef<'_>, place: &EnumPlace, out: &mut EnumLocations) {
    walk(doc, schema, Refs::Stop, &mut Enums { place, out });
}

/// Records the values of each enum under its location.
struct Enums<'o> {
    place: &'o EnumPlace,
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
            // The schema itself or a list of it is the place; anything
            // deeper is a field of it.
            let location = EnumLocation {
                place: self.place.clone(),
                field: (!path.replace("[]", "").is_empty()).then(|| path.to_owned()),
            };
            self.out.entry(location).or_default().extend(values);
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
