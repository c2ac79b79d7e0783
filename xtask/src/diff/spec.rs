//! What changed between two versions of a vendor's OpenAPI document, in the
//! vendor's terms (methods, paths, parameter and field names as sent on the
//! wire), in the manner of `oasdiff`: operations, parameters, response
//! fields, schemas and enum values added or removed, and each declared
//! schema's type, format, `nullable`, required-ness and constraints.
//!
//! A change that can make a request that worked fail is breaking for
//! callers even when the generated API does not change: a parameter's
//! `maximum` lowered, a request field's `minLength` raised, an enum value
//! a caller could send removed, a parameter or request field that became
//! required. Changes on the response side are explained here but
//! classified by the API diff, which sees what they do to the types.
//!
//! Both documents are the normalised ones the generator reads (overlay
//! applied, OpenAPI 3.0 form), so the summary explains the API diff of the
//! crate generated from them.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use super::api::Impact;
use super::declared::{Facts, Location, declarations, request_schemas};
use super::format::Format;
use super::op_name::{OpName, parameter_location, responses_of};
use super::schema_walk::{SchemaRef, field_paths, has_ancestor_in};
use crate::spec::refs::resolve_component;

/// One change between two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecChange {
    /// A new operation.
    OperationAdded(OpName),
    /// An operation no longer in the document.
    OperationRemoved(OpName),
    /// Same method and path, another `operationId` (the generated method is renamed).
    OperationIdChanged {
        /// The operation, with its new id.
        op: OpName,
        /// The id it had.
        old: Option<String>,
    },
    /// A new parameter.
    ParameterAdded {
        /// The operation.
        op: OpName,
        /// `query`, `path`, `header` or `cookie`.
        location: &'static str,
        /// The parameter's name on the wire.
        name: String,
        /// Whether it is required.
        required: bool,
    },
    /// A parameter no longer accepted.
    ParameterRemoved {
        /// The operation.
        op: OpName,
        /// `query`, `path`, `header` or `cookie`.
        location: &'static str,
        /// The parameter's name on the wire.
        name: String,
    },
    /// A parameter that became required (or optional).
    ParameterRequiredChanged {
        /// The operation.
        op: OpName,
        /// `query`, `path`, `header` or `cookie`.
        location: &'static str,
        /// The parameter's name on the wire.
        name: String,
        /// Whether it is now required.
        required: bool,
    },
    /// A newly documented response status.
    ResponseAdded {
        /// The operation.
        op: OpName,
        /// `200`, `4XX` or `default`.
        status: String,
    },
    /// A response status no longer documented.
    ResponseRemoved {
        /// The operation.
        op: OpName,
        /// `200`, `4XX` or `default`.
        status: String,
    },
    /// A field a response body can now carry.
    ResponseFieldAdded {
        /// The operation.
        op: OpName,
        /// The response status.
        status: String,
        /// Dotted path, e.g. `data[].issuer.vat_id`.
        field: String,
    },
    /// A field a response body no longer carries.
    ResponseFieldRemoved {
        /// The operation.
        op: OpName,
        /// The response status.
        status: String,
        /// Dotted path.
        field: String,
    },
    /// A new component schema.
    SchemaAdded(String),
    /// A component schema no longer in the document.
    SchemaRemoved(String),
    /// A value added to an enum.
    EnumValueAdded {
        /// Where the enum is declared, e.g. ``schema `InvoiceStatus` ``.
        location: Location,
        /// The value.
        value: String,
    },
    /// A value removed from an enum.
    EnumValueRemoved {
        /// Where the enum is declared.
        location: Location,
        /// The value.
        value: String,
        /// Whether callers send it (a parameter or request body).
        request: bool,
    },
    /// A declared schema allows other values.
    Declaration {
        /// Where the schema is declared.
        location: Location,
        /// What changed.
        change: FactChange,
        /// Whether callers send it (a parameter or request body).
        request: bool,
    },
}

/// How a declared schema's facts changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactChange {
    /// `type` (or the component a `$ref` names); `None` for none.
    Type(Option<String>, Option<String>),
    /// `format`.
    Format(Option<String>, Option<String>),
    /// Whether `null` is allowed now.
    Nullable(bool),
    /// Whether its object requires the property now.
    Required(bool),
    /// A constraint keyword (`maximum`, `minLength`, `pattern`, `enum`)
    /// with its old and new value; `None` where absent.
    Constraint(&'static str, Option<String>, Option<String>),
}

impl FactChange {
    /// Whether a value that was allowed may no longer be.
    fn tightens(&self) -> bool {
        match self {
            FactChange::Type(..) | FactChange::Format(..) => true,
            FactChange::Nullable(now) => !now,
            FactChange::Required(now) => *now,
            FactChange::Constraint(_, _, None) => false,
            FactChange::Constraint(_, None, Some(_)) => true,
            FactChange::Constraint(keyword, Some(old), Some(new)) => {
                let (old, new) = (number(old), number(new));
                match *keyword {
                    "minimum" | "minLength" | "minItems" | "minProperties" => new > old,
                    "maximum" | "maxLength" | "maxItems" | "maxProperties" => new < old,
                    // `pattern`, `multipleOf`: another rule, which may
                    // refuse what the old one took.
                    _ => true,
                }
            }
        }
    }

    fn describe(&self, format: Format) -> String {
        let value = |v: &Option<String>| format.code_or(v.as_deref(), "none");
        match self {
            FactChange::Type(old, new) => format!("type {} became {}", value(old), value(new)),
            FactChange::Format(old, new) => {
                format!("format {} became {}", value(old), value(new))
            }
            FactChange::Nullable(true) => "became nullable".to_owned(),
            FactChange::Nullable(false) => "is no longer nullable".to_owned(),
            FactChange::Required(true) => "became required".to_owned(),
            FactChange::Required(false) => "became optional".to_owned(),
            FactChange::Constraint(keyword, old, new) => {
                format!(
                    "{} {} became {}",
                    format.code(keyword),
                    value(old),
                    value(new)
                )
            }
        }
    }
}

/// A number written in a constraint, for comparing (`NaN` never orders).
fn number(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

impl SpecChange {
    /// `Breaking` for a change that can make a caller's request fail;
    /// `None` for the rest, which the API diff classifies.
    pub fn impact(&self) -> Option<Impact> {
        let breaking = match self {
            SpecChange::OperationRemoved(_) | SpecChange::ParameterRemoved { .. } => true,
            SpecChange::ParameterAdded { required, .. }
            | SpecChange::ParameterRequiredChanged { required, .. } => *required,
            SpecChange::EnumValueRemoved { request, .. } => *request,
            SpecChange::Declaration {
                change, request, ..
            } => *request && change.tightens(),
            _ => false,
        };
        breaking.then_some(Impact::Breaking)
    }

    /// The change in the vendor's words, names set apart as `format` does.
    pub fn describe(&self, format: Format) -> String {
        let code = |s: &str| format.code(s);
        let required_word = |required: bool| if required { "required" } else { "optional" };
        match self {
            SpecChange::OperationAdded(op) => format!("added operation {}", op.describe(format)),
            SpecChange::OperationRemoved(op) => {
                format!("removed operation {}", op.describe(format))
            }
            SpecChange::OperationIdChanged { op, old } => {
                format!(
                    "{}: operationId was {}",
                    op.describe(format),
                    format.code_or(old.as_deref(), "none")
                )
            }
            SpecChange::ParameterAdded {
                op,
                location,
                name,
                required,
            } => {
                format!(
                    "{}: added {} {location} parameter {}",
                    op.describe(format),
                    required_word(*required),
                    code(name)
                )
            }
            SpecChange::ParameterRemoved { op, location, name } => {
                format!(
                    "{}: removed {location} parameter {}",
                    op.describe(format),
                    code(name)
                )
            }
            SpecChange::ParameterRequiredChanged {
                op,
                location,
                name,
                required,
            } => {
                format!(
                    "{}: {location} parameter {} became {}",
                    op.describe(format),
                    code(name),
                    required_word(*required)
                )
            }
            SpecChange::ResponseAdded { op, status } => {
                format!("{}: added response {}", op.describe(format), code(status))
            }
            SpecChange::ResponseRemoved { op, status } => {
                format!("{}: removed response {}", op.describe(format), code(status))
            }
            SpecChange::ResponseFieldAdded { op, status, field } => {
                format!(
                    "{}: response {} added field {}",
                    op.describe(format),
                    code(status),
                    code(field)
                )
            }
            SpecChange::ResponseFieldRemoved { op, status, field } => {
                format!(
                    "{}: response {} removed field {}",
                    op.describe(format),
                    code(status),
                    code(field)
                )
            }
            SpecChange::EnumValueAdded { location, value } => {
                format!(
                    "{}: added enum value {}",
                    location.describe(format),
                    code(value)
                )
            }
            SpecChange::EnumValueRemoved {
                location, value, ..
            } => {
                format!(
                    "{}: removed enum value {}",
                    location.describe(format),
                    code(value)
                )
            }
            SpecChange::SchemaAdded(name) => format!("added schema {}", code(name)),
            SpecChange::SchemaRemoved(name) => format!("removed schema {}", code(name)),
            SpecChange::Declaration {
                location, change, ..
            } => format!("{}: {}", location.describe(format), change.describe(format)),
        }
    }
}

/// An operation's parameters (by location and name, with required-ness)
/// and the field paths of each response body.
struct OpShape {
    name: OpName,
    parameters: BTreeMap<(&'static str, String), bool>,
    responses: BTreeMap<String, BTreeSet<String>>,
}

/// Operations keyed by path template with parameter names blanked, so that
/// renaming `{id}` to `{invoice_id}` is not an operation removed and added,
/// then by method.
fn operations(doc: &OpenAPI) -> BTreeMap<(String, String), OpShape> {
    let mut out = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        // Path items held elsewhere (`$ref` to another file) are not
        // resolved by the generator either.
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let mut parameters = BTreeMap::new();
            // Operation parameters override path-level ones of the same
            // location and name, so they are inserted last.
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                if let Some(p) = resolve_component(parameter, "parameters", |name| {
                    doc.components.as_ref()?.parameters.get(name)
                }) {
                    let data = p.parameter_data_ref();
                    parameters.insert((parameter_location(p), data.name.clone()), data.required);
                }
            }
            let mut responses = BTreeMap::new();
            for (status, response) in responses_of(operation) {
                let fields = resolve_component(response, "responses", |name| {
                    doc.components.as_ref()?.responses.get(name)
                })
                .map(|r| {
                    r.content
                        .values()
                        .filter_map(|m| m.schema.as_ref())
                        .flat_map(|s| field_paths(doc, SchemaRef::of(s)))
                        .collect()
                })
                .unwrap_or_default();
                responses.insert(status, fields);
            }
            let key = (blank_path_parameters(path), method.to_uppercase());
            out.insert(
                key,
                OpShape {
                    name: OpName::new(method, path, operation),
                    parameters,
                    responses,
                },
            );
        }
    }
    out
}

fn blank_path_parameters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push_str("{}");
            }
            '}' => in_braces = false,
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    out
}

/// The changes from `old` to `new`: operations in path order, each with its
/// parameter and response changes, then enum values by location.
pub fn spec_changes(old: &OpenAPI, new: &OpenAPI) -> Vec<SpecChange> {
    let mut changes = Vec::new();
    let old_ops = operations(old);
    let new_ops = operations(new);
    let keys: BTreeSet<_> = old_ops.keys().chain(new_ops.keys()).collect();
    for key in keys {
        match (old_ops.get(key), new_ops.get(key)) {
            (Some(o), None) => changes.push(SpecChange::OperationRemoved(o.name.clone())),
            (None, Some(n)) => changes.push(SpecChange::OperationAdded(n.name.clone())),
            (Some(o), Some(n)) => operation_changes(o, n, &mut changes),
            (None, None) => {}
        }
    }

    let schema_names = |doc: &OpenAPI| -> BTreeSet<String> {
        doc.components
            .as_ref()
            .map(|c| c.schemas.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (old_schemas, new_schemas) = (schema_names(old), schema_names(new));
    changes.extend(
        old_schemas
            .difference(&new_schemas)
            .map(|n| SpecChange::SchemaRemoved(n.clone())),
    );
    changes.extend(
        new_schemas
            .difference(&old_schemas)
            .map(|n| SpecChange::SchemaAdded(n.clone())),
    );

    // A schema callers send in either version is on the request side.
    let mut requested = request_schemas(old);
    requested.extend(request_schemas(new));
    let old_declared = declarations(old);
    for (location, new_facts) in declarations(new) {
        // A schema in a new place comes with a new parameter, field or
        // schema, reported (or visible in the API diff) as such.
        if let Some(old_facts) = old_declared.get(&location) {
            let request = location.place.is_request(&requested);
            declaration_changes(&location, old_facts, &new_facts, request, &mut changes);
        }
    }
    changes
}

/// The changes of one declared schema: its facts, then its enum values.
fn declaration_changes(
    location: &Location,
    old: &Facts,
    new: &Facts,
    request: bool,
    changes: &mut Vec<SpecChange>,
) {
    let mut facts = Vec::new();
    if old.ty != new.ty {
        facts.push(FactChange::Type(old.ty.clone(), new.ty.clone()));
    }
    if old.format != new.format {
        facts.push(FactChange::Format(old.format.clone(), new.format.clone()));
    }
    if old.nullable != new.nullable {
        facts.push(FactChange::Nullable(new.nullable));
    }
    if let (Some(was), Some(now)) = (old.required, new.required)
        && was != now
    {
        facts.push(FactChange::Required(now));
    }
    let keywords: BTreeSet<&&str> = old
        .constraints
        .keys()
        .chain(new.constraints.keys())
        .collect();
    for keyword in keywords {
        let (was, now) = (old.constraints.get(*keyword), new.constraints.get(*keyword));
        if was != now {
            facts.push(FactChange::Constraint(keyword, was.cloned(), now.cloned()));
        }
    }
    // Becoming an enum (or no longer one) restricts (or frees) every value
    // at once: one change, not one per value.
    let values = |f: &Facts| (!f.enum_values.is_empty()).then(|| join(&f.enum_values));
    if old.enum_values.is_empty() != new.enum_values.is_empty() {
        facts.push(FactChange::Constraint("enum", values(old), values(new)));
    }
    changes.extend(facts.into_iter().map(|change| SpecChange::Declaration {
        location: location.clone(),
        change,
        request,
    }));
    if old.enum_values.is_empty() || new.enum_values.is_empty() {
        return;
    }
    for value in old.enum_values.difference(&new.enum_values) {
        changes.push(SpecChange::EnumValueRemoved {
            location: location.clone(),
            value: value.clone(),
            request,
        });
    }
    for value in new.enum_values.difference(&old.enum_values) {
        changes.push(SpecChange::EnumValueAdded {
            location: location.clone(),
            value: value.clone(),
        });
    }
}

fn join(values: &BTreeSet<String>) -> String {
    values
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn operation_changes(old: &OpShape, new: &OpShape, changes: &mut Vec<SpecChange>) {
    let op = &new.name;
    if old.name.operation_id != new.name.operation_id {
        changes.push(SpecChange::OperationIdChanged {
            op: op.clone(),
            old: old.name.operation_id.clone(),
        });
    }

    let keys: BTreeSet<_> = old.parameters.keys().chain(new.parameters.keys()).collect();
    for key in keys {
        let (location, name) = (key.0, key.1.clone());
        match (old.parameters.get(key), new.parameters.get(key)) {
            (Some(_), None) => changes.push(SpecChange::ParameterRemoved {
                op: op.clone(),
                location,
                name,
            }),
            (None, Some(&required)) => changes.push(SpecChange::ParameterAdded {
                op: op.clone(),
                location,
                name,
                required,
            }),
            (Some(&was), Some(&required)) if was != required => {
                changes.push(SpecChange::ParameterRequiredChanged {
                    op: op.clone(),
                    location,
                    name,
                    required,
                })
            }
            _ => {}
        }
    }

    let statuses: BTreeSet<_> = old.responses.keys().chain(new.responses.keys()).collect();
    for status in statuses {
        match (old.responses.get(status), new.responses.get(status)) {
            (Some(_), None) => changes.push(SpecChange::ResponseRemoved {
                op: op.clone(),
                status: status.clone(),
            }),
            (None, Some(_)) => changes.push(SpecChange::ResponseAdded {
                op: op.clone(),
                status: status.clone(),
            }),
            (Some(o), Some(n)) => {
                let removed: BTreeSet<String> = o.difference(n).cloned().collect();
                let added: BTreeSet<String> = n.difference(o).cloned().collect();
                for field in removed.iter().filter(|f| !has_ancestor_in(f, &removed)) {
                    changes.push(SpecChange::ResponseFieldRemoved {
                        op: op.clone(),
                        status: status.clone(),
                        field: field.clone(),
                    });
                }
                for field in added.iter().filter(|f| !has_ancestor_in(f, &added)) {
                    changes.push(SpecChange::ResponseFieldAdded {
                        op: op.clone(),
                        status: status.clone(),
                        field: field.clone(),
                    });
                }
            }
            (None, None) => {}
        }
    }
}
