//! Each operation's path, query and header parameters with the constraints
//! of their schemas: what the generated request builders check before a
//! request is sent (the postprocess pass `check_params`) and what the crate
//! docs say is checked, read once here.
//!
//! The keywords mirror `invoicing_runtime::constraints`, which implements
//! the checks: numeric bounds (exclusive too), integer `multipleOf`,
//! lengths, `pattern`, `enum`, array item counts, `uniqueItems`, `items`,
//! and the formats in [`CHECKED_FORMATS`]. Anything else a schema says is listed in
//! [`Constraints::unchecked`], so the docs name it instead of claiming it.

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Serialize;
use serde_json::Value;

use crate::naming::snake_ident;
use crate::spec::refs;

/// One operation's parameters that have constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationParameters {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// Parameters in the spec's order (path-level ones first), only those
    /// with a constraint, checked or not.
    pub parameters: Vec<ParameterConstraints>,
}

/// A parameter and what its schema allows.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterConstraints {
    /// The vendor's name (`pageSize`).
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    /// Its schema's constraints.
    pub constraints: Constraints,
}

impl ParameterConstraints {
    /// The builder's setter for the parameter, as progenitor names it.
    pub fn setter(&self) -> String {
        snake_ident(&self.name)
    }

    /// How messages name the parameter: the setter, with the vendor's name
    /// in parentheses when it differs (`page_size (pageSize)`).
    pub fn display_name(&self) -> String {
        let setter = self.setter();
        if setter == self.name {
            setter
        } else {
            format!("{setter} ({})", self.name)
        }
    }
}

/// A numeric bound as the spec reader parsed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// A bound of an integer schema.
    Int(i64),
    /// A bound of a number schema.
    Float(f64),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Int(v) => write!(f, "{v}"),
            Limit::Float(v) => write!(f, "{v}"),
        }
    }
}

/// A bound and whether it is exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub limit: Limit,
    /// `exclusiveMinimum` / `exclusiveMaximum`.
    pub exclusive: bool,
}

/// The formats `invoicing_runtime::constraints::Format` checks, by their
/// OpenAPI names; its variants are these names in upper camel case
/// (`date-time` -> `DateTime`).
pub const CHECKED_FORMATS: &[&str] = &[
    "email",
    "uuid",
    "date",
    "date-time",
    "ipv4",
    "ipv6",
    "byte",
    "int32",
    "int64",
];

/// The `invoicing_runtime::constraints::Format` variant checking the format
/// `name` (one of [`CHECKED_FORMATS`]).
pub fn format_variant(name: &str) -> String {
    use heck::ToUpperCamelCase;
    name.to_upper_camel_case()
}

/// What one schema allows, for a check before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum`.
    pub minimum: Option<Bound>,
    /// `maximum`.
    pub maximum: Option<Bound>,
    /// An integer `multipleOf`.
    pub multiple_of: Option<u64>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`, an ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// `enum`, each value as JSON text.
    pub allowed: Vec<String>,
    /// A `format` in [`CHECKED_FORMATS`].
    pub format: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// The constraints of an array's items.
    pub items: Option<Box<Constraints>>,
    /// `format: password`: messages never quote the value.
    pub secret: bool,
    /// What the schema says that is not checked, in words (`format
    /// \`uri\``), items' prefixed with `items: `.
    pub unchecked: Vec<String>,
}

impl Constraints {
    /// Whether there is anything to check.
    pub fn checks_something(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.multiple_of.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
            || !self.allowed.is_empty()
            || self.format.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
            || self.items.as_ref().is_some_and(|i| i.checks_something())
    }

    /// The checked constraints in words, for the crate docs: `minimum 1,
    /// maximum 500`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let bound = |word: &str, b: &Bound| {
            let exclusive = if b.exclusive { "exclusive " } else { "" };
            format!("{exclusive}{word} {}", b.limit)
        };
        if let Some(b) = &self.minimum {
            parts.push(bound("minimum", b));
        }
        if let Some(b) = &self.maximum {
            parts.push(bound("maximum", b));
        }
        if let Some(m) = self.multiple_of {
            parts.push(format!("multiple of {m}"));
        }
        if let Some(n) = self.min_length {
            parts.push(format!("at least {n} characters"));
        }
        if let Some(n) = self.max_length {
            parts.push(format!("at most {n} characters"));
        }
        if let Some(p) = &self.pattern {
            parts.push(format!("pattern `{p}`"));
        }
        if !self.allowed.is_empty() {
            parts.push(format!("one of `{}`", self.allowed.join("`, `")));
        }
        if let Some(f) = &self.format {
            parts.push(format!("format {f}"));
        }
        if let Some(n) = self.min_items {
            parts.push(format!("at least {n} items"));
        }
        if let Some(n) = self.max_items {
            parts.push(format!("at most {n} items"));
        }
        if self.unique_items {
            parts.push("unique items".to_owned());
        }
        if let Some(items) = self.items.as_deref().filter(|i| i.checks_something()) {
            parts.push(format!("each item: {}", items.describe()));
        }
        parts.join(", ")
    }
}

/// How deep `items` of `items` are followed (a schema may refer to itself).
const MAX_DEPTH: usize = 8;

/// Every operation's constrained parameters, in spec order.
pub fn read(spec: &OpenAPI) -> Vec<OperationParameters> {
    let mut out = Vec::new();
    for item in spec.paths.paths.values().filter_map(ReferenceOr::as_item) {
        for (_, op) in item.iter() {
            let Some(operation_id) = op.operation_id.clone() else {
                continue;
            };
            // An operation's own parameter replaces a path-level one with
            // the same name and location.
            let own: Vec<&Parameter> = op
                .parameters
                .iter()
                .filter_map(|p| resolve_parameter(spec, p))
                .collect();
            let shared = item
                .parameters
                .iter()
                .filter_map(|p| resolve_parameter(spec, p))
                .filter(|p| !own.iter().any(|o| same_parameter(o, p)));
            let parameters: Vec<ParameterConstraints> = shared
                .chain(own.iter().copied())
                .map(|p| parameter_constraints(spec, p))
                .filter(|p| p.constraints.checks_something() || !p.constraints.unchecked.is_empty())
                .collect();
            out.push(OperationParameters {
                operation_id,
                parameters,
            });
        }
    }
    out
}

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    refs::resolve_component(parameter, "parameters", |name| {
        spec.components.as_ref()?.parameters.get(name)
    })
}

fn same_parameter(a: &Parameter, b: &Parameter) -> bool {
    location(a) == location(b) && a.parameter_data_ref().name == b.parameter_data_ref().name
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn parameter_constraints(spec: &OpenAPI, p: &Parameter) -> ParameterConstraints {
    let data = p.parameter_data_ref();
    let mut constraints = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => match resolve(spec, schema) {
            Some(schema) => schema_constraints(spec, schema, 0),
            None => Constraints::default(),
        },
        ParameterSchemaOrContent::Content(_) => Constraints {
            unchecked: vec!["a schema under `content`".to_owned()],
            ..Constraints::default()
        },
    };
    if matches!(p, Parameter::Cookie { .. }) && constraints.checks_something() {
        constraints = Constraints {
            unchecked: vec!["a cookie parameter's schema".to_owned()],
            ..Constraints::default()
        };
    }
    ParameterConstraints {
        name: data.name.clone(),
        location: location(p),
        constraints,
    }
}

fn resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    refs::resolve_component(schema, "schemas", |name| {
        spec.components.as_ref()?.schemas.get(name)
    })
}

fn resolve_boxed<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<Box<Schema>>,
) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            let name = refs::component_name(reference, "schemas")?;
            resolve(spec, spec.components.as_ref()?.schemas.get(&name)?)
        }
    }
}

fn schema_constraints(spec: &OpenAPI, schema: &Schema, depth: usize) -> Constraints {
    let mut c = Constraints::default();
    if depth > MAX_DEPTH {
        c.unchecked
            .push(format!("schemas nested deeper than {MAX_DEPTH} levels"));
        return c;
    }
    if let Some(Value::Array(why)) = schema
        .schema_data
        .extensions
        .get(crate::spec::document::UNCHECKED)
    {
        c.unchecked
            .extend(why.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            read_format(&mut c, &s.format);
            c.pattern = s.pattern.clone();
            c.min_length = s.min_length.map(|n| n as u64);
            c.max_length = s.max_length.map(|n| n as u64);
            c.allowed = json_texts(&s.enumeration);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            read_format(&mut c, &i.format);
            c.minimum = bound(i.minimum.map(Limit::Int), i.exclusive_minimum);
            c.maximum = bound(i.maximum.map(Limit::Int), i.exclusive_maximum);
            match i.multiple_of {
                Some(m) if m > 0 => c.multiple_of = Some(m as u64),
                Some(m) => c.unchecked.push(format!("`multipleOf` {m}")),
                None => {}
            }
            c.allowed = json_texts(&i.enumeration);
        }
        SchemaKind::Type(Type::Number(n)) => {
            read_format(&mut c, &n.format);
            c.minimum = bound(n.minimum.map(Limit::Float), n.exclusive_minimum);
            c.maximum = bound(n.maximum.map(Limit::Float), n.exclusive_maximum);
            // A fractional divisor has no exact check on binary floats.
            match n.multiple_of {
                Some(m) if m >= 1.0 && m.fract() == 0.0 && m <= u64::MAX as f64 => {
                    c.multiple_of = Some(m as u64)
                }
                Some(m) => c.unchecked.push(format!("`multipleOf` {m}")),
                None => {}
            }
            c.allowed = json_texts(&n.enumeration);
        }
        SchemaKind::Type(Type::Boolean(b)) => c.allowed = json_texts(&b.enumeration),
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|n| n as u64);
            c.max_items = a.max_items.map(|n| n as u64);
            c.unique_items = a.unique_items;
            if let Some(items) = a.items.as_ref().and_then(|i| resolve_boxed(spec, i)) {
                let items = schema_constraints(spec, items, depth + 1);
                c.unchecked
                    .extend(items.unchecked.iter().map(|u| format!("items: {u}")));
                c.items = Some(Box::new(Constraints {
                    unchecked: Vec::new(),
                    ..items
                }));
            }
        }
        SchemaKind::Type(Type::Object(o)) => {
            if *o != openapiv3::ObjectType::default() {
                c.unchecked
                    .push("an object parameter's properties".to_owned());
            }
        }
        // `allOf` of one schema is how OpenAPI 3.0 documents a `$ref`.
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            return match resolve(spec, &all_of[0]) {
                Some(inner) => schema_constraints(spec, inner, depth + 1),
                None => c,
            };
        }
        SchemaKind::AllOf { .. } => c.unchecked.push("an `allOf` schema".to_owned()),
        SchemaKind::OneOf { .. } => c.unchecked.push("a `oneOf` schema".to_owned()),
        SchemaKind::AnyOf { .. } => c.unchecked.push("an `anyOf` schema".to_owned()),
        SchemaKind::Not { .. } => c.unchecked.push("a `not` schema".to_owned()),
        SchemaKind::Any(any) => {
            if *any != openapiv3::AnySchema::default() {
                c.unchecked
                    .push("a schema without one plain `type`".to_owned());
            }
        }
    }
    c
}

fn bound(limit: Option<Limit>, exclusive: bool) -> Option<Bound> {
    limit.map(|limit| Bound { limit, exclusive })
}

/// Sets the checked format, notes a secret, or records an unchecked one.
fn read_format<T: Serialize>(c: &mut Constraints, format: &VariantOrUnknownOrEmpty<T>) {
    let name = match format {
        VariantOrUnknownOrEmpty::Item(known) => serde_json::to_value(known)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    };
    let Some(name) = name else { return };
    match name.as_str() {
        checked if CHECKED_FORMATS.contains(&checked) => c.format = Some(name),
        "password" => c.secret = true,
        // Any value of the type has these formats.
        "binary" | "float" | "double" => {}
        other => c.unchecked.push(format!("format `{other}`")),
    }
}

/// `enum` values as the JSON text the runtime compares values with
/// (`None` is a listed `null`).
fn json_texts<T: Serialize>(values: &[Option<T>]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| serde_json::to_string(v).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_norway::from_str(yaml).unwrap()
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      - {name: X-Trace, in: header, schema: {type: string, maxLength: 4}}
    get:
      operationId: getThing
      parameters:
        - {name: X-Trace, in: header, schema: {type: string, maxLength: 8}}
        - {name: pageSize, in: query, schema: {type: integer, minimum: 1, maximum: 100, exclusiveMaximum: true}}
        - {name: ratio, in: query, schema: {type: number, minimum: 0, multipleOf: 0.01}}
        - {name: sort, in: query, schema: {$ref: "#/components/schemas/Sort"}}
        - {name: tags, in: query, schema: {type: array, maxItems: 2, uniqueItems: true, items: {type: string, format: uri, enum: [a, b]}}}
        - {name: site, in: query, schema: {type: string, format: hostname}}
        - {name: key, in: header, schema: {type: string, format: password, minLength: 8}}
        - {name: plain, in: query, schema: {type: string}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Sort: {type: string, enum: [createdAt, dueDate]}
"##;

    #[test]
    fn constraints_per_parameter_path_level_first_overridden_by_the_operation() {
        let ops = read(&spec(SPEC));
        assert_eq!(ops.len(), 1);
        let params = &ops[0].parameters;
        let names: Vec<_> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "id", "X-Trace", "pageSize", "ratio", "sort", "tags", "site", "key"
            ],
            "`plain` has nothing to check"
        );
        let by_name = |n: &str| &params.iter().find(|p| p.name == n).unwrap().constraints;
        assert_eq!(by_name("id").format.as_deref(), Some("uuid"));
        assert_eq!(
            by_name("X-Trace").max_length,
            Some(8),
            "the operation's own"
        );
        assert_eq!(params[1].location, "header");
        assert_eq!(
            by_name("pageSize").describe(),
            "minimum 1, exclusive maximum 100"
        );
        assert_eq!(params[2].display_name(), "page_size (pageSize)");
        assert_eq!(
            by_name("ratio").unchecked,
            ["`multipleOf` 0.01"],
            "no exact check for a fractional divisor"
        );
        assert_eq!(by_name("ratio").minimum.unwrap().limit, Limit::Float(0.0));
        assert_eq!(by_name("sort").allowed, ["\"createdAt\"", "\"dueDate\""]);
        let tags = by_name("tags");
        assert_eq!(
            tags.describe(),
            "at most 2 items, unique items, each item: one of `\"a\"`, `\"b\"`"
        );
        assert_eq!(tags.unchecked, ["items: format `uri`"]);
        assert_eq!(by_name("site").unchecked, ["format `hostname`"]);
        assert!(!by_name("site").checks_something());
        assert!(by_name("key").secret);
        assert_eq!(by_name("key").min_length, Some(8));
    }

    #[test]
    fn composite_schemas_are_reported_not_checked() {
        let yaml = SPEC.replace(
            "{$ref: \"#/components/schemas/Sort\"}",
            "{oneOf: [{type: string}, {type: integer}]}",
        );
        let ops = read(&spec(&yaml));
        let sort = ops[0].parameters.iter().find(|p| p.name == "sort").unwrap();
        assert_eq!(sort.constraints.unchecked, ["a `oneOf` schema"]);
    }
}
