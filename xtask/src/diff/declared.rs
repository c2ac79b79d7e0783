//! Where a document declares schemas, and what each says about the values
//! it allows: type, format, `nullable`, enum values, constraints, and, for
//! a property, whether its object requires it.
//!
//! Each schema is reported where it is written, not everywhere it is used:
//! a component schema such as `InvoiceStatus` is one location however many
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
use crate::spec::refs::component_name;

/// The schema, parameter or body a schema is declared in.
///
/// Ordered as reports list them: path-level parameters, each operation's own
/// parameters and bodies, then the components.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
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

/// Where a schema is declared: a place and the field inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The schema, parameter or body.
    pub place: Place,
    /// The field path inside it (`lines[].kind`); `None` for the place's
    /// own schema or a list of it.
    pub field: Option<String>,
}

impl Place {
    /// Whether what is declared here is sent by callers (a parameter or a
    /// request body), as opposed to received.
    pub(crate) fn is_request(&self, request_schemas: &BTreeSet<String>) -> bool {
        match self {
            Place::PathParameter { .. }
            | Place::OperationParameter { .. }
            | Place::OperationRequestBody(_)
            | Place::Parameter(_)
            | Place::RequestBody(_) => true,
            Place::OperationResponse { .. } | Place::Response(_) => false,
            Place::Schema(name) => request_schemas.contains(name),
        }
    }
}

impl Location {
    /// E.g. ``schema `Invoice` field `category` ``, names set apart as
    /// `format` does.
    pub fn describe(&self, format: Format) -> String {
        let code = |s: &str| format.code(s);
        let mut out = match &self.place {
            Place::PathParameter {
                path,
                location,
                name,
            } => format!("{} {location} parameter {}", code(path), code(name)),
            Place::OperationParameter { op, location, name } => format!(
                "{} {location} parameter {}",
                op.describe(format),
                code(name)
            ),
            Place::OperationRequestBody(op) => format!("{} request body", op.describe(format)),
            Place::OperationResponse { op, status } => {
                format!("{} response {}", op.describe(format), code(status))
            }
            Place::Parameter(name) => format!("parameter {}", code(name)),
            Place::RequestBody(name) => format!("request body {}", code(name)),
            Place::Response(name) => format!("response {}", code(name)),
            Place::Schema(name) => format!("schema {}", code(name)),
        };
        if let Some(field) = &self.field {
            out.push_str(&format!(" field {}", code(field)));
        }
        out
    }
}

/// What a declared schema says about the values it allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `string`, `integer`, ..., or the component a `$ref` names; `None`
    /// for a schema without a type.
    pub ty: Option<String>,
    /// The `format`, if any.
    pub format: Option<String>,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Enum values as the vendor writes them (`null` for a nullable
    /// enum's null); empty when the schema is no enum.
    pub enum_values: BTreeSet<String>,
    /// Constraints by keyword (`maximum` -> `100`), as written.
    pub constraints: BTreeMap<&'static str, String>,
    /// For a property: whether its object requires it.
    pub required: Option<bool>,
}

/// Every schema the document declares, by location.
pub(crate) type Declarations = BTreeMap<Location, Facts>;

/// All schemas the document declares.
pub(crate) fn declarations(doc: &OpenAPI) -> Declarations {
    let mut out = Declarations::new();
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            collect(
                doc,
                SchemaRef::of(schema),
                &Place::Schema(name.clone()),
                &mut out,
            );
        }
        for (name, parameter) in &components.parameters {
            if let ReferenceOr::Item(p) = parameter {
                parameter_schemas(doc, p, &Place::Parameter(name.clone()), &mut out);
            }
        }
        for (name, response) in &components.responses {
            if let ReferenceOr::Item(r) = response {
                content_schemas(
                    doc,
                    r.content.values(),
                    &Place::Response(name.clone()),
                    &mut out,
                );
            }
        }
        for (name, body) in &components.request_bodies {
            if let ReferenceOr::Item(b) = body {
                content_schemas(
                    doc,
                    b.content.values(),
                    &Place::RequestBody(name.clone()),
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
                let place = Place::PathParameter {
                    path: path.clone(),
                    location: parameter_location(p),
                    name: p.parameter_data_ref().name.clone(),
                };
                parameter_schemas(doc, p, &place, &mut out);
            }
        }
        for (method, operation) in item.iter() {
            let op = OpName::new(method, path, operation);
            for parameter in &operation.parameters {
                if let ReferenceOr::Item(p) = parameter {
                    let place = Place::OperationParameter {
                        op: op.clone(),
                        location: parameter_location(p),
                        name: p.parameter_data_ref().name.clone(),
                    };
                    parameter_schemas(doc, p, &place, &mut out);
                }
            }
            if let Some(ReferenceOr::Item(RequestBody { content, .. })) = &operation.request_body {
                content_schemas(
                    doc,
                    content.values(),
                    &Place::OperationRequestBody(op.clone()),
                    &mut out,
                );
            }
            for (status, response) in responses_of(operation) {
                if let ReferenceOr::Item(Response { content, .. }) = response {
                    let place = Place::OperationResponse {
                        op: op.clone(),
                        status,
                    };
                    content_schemas(doc, content.values(), &place, &mut out);
                }
            }
        }
    }
    out
}

fn parameter_schemas(doc: &OpenAPI, parameter: &Parameter, place: &Place, out: &mut Declarations) {
    match &parameter.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => collect(doc, SchemaRef::of(schema), place, out),
        ParameterSchemaOrContent::Content(content) => {
            content_schemas(doc, content.values(), place, out)
        }
    }
}

fn content_schemas<'a>(
    doc: &OpenAPI,
    media: impl Iterator<Item = &'a MediaType>,
    place: &Place,
    out: &mut Declarations,
) {
    for m in media {
        if let Some(schema) = &m.schema {
            collect(doc, SchemaRef::of(schema), place, out);
        }
    }
}

fn collect(doc: &OpenAPI, schema: SchemaRef<'_>, place: &Place, out: &mut Declarations) {
    if let SchemaRef::Ref(reference) = schema {
        out.entry(location(place, "")).or_default().ty = Some(referenced(reference));
    }
    walk(doc, schema, Refs::Stop, &mut Collect { place, out });
}

/// The place itself for the top of its schema or a list of it; a field
/// of it deeper down.
fn location(place: &Place, path: &str) -> Location {
    Location {
        place: place.clone(),
        field: (!path.replace("[]", "").is_empty()).then(|| path.to_owned()),
    }
}

/// A `$ref`'s type as the vendor names it: the component.
fn referenced(reference: &str) -> String {
    component_name(reference, "schemas").unwrap_or_else(|| reference.to_owned())
}

/// Records the facts of each schema under its location.
struct Collect<'o> {
    place: &'o Place,
    out: &'o mut Declarations,
}

impl Visitor<'_> for Collect<'_> {
    fn schema(&mut self, path: &str, schema: &Schema) {
        let facts = self.out.entry(location(self.place, path)).or_default();
        facts.nullable = schema.schema_data.nullable;
        let constraints = &mut facts.constraints;
        let mut put = |keyword: &'static str, value: Option<String>| {
            if let Some(value) = value {
                constraints.insert(keyword, value);
            }
        };
        let (ty, format, values): (&str, Option<String>, Vec<String>) = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                put("minLength", s.min_length.map(|v| v.to_string()));
                put("maxLength", s.max_length.map(|v| v.to_string()));
                put("pattern", s.pattern.clone());
                ("string", variant_text(&s.format), texts(&s.enumeration))
            }
            SchemaKind::Type(Type::Integer(i)) => {
                put("minimum", i.minimum.map(|v| v.to_string()));
                put("maximum", i.maximum.map(|v| v.to_string()));
                put(
                    "exclusiveMinimum",
                    i.exclusive_minimum.then(|| "true".into()),
                );
                put(
                    "exclusiveMaximum",
                    i.exclusive_maximum.then(|| "true".into()),
                );
                put("multipleOf", i.multiple_of.map(|v| v.to_string()));
                ("integer", variant_text(&i.format), texts(&i.enumeration))
            }
            SchemaKind::Type(Type::Number(n)) => {
                put("minimum", n.minimum.map(|v| v.to_string()));
                put("maximum", n.maximum.map(|v| v.to_string()));
                put(
                    "exclusiveMinimum",
                    n.exclusive_minimum.then(|| "true".into()),
                );
                put(
                    "exclusiveMaximum",
                    n.exclusive_maximum.then(|| "true".into()),
                );
                put("multipleOf", n.multiple_of.map(|v| v.to_string()));
                ("number", variant_text(&n.format), texts(&n.enumeration))
            }
            SchemaKind::Type(Type::Boolean(b)) => ("boolean", None, texts(&b.enumeration)),
            SchemaKind::Type(Type::Array(a)) => {
                put("minItems", a.min_items.map(|v| v.to_string()));
                put("maxItems", a.max_items.map(|v| v.to_string()));
                put("uniqueItems", a.unique_items.then(|| "true".into()));
                ("array", None, Vec::new())
            }
            SchemaKind::Type(Type::Object(o)) => {
                put("minProperties", o.min_properties.map(|v| v.to_string()));
                put("maxProperties", o.max_properties.map(|v| v.to_string()));
                self.properties(path, o.properties.iter(), &o.required);
                ("object", None, Vec::new())
            }
            SchemaKind::OneOf { .. } => ("oneOf", None, Vec::new()),
            SchemaKind::AnyOf { .. } => ("anyOf", None, Vec::new()),
            SchemaKind::AllOf { .. } => ("allOf", None, Vec::new()),
            SchemaKind::Not { .. } => ("not", None, Vec::new()),
            SchemaKind::Any(any) => {
                self.properties(path, any.properties.iter(), &any.required);
                let values: Vec<String> = any
                    .enumeration
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                let ty = any.typ.clone().map(|t| t.to_string());
                let facts = self.out.entry(location(self.place, path)).or_default();
                facts.ty = ty;
                facts.format = any.format.clone();
                facts.enum_values.extend(values);
                return;
            }
        };
        let facts = self.out.entry(location(self.place, path)).or_default();
        facts.ty = Some(ty.to_owned());
        facts.format = format;
        facts.enum_values.extend(values);
    }
}

impl Collect<'_> {
    /// Each property's required-ness, and the type a `$ref` property names
    /// (references are not walked).
    fn properties<'s>(
        &mut self,
        path: &str,
        properties: impl Iterator<Item = (&'s String, &'s ReferenceOr<Box<Schema>>)>,
        required: &[String],
    ) {
        for (name, property) in properties {
            let field = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            let facts = self.out.entry(location(self.place, &field)).or_default();
            facts.required = Some(required.contains(name));
            if let ReferenceOr::Reference { reference } = property {
                facts.ty = Some(referenced(reference));
            }
        }
    }
}

/// A `format` as the vendor writes it.
fn variant_text<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
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

/// The component schemas that parameters and request bodies reach, through
/// any number of references: what callers send.
pub(crate) fn request_schemas(doc: &OpenAPI) -> BTreeSet<String> {
    let json = serde_json::to_value(doc).unwrap_or_default();
    let mut roots: Vec<String> = Vec::new();
    let mut refs_in = |value: Option<&serde_json::Value>, at: &str| {
        if let Some(value) = value {
            roots.extend(
                crate::spec::document::reference_objects(value, at)
                    .into_iter()
                    .map(|(_, r)| r),
            );
        }
    };
    for op in crate::spec::document::operations(&json) {
        let item = json.pointer(&op.pointer);
        refs_in(item.and_then(|o| o.get("parameters")), "");
        refs_in(item.and_then(|o| o.get("requestBody")), "");
    }
    if let Some(paths) = json.get("paths").and_then(serde_json::Value::as_object) {
        for item in paths.values() {
            refs_in(item.get("parameters"), "");
        }
    }
    for kind in ["parameters", "requestBodies"] {
        refs_in(json.pointer(&format!("/components/{kind}")), "");
    }
    let mut seen = BTreeSet::new();
    while let Some(reference) = roots.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(target) = crate::spec::refs::resolve(&json, &reference) else {
            continue;
        };
        roots.extend(
            crate::spec::document::reference_objects(target, "")
                .into_iter()
                .map(|(_, r)| r),
        );
    }
    seen.iter()
        .filter_map(|r| component_name(r, "schemas"))
        .collect()
}
