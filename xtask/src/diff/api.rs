//! API changes between two surfaces of a crate, each classified as breaking
//! or additive for code that uses the crate.
//!
//! A change is breaking when code that compiled and worked against the old
//! crate may fail to compile or fail at run time against the new one: an item
//! it names disappears or changes type, a value it must now supply is new, a
//! `match` it wrote stops being exhaustive. Users construct the structs
//! (request bodies, test fixtures), so a new required field is breaking too;
//! a new optional field is breaking only on an exhaustive struct, whose
//! literals name every field (generated structs are `#[non_exhaustive]` and
//! made with their builders).

use std::collections::BTreeMap;

use super::format::Format;
use crate::surface::{Field, Operation, Surface, TypeDef, Variant};

/// How a change affects code using the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or behave differently.
    Breaking,
}

impl Impact {
    /// `additive` or `breaking`, as printed in reports.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

/// One change to a crate's API, in the surface's terms. Types are as the
/// surface writes them; `None` for a body type means "no body".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiChange {
    /// A new operation.
    OperationAdded {
        /// Its method name.
        operation: String,
    },
    /// An operation that is gone.
    OperationRemoved {
        /// Its method name.
        operation: String,
    },
    /// An operation's successful response body changed type.
    ReturnTypeChanged {
        /// The operation.
        operation: String,
        /// The type before.
        old: Option<String>,
        /// The type now.
        new: Option<String>,
    },
    /// An operation's documented error body changed type.
    ErrorBodyChanged {
        /// The operation.
        operation: String,
        /// The type before.
        old: Option<String>,
        /// The type now.
        new: Option<String>,
    },
    /// A new parameter.
    ParameterAdded {
        /// The operation.
        operation: String,
        /// The parameter's setter name.
        parameter: String,
        /// Its type.
        ty: String,
        /// Whether `send()` fails without it.
        required: bool,
    },
    /// A parameter that is gone.
    ParameterRemoved {
        /// The operation.
        operation: String,
        /// The parameter.
        parameter: String,
    },
    /// A parameter whose type changed.
    ParameterTypeChanged {
        /// The operation.
        operation: String,
        /// The parameter.
        parameter: String,
        /// The type before.
        old: String,
        /// The type now.
        new: String,
    },
    /// A parameter that became required or optional.
    ParameterRequiredChanged {
        /// The operation.
        operation: String,
        /// The parameter.
        parameter: String,
        /// Whether it is required now.
        required: bool,
    },
    /// An operation that now has `.stream()` (its paging was declared), or
    /// no longer has it, or whose streamed item changed type.
    StreamChanged {
        /// The operation.
        operation: String,
        /// The item type before; `None` when there was no `.stream()`.
        old: Option<String>,
        /// The item type now; `None` when there is none.
        new: Option<String>,
    },
    /// A new client function (a constructor).
    ClientFunctionAdded {
        /// Its signature.
        signature: String,
    },
    /// A client function that is gone.
    ClientFunctionRemoved {
        /// Its name.
        name: String,
    },
    /// A client function whose signature changed.
    ClientFunctionChanged {
        /// Its name.
        name: String,
        /// The signature before.
        old: String,
        /// The signature now.
        new: String,
    },
    /// A new type.
    TypeAdded {
        /// The type's name.
        name: String,
        /// `struct`, `enum`, `newtype` or `alias`.
        kind: &'static str,
    },
    /// A type that is gone.
    TypeRemoved {
        /// The type's name.
        name: String,
        /// `struct`, `enum`, `newtype` or `alias`.
        kind: &'static str,
    },
    /// A type that became another kind of type (a struct became an enum).
    TypeKindChanged {
        /// The type's name.
        name: String,
        /// The kind before.
        old: &'static str,
        /// The kind now.
        new: &'static str,
    },
    /// A newtype that wraps another type.
    NewtypeChanged {
        /// The newtype.
        name: String,
        /// The wrapped type before.
        old: String,
        /// The wrapped type now.
        new: String,
    },
    /// An alias for another type.
    AliasChanged {
        /// The alias.
        name: String,
        /// The aliased type before.
        old: String,
        /// The aliased type now.
        new: String,
    },
    /// A new struct field.
    FieldAdded {
        /// The struct.
        name: String,
        /// The field.
        field: String,
        /// Its type.
        ty: String,
        /// Whether it must be present.
        required: bool,
        /// Whether the struct is `#[non_exhaustive]` (then no literal of it
        /// outside the crate breaks).
        non_exhaustive: bool,
    },
    /// A struct that gained or lost `#[non_exhaustive]`.
    StructExhaustivenessChanged {
        /// The struct.
        name: String,
        /// Whether it is non-exhaustive now.
        non_exhaustive: bool,
    },
    /// A struct field that is gone.
    FieldRemoved {
        /// The struct.
        name: String,
        /// The field.
        field: String,
    },
    /// A field whose type changed (usually with its required-ness: `T` and
    /// `Option<T>`, said in one change).
    FieldTypeChanged {
        /// The struct.
        name: String,
        /// The field.
        field: String,
        /// The type before.
        old: String,
        /// The type now.
        new: String,
        /// Whether it is required now, when that changed too.
        now_required: Option<bool>,
    },
    /// A field of the same type that became required or optional (a list or
    /// map with a default): only what deserialization accepts changed.
    FieldRequiredChanged {
        /// The struct.
        name: String,
        /// The field.
        field: String,
        /// Whether it is required now.
        required: bool,
    },
    /// A field sent under another name on the wire.
    FieldWireChanged {
        /// The struct.
        name: String,
        /// The field.
        field: String,
        /// The wire name before.
        old: String,
        /// The wire name now.
        new: String,
    },
    /// An enum that gained or lost its `Unknown` catch-all.
    EnumOpennessChanged {
        /// The enum.
        name: String,
        /// Whether it is open now.
        open: bool,
    },
    /// A new enum variant.
    VariantAdded {
        /// The enum.
        name: String,
        /// The variant.
        variant: String,
        /// Its wire value, when it differs from the variant's name.
        wire: Option<String>,
        /// Whether the enum is open (then no `match` breaks).
        open: bool,
    },
    /// An enum variant that is gone.
    VariantRemoved {
        /// The enum.
        name: String,
        /// The variant.
        variant: String,
        /// Its wire value, when it differed from the variant's name.
        wire: Option<String>,
    },
    /// A variant that carries other data.
    VariantPayloadChanged {
        /// The enum.
        name: String,
        /// The variant.
        variant: String,
        /// The data before; `None` for none.
        old: Option<String>,
        /// The data now.
        new: Option<String>,
    },
    /// A variant sent as another value on the wire.
    VariantWireChanged {
        /// The enum.
        name: String,
        /// The variant.
        variant: String,
        /// The wire value before.
        old: String,
        /// The wire value now.
        new: String,
    },
}

/// `i64`, `u32`, `usize`...: the types an integer converts between with
/// `TryInto`.
fn is_primitive_integer(ty: &str) -> bool {
    matches!(
        ty,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}

impl ApiChange {
    /// Whether the change can break code that uses the crate: the
    /// classification rule, in one place.
    pub fn impact(&self) -> Impact {
        use ApiChange::*;
        match self {
            OperationAdded { .. }
            | ClientFunctionAdded { .. }
            | TypeAdded { .. }
            | VariantAdded { open: true, .. }
            | StreamChanged { old: None, .. } => Impact::Additive,
            ParameterAdded {
                required: false, ..
            }
            | FieldAdded {
                required: false,
                non_exhaustive: true,
                ..
            }
            | StructExhaustivenessChanged {
                non_exhaustive: false,
                ..
            } => Impact::Additive,
            ParameterRequiredChanged { required, .. } | FieldRequiredChanged { required, .. }
                if !required =>
            {
                Impact::Additive
            }
            // A parameter's setter takes any value that converts with
            // `TryInto` (progenitor's builders), and every primitive integer
            // converts to every other: `.page_size(100u64)` compiles whether
            // the parameter is `u64` or `i64`, as a bound the vendor adds or
            // drops makes it (the spec summary labels a tightened bound).
            ParameterTypeChanged { old, new, .. }
                if is_primitive_integer(old) && is_primitive_integer(new) =>
            {
                Impact::Additive
            }
            _ => Impact::Breaking,
        }
    }

    /// The change in words, names and types set apart as `format` does.
    pub fn describe(&self, format: Format) -> String {
        use ApiChange::*;
        let code = |s: &str| format.code(s);
        let operation_ = |name: &str| format!("operation {}", code(name));
        let struct_ = |name: &str| format!("struct {}", code(name));
        let enum_ = |name: &str| format!("enum {}", code(name));
        let required_word = |required: &bool| if *required { "required" } else { "optional" };
        let variant_with_wire = |variant: &str, wire: &Option<String>| match wire {
            Some(wire) => format!("{} ({})", code(variant), code(wire)),
            None => code(variant),
        };
        match self {
            OperationAdded { operation } => format!("added operation {}", code(operation)),
            OperationRemoved { operation } => format!("removed operation {}", code(operation)),
            ReturnTypeChanged {
                operation,
                old,
                new,
            } => format!(
                "{}: return type changed from {} to {}",
                operation_(operation),
                format.code_or(old.as_deref(), "nothing"),
                format.code_or(new.as_deref(), "nothing")
            ),
            ErrorBodyChanged {
                operation,
                old,
                new,
            } => format!(
                "{}: error body changed from {} to {}",
                operation_(operation),
                format.code_or(old.as_deref(), "none"),
                format.code_or(new.as_deref(), "none")
            ),
            ParameterAdded {
                operation,
                parameter,
                ty,
                required,
            } => format!(
                "{}: added {} parameter {} ({})",
                operation_(operation),
                required_word(required),
                code(parameter),
                code(ty)
            ),
            ParameterRemoved {
                operation,
                parameter,
            } => format!(
                "{}: removed parameter {}",
                operation_(operation),
                code(parameter)
            ),
            ParameterTypeChanged {
                operation,
                parameter,
                old,
                new,
            } => format!(
                "{}: parameter {} changed type from {} to {}",
                operation_(operation),
                code(parameter),
                code(old),
                code(new)
            ),
            ParameterRequiredChanged {
                operation,
                parameter,
                required,
            } => format!(
                "{}: parameter {} became {}",
                operation_(operation),
                code(parameter),
                required_word(required)
            ),
            StreamChanged {
                operation,
                old,
                new,
            } => match (old, new) {
                (None, Some(new)) => format!(
                    "{}: added {} of {}",
                    operation_(operation),
                    code(".stream()"),
                    code(new)
                ),
                (Some(_), None) => {
                    format!("{}: removed {}", operation_(operation), code(".stream()"))
                }
                _ => format!(
                    "{}: {} items changed type from {} to {}",
                    operation_(operation),
                    code(".stream()"),
                    format.code_or(old.as_deref(), "nothing"),
                    format.code_or(new.as_deref(), "nothing")
                ),
            },
            ClientFunctionAdded { signature } => {
                format!("added client function {}", code(signature))
            }
            ClientFunctionRemoved { name } => format!("removed client function {}", code(name)),
            ClientFunctionChanged { name, old, new } => format!(
                "client function {} changed from {} to {}",
                code(name),
                code(old),
                code(new)
            ),
            TypeAdded { name, kind } => format!("added {kind} {}", code(name)),
            TypeRemoved { name, kind } => format!("removed {kind} {}", code(name)),
            TypeKindChanged { name, old, new } => {
                format!("type {} changed from {old} to {new}", code(name))
            }
            NewtypeChanged { name, old, new } => format!(
                "newtype {}: inner type changed from {} to {}",
                code(name),
                code(old),
                code(new)
            ),
            AliasChanged { name, old, new } => format!(
                "alias {}: changed from {} to {}",
                code(name),
                code(old),
                code(new)
            ),
            FieldAdded {
                name,
                field,
                ty,
                required,
                non_exhaustive,
            } => format!(
                "{}: added {} field {} ({}){}",
                struct_(name),
                required_word(required),
                code(field),
                code(ty),
                if *non_exhaustive {
                    ""
                } else {
                    ", struct literals break (the struct is exhaustive)"
                }
            ),
            StructExhaustivenessChanged {
                name,
                non_exhaustive: true,
            } => format!(
                "{} became non-exhaustive: struct literals and exhaustive patterns break, build it with {}",
                struct_(name),
                code(&format!("{name}::builder()"))
            ),
            StructExhaustivenessChanged {
                name,
                non_exhaustive: false,
            } => format!("{} became exhaustive", struct_(name)),
            FieldRemoved { name, field } => {
                format!("{}: removed field {}", struct_(name), code(field))
            }
            FieldTypeChanged {
                name,
                field,
                old,
                new,
                now_required,
            } => format!(
                "{}: field {} changed type from {} to {}{}",
                struct_(name),
                code(field),
                code(old),
                code(new),
                now_required
                    .map(|r| format!(", now {}", required_word(&r)))
                    .unwrap_or_default()
            ),
            FieldRequiredChanged {
                name,
                field,
                required,
            } => format!(
                "{}: field {} became {}",
                struct_(name),
                code(field),
                required_word(required)
            ),
            FieldWireChanged {
                name,
                field,
                old,
                new,
            } => format!(
                "{}: field {} changed wire name from {} to {}",
                struct_(name),
                code(field),
                code(old),
                code(new)
            ),
            EnumOpennessChanged { name, open: false } => format!(
                "{} became closed: values it does not know now fail to deserialize",
                enum_(name)
            ),
            EnumOpennessChanged { name, open: true } => format!(
                "{} became open: its new {} variant breaks exhaustive matches",
                enum_(name),
                code("Unknown")
            ),
            VariantAdded {
                name,
                variant,
                wire,
                open: true,
            } => format!(
                "{}: added variant {}",
                enum_(name),
                variant_with_wire(variant, wire)
            ),
            VariantAdded {
                name,
                variant,
                wire,
                open: false,
            } => format!(
                "{}: added variant {} to a closed enum, exhaustive matches break",
                enum_(name),
                variant_with_wire(variant, wire)
            ),
            VariantRemoved {
                name,
                variant,
                wire,
            } => format!(
                "{}: removed variant {}",
                enum_(name),
                variant_with_wire(variant, wire)
            ),
            VariantPayloadChanged {
                name,
                variant,
                old,
                new,
            } => format!(
                "{}: variant {} changed data from {} to {}",
                enum_(name),
                code(variant),
                format.code_or(old.as_deref(), "no data"),
                format.code_or(new.as_deref(), "no data")
            ),
            VariantWireChanged {
                name,
                variant,
                old,
                new,
            } => format!(
                "{}: variant {} changed wire value from {} to {}",
                enum_(name),
                code(variant),
                code(old),
                code(new)
            ),
        }
    }
}

/// All API changes between two surfaces, in surface order (operations,
/// client functions, types; by name within each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The changes.
    pub changes: Vec<ApiChange>,
}

impl ApiDiff {
    /// Compares the surface at the base revision with the current one.
    pub fn between(old: &Surface, new: &Surface) -> Self {
        let mut changes = Vec::new();
        for_each_key(&old.operations, &new.operations, |name, pair| match pair {
            Pair::Removed(_) => changes.push(ApiChange::OperationRemoved {
                operation: name.to_owned(),
            }),
            Pair::Added(_) => changes.push(ApiChange::OperationAdded {
                operation: name.to_owned(),
            }),
            Pair::Both(o, n) => operation(name, o, n, &mut changes),
        });
        for_each_key(
            &old.client_functions,
            &new.client_functions,
            |name, pair| match pair {
                Pair::Removed(_) => changes.push(ApiChange::ClientFunctionRemoved {
                    name: name.to_owned(),
                }),
                Pair::Added(signature) => changes.push(ApiChange::ClientFunctionAdded {
                    signature: signature.clone(),
                }),
                Pair::Both(o, n) if o != n => changes.push(ApiChange::ClientFunctionChanged {
                    name: name.to_owned(),
                    old: o.clone(),
                    new: n.clone(),
                }),
                Pair::Both(..) => {}
            },
        );
        for_each_key(&old.types, &new.types, |name, pair| match pair {
            Pair::Removed(def) => changes.push(ApiChange::TypeRemoved {
                name: name.to_owned(),
                kind: def.kind(),
            }),
            Pair::Added(def) => changes.push(ApiChange::TypeAdded {
                name: name.to_owned(),
                kind: def.kind(),
            }),
            Pair::Both(o, n) => type_def(name, o, n, &mut changes),
        });
        ApiDiff { changes }
    }

    /// Number of changes with the given impact.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact() == impact).count()
    }

    /// The most severe impact, `None` when nothing changed.
    pub fn impact(&self) -> Option<Impact> {
        self.changes.iter().map(ApiChange::impact).max()
    }

    /// `2 additive, 1 breaking`, or `no API change`.
    pub fn counts_text(&self) -> String {
        let parts: Vec<String> = [Impact::Additive, Impact::Breaking]
            .into_iter()
            .map(|impact| (self.count(impact), impact))
            .filter(|(n, _)| *n > 0)
            .map(|(n, impact)| format!("{n} {}", impact.label()))
            .collect();
        if parts.is_empty() {
            "no API change".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

fn operation(name: &str, old: &Operation, new: &Operation, changes: &mut Vec<ApiChange>) {
    let operation = || name.to_owned();
    if old.returns != new.returns {
        changes.push(ApiChange::ReturnTypeChanged {
            operation: operation(),
            old: old.returns.clone(),
            new: new.returns.clone(),
        });
    }
    if old.error != new.error {
        changes.push(ApiChange::ErrorBodyChanged {
            operation: operation(),
            old: old.error.clone(),
            new: new.error.clone(),
        });
    }
    if old.streams != new.streams {
        changes.push(ApiChange::StreamChanged {
            operation: operation(),
            old: old.streams.clone(),
            new: new.streams.clone(),
        });
    }
    for_each_key(&old.parameters, &new.parameters, |param, pair| {
        let parameter = param.to_owned();
        match pair {
            Pair::Removed(_) => changes.push(ApiChange::ParameterRemoved {
                operation: operation(),
                parameter,
            }),
            Pair::Added(p) => changes.push(ApiChange::ParameterAdded {
                operation: operation(),
                parameter,
                ty: p.ty.clone(),
                required: p.required,
            }),
            Pair::Both(o, n) => {
                if o.ty != n.ty {
                    changes.push(ApiChange::ParameterTypeChanged {
                        operation: operation(),
                        parameter: parameter.clone(),
                        old: o.ty.clone(),
                        new: n.ty.clone(),
                    });
                }
                if o.required != n.required {
                    changes.push(ApiChange::ParameterRequiredChanged {
                        operation: operation(),
                        parameter,
                        required: n.required,
                    });
                }
            }
        }
    });
}

fn type_def(name: &str, old: &TypeDef, new: &TypeDef, changes: &mut Vec<ApiChange>) {
    let name = name.to_owned();
    match (old, new) {
        (
            TypeDef::Struct {
                non_exhaustive: o_growable,
                fields: o,
            },
            TypeDef::Struct {
                non_exhaustive: n_growable,
                fields: n,
            },
        ) => {
            if o_growable != n_growable {
                changes.push(ApiChange::StructExhaustivenessChanged {
                    name: name.clone(),
                    non_exhaustive: *n_growable,
                });
            }
            fields(&name, *n_growable, o, n, changes)
        }
        (
            TypeDef::Enum {
                open: o_open,
                variants: o,
            },
            TypeDef::Enum {
                open: n_open,
                variants: n,
            },
        ) => variants(&name, (*o_open, o), (*n_open, n), changes),
        (TypeDef::Newtype { inner: o }, TypeDef::Newtype { inner: n }) if o != n => {
            changes.push(ApiChange::NewtypeChanged {
                name,
                old: o.clone(),
                new: n.clone(),
            })
        }
        (TypeDef::Alias { target: o }, TypeDef::Alias { target: n }) if o != n => {
            changes.push(ApiChange::AliasChanged {
                name,
                old: o.clone(),
                new: n.clone(),
            })
        }
        (o, n) if o.kind() != n.kind() => changes.push(ApiChange::TypeKindChanged {
            name,
            old: o.kind(),
            new: n.kind(),
        }),
        _ => {}
    }
}

fn fields(
    name: &str,
    non_exhaustive: bool,
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    changes: &mut Vec<ApiChange>,
) {
    for_each_key(old, new, |field, pair| {
        let (name, field) = (name.to_owned(), field.to_owned());
        match pair {
            Pair::Removed(_) => changes.push(ApiChange::FieldRemoved { name, field }),
            Pair::Added(f) => changes.push(ApiChange::FieldAdded {
                name,
                field,
                ty: f.ty.clone(),
                required: f.required,
                non_exhaustive,
            }),
            Pair::Both(o, n) => {
                if o.ty != n.ty {
                    changes.push(ApiChange::FieldTypeChanged {
                        name: name.clone(),
                        field: field.clone(),
                        old: o.ty.clone(),
                        new: n.ty.clone(),
                        now_required: (o.required != n.required).then_some(n.required),
                    });
                } else if o.required != n.required {
                    changes.push(ApiChange::FieldRequiredChanged {
                        name: name.clone(),
                        field: field.clone(),
                        required: n.required,
                    });
                }
                if o.wire != n.wire {
                    changes.push(ApiChange::FieldWireChanged {
                        old: o.wire.clone().unwrap_or_else(|| field.clone()),
                        new: n.wire.clone().unwrap_or_else(|| field.clone()),
                        name,
                        field,
                    });
                }
            }
        }
    });
}

fn variants(
    name: &str,
    (old_open, old): (bool, &BTreeMap<String, Variant>),
    (new_open, new): (bool, &BTreeMap<String, Variant>),
    changes: &mut Vec<ApiChange>,
) {
    if old_open != new_open {
        changes.push(ApiChange::EnumOpennessChanged {
            name: name.to_owned(),
            open: new_open,
        });
    }
    for_each_key(old, new, |variant, pair| {
        let (name, variant) = (name.to_owned(), variant.to_owned());
        match pair {
            Pair::Removed(v) => changes.push(ApiChange::VariantRemoved {
                name,
                variant,
                wire: v.wire.clone(),
            }),
            Pair::Added(v) => changes.push(ApiChange::VariantAdded {
                name,
                variant,
                wire: v.wire.clone(),
                open: new_open,
            }),
            Pair::Both(o, n) => {
                if o.payload != n.payload {
                    changes.push(ApiChange::VariantPayloadChanged {
                        name: name.clone(),
                        variant: variant.clone(),
                        old: o.payload.clone(),
                        new: n.payload.clone(),
                    });
                }
                if o.wire != n.wire {
                    changes.push(ApiChange::VariantWireChanged {
                        old: o.wire.clone().unwrap_or_else(|| variant.clone()),
                        new: n.wire.clone().unwrap_or_else(|| variant.clone()),
                        name,
                        variant,
                    });
                }
            }
        }
    });
}

/// An entry present on one side of a comparison or both.
enum Pair<'a, V> {
    Removed(&'a V),
    Added(&'a V),
    Both(&'a V, &'a V),
}

/// Calls `f` for every key of `old` and `new`, in key order.
fn for_each_key<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
    mut f: impl FnMut(&'a str, Pair<'a, V>),
) {
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let pair = match (old.get(key), new.get(key)) {
            (Some(o), Some(n)) => Pair::Both(o, n),
            (Some(o), None) => Pair::Removed(o),
            (None, Some(n)) => Pair::Added(n),
            (None, None) => continue,
        };
        f(key, pair);
    }
}
