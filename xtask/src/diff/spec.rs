//! What changed between two versions of a vendor's OpenAPI document, in the
//! vendor's terms (methods, paths, parameter and field names as sent on the
//! wire), in the manner of `oasdiff`: operations, parameters, response
//! fields and enum values added or removed.
//!
//! Both documents are the normalised ones the generator reads (overlay
//! applied, OpenAPI 3.0 form), so the summary explains the API diff of the
//! crate generated from them.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use super::enum_values::{EnumLocation, enum_locations};
use super::format::Format;
use super::op_name::{OpName, parameter_location, responses_of};
use super::schema_walk::{SchemaRef, field_paths, has_ancestor_in};
use crate::refs::resolve_component;

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
    /// A value added to an enum.
    EnumValueAdded {
        /// Where the enum is declared, e.g. ``schema `InvoiceStatus` ``.
        location: EnumLocation,
        /// The value.
        value: String,
    },
    /// A value removed from an enum.
    EnumValueRemoved {
        /// Where the enum is declared.
        location: EnumLocation,
        /// The value.
        value: String,
    },
}

impl SpecChange {
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
            SpecChange::EnumValueRemoved { location, value } => {
                format!(
                    "{}: removed enum value {}",
                    location.describe(format),
                    code(value)
                )
            }
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

    let old_enums = enum_locations(old);
    let new_enums = enum_locations(new);
    for (location, new_values) in &new_enums {
        // An enum in a new place comes with a new parameter, field or schema,
        // reported (or visible in the API diff) as such.
        let Some(old_values) = old_enums.get(location) else {
            continue;
        };
        for value in old_values.difference(new_values) {
            changes.push(SpecChange::EnumValueRemoved {
                location: location.clone(),
                value: value.clone(),
            });
        }
        for value in new_values.difference(old_values) {
            changes.push(SpecChange::EnumValueAdded {
                location: location.clone(),
                value: value.clone(),
            });
        }
    }
    changes
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
