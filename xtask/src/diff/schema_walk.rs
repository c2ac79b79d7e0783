//! Walking an OpenAPI schema and the schemas inside it, each at the field
//! path it describes in a body (`data[].issuer.vat_id`): objects inside
//! arrays written `list[].field`, map values `map.*`. Alternatives (`oneOf`,
//! `anyOf`) and parts (`allOf`) are walked at the path of their parent.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use crate::spec::refs::component_name;

/// A schema or a reference to one, whichever way the document holds it.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    /// `$ref` to a component.
    Ref(&'a str),
    /// An inline schema.
    Item(&'a Schema),
}

impl<'a> SchemaRef<'a> {
    pub(crate) fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }

    pub(crate) fn boxed(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// `prefix.name`, or `name` at the top of a body.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// What a walk reports.
pub(crate) trait Visitor<'a> {
    /// A property at `path`, whether or not its schema is walked.
    fn field(&mut self, _path: &str) {}
    /// An inline schema at `path` (`""` for the top).
    fn schema(&mut self, _path: &str, _schema: &'a Schema) {}
}

/// Whether a walk goes through `$ref`s into `components/schemas`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refs {
    /// Walk the referenced schema in place of the reference.
    Follow,
    /// Stop at references.
    Stop,
}

/// Walks `schema` from the top of a body.
pub(crate) fn walk<'a>(
    doc: &'a OpenAPI,
    schema: SchemaRef<'a>,
    refs: Refs,
    visitor: &mut impl Visitor<'a>,
) {
    Walk {
        doc,
        refs,
        stack: Vec::new(),
        visitor,
    }
    .schema(schema, "");
}

struct Walk<'a, 'v, V> {
    doc: &'a OpenAPI,
    refs: Refs,
    /// References being walked, outermost first.
    stack: Vec<&'a str>,
    visitor: &'v mut V,
}

impl<'a, V: Visitor<'a>> Walk<'a, '_, V> {
    fn schema(&mut self, schema: SchemaRef<'a>, path: &str) {
        let schema = match schema {
            SchemaRef::Ref(_) if self.refs == Refs::Stop => return,
            // A schema that contains itself (a tree of comments, say) is
            // walked once along each path.
            SchemaRef::Ref(reference) if self.stack.contains(&reference) => return,
            SchemaRef::Ref(reference) => {
                // The validate pass guarantees references resolve; one that
                // does not has nothing to walk.
                let Some(target) = component_name(reference, "schemas")
                    .and_then(|name| self.doc.components.as_ref()?.schemas.get(&name))
                else {
                    return;
                };
                self.stack.push(reference);
                self.schema(SchemaRef::of(target), path);
                self.stack.pop();
                return;
            }
            SchemaRef::Item(schema) => schema,
        };
        self.visitor.schema(path, schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, o.additional_properties.as_ref(), path);
            }
            SchemaKind::Type(Type::Array(a)) => self.items(a.items.as_ref(), path),
            SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AllOf { all_of: parts }
            | SchemaKind::AnyOf { any_of: parts } => self.parts(parts, path),
            SchemaKind::Any(any) => {
                self.object(&any.properties, any.additional_properties.as_ref(), path);
                self.items(any.items.as_ref(), path);
                self.parts(&any.one_of, path);
                self.parts(&any.all_of, path);
                self.parts(&any.any_of, path);
            }
            SchemaKind::Type(_) | SchemaKind::Not { .. } => {}
        }
    }

    fn object(
        &mut self,
        properties: impl IntoIterator<Item = (&'a String, &'a ReferenceOr<Box<Schema>>)>,
        additional: Option<&'a AdditionalProperties>,
        path: &str,
    ) {
        for (name, property) in properties {
            let field = join(path, name);
            self.visitor.field(&field);
            self.schema(SchemaRef::boxed(property), &field);
        }
        if let Some(AdditionalProperties::Schema(values)) = additional {
            self.schema(SchemaRef::of(values), &join(path, "*"));
        }
    }

    fn items(&mut self, items: Option<&'a ReferenceOr<Box<Schema>>>, path: &str) {
        if let Some(items) = items {
            self.schema(SchemaRef::boxed(items), &format!("{path}[]"));
        }
    }

    fn parts(&mut self, parts: &'a [ReferenceOr<Schema>], path: &str) {
        for part in parts {
            self.schema(SchemaRef::of(part), path);
        }
    }
}

/// Every field path a body of this schema can contain.
pub(crate) fn field_paths(doc: &OpenAPI, schema: SchemaRef<'_>) -> BTreeSet<String> {
    struct Fields(BTreeSet<String>);
    impl Visitor<'_> for Fields {
        fn field(&mut self, path: &str) {
            self.0.insert(path.to_owned());
        }
    }
    let mut fields = Fields(BTreeSet::new());
    walk(doc, schema, Refs::Follow, &mut fields);
    fields.0
}

/// Whether `path` lies inside one of `paths` (`data[].issuer.vat_id` inside
/// `data[].issuer` or `data`), so that a new or removed object is reported
/// once rather than with each of its fields.
pub(crate) fn has_ancestor_in(path: &str, paths: &BTreeSet<String>) -> bool {
    let mut rest = path;
    while let Some(dot) = rest.rfind('.') {
        rest = &rest[..dot];
        if paths.contains(rest) || paths.contains(rest.trim_end_matches("[]")) {
            return true;
        }
    }
    false
}
