//! API changes between two surfaces of a crate, each classified as breaking
//! or additive for code that uses the crate.
//!
//! A change is breaking when code that compiled and worked against the old
//! crate may fail to compile or fail at run time against the new one: an item
//! it names disappears or changes type, a value it must now supply is new, a
//! `match` it wrote stops being exhaustive. Users construct the structs
//! (request bodies, test fixtures), so a new required field is breaking too.

use std::collections::BTreeMap;

use crate::surface::{Field, Operation, Surface, TypeDef, Variant, code_span as code};

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

/// One classified change, described in the surface's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// Breaking or additive.
    pub impact: Impact,
    /// What changed, e.g. ``struct `Invoice`: added optional field `status` (`Option<String>`)``.
    pub description: String,
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
        let mut diff = ApiDiff::default();
        for_each_key(&old.operations, &new.operations, |name, pair| match pair {
            Pair::Removed(_) => diff.push(
                Impact::Breaking,
                format!("removed operation {}", code(name)),
            ),
            Pair::Added(_) => {
                diff.push(Impact::Additive, format!("added operation {}", code(name)))
            }
            Pair::Both(o, n) => diff.operation(name, o, n),
        });
        for_each_key(
            &old.client_functions,
            &new.client_functions,
            |name, pair| match pair {
                Pair::Removed(_) => diff.push(
                    Impact::Breaking,
                    format!("removed client function {}", code(name)),
                ),
                Pair::Added(sig) => diff.push(
                    Impact::Additive,
                    format!("added client function {}", code(sig)),
                ),
                Pair::Both(o, n) if o != n => diff.push(
                    Impact::Breaking,
                    format!(
                        "client function {} changed from {} to {}",
                        code(name),
                        code(o),
                        code(n)
                    ),
                ),
                Pair::Both(..) => {}
            },
        );
        for_each_key(&old.types, &new.types, |name, pair| match pair {
            Pair::Removed(def) => diff.push(
                Impact::Breaking,
                format!("removed {} {}", def.kind(), code(name)),
            ),
            Pair::Added(def) => diff.push(
                Impact::Additive,
                format!("added {} {}", def.kind(), code(name)),
            ),
            Pair::Both(o, n) => diff.type_def(name, o, n),
        });
        diff
    }

    /// Number of changes with the given impact.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The most severe impact, `None` when nothing changed.
    pub fn impact(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).max()
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

    fn push(&mut self, impact: Impact, description: String) {
        self.changes.push(ApiChange {
            impact,
            description,
        });
    }

    fn operation(&mut self, name: &str, old: &Operation, new: &Operation) {
        let subject = format!("operation {}", code(name));
        let or = |t: &Option<String>, none: &str| {
            t.as_deref().map(code).unwrap_or_else(|| none.to_owned())
        };
        if old.returns != new.returns {
            self.push(
                Impact::Breaking,
                format!(
                    "{subject}: return type changed from {} to {}",
                    or(&old.returns, "nothing"),
                    or(&new.returns, "nothing")
                ),
            );
        }
        if old.error != new.error {
            self.push(
                Impact::Breaking,
                format!(
                    "{subject}: error body changed from {} to {}",
                    or(&old.error, "none"),
                    or(&new.error, "none")
                ),
            );
        }
        for_each_key(&old.parameters, &new.parameters, |param, pair| match pair {
            Pair::Removed(_) => self.push(
                Impact::Breaking,
                format!("{subject}: removed parameter {}", code(param)),
            ),
            Pair::Added(p) if p.required => self.push(
                Impact::Breaking,
                format!(
                    "{subject}: added required parameter {} ({})",
                    code(param),
                    code(&p.ty)
                ),
            ),
            Pair::Added(p) => self.push(
                Impact::Additive,
                format!(
                    "{subject}: added optional parameter {} ({})",
                    code(param),
                    code(&p.ty)
                ),
            ),
            Pair::Both(o, n) => {
                if o.ty != n.ty {
                    self.push(
                        Impact::Breaking,
                        format!(
                            "{subject}: parameter {} changed type from {} to {}",
                            code(param),
                            code(&o.ty),
                            code(&n.ty)
                        ),
                    );
                }
                match (o.required, n.required) {
                    (false, true) => self.push(
                        Impact::Breaking,
                        format!("{subject}: parameter {} became required", code(param)),
                    ),
                    (true, false) => self.push(
                        Impact::Additive,
                        format!("{subject}: parameter {} became optional", code(param)),
                    ),
                    _ => {}
                }
            }
        });
    }

    fn type_def(&mut self, name: &str, old: &TypeDef, new: &TypeDef) {
        match (old, new) {
            (TypeDef::Struct { fields: o }, TypeDef::Struct { fields: n }) => {
                self.fields(name, o, n)
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
            ) => self.variants(name, (*o_open, o), (*n_open, n)),
            (TypeDef::Newtype { inner: o }, TypeDef::Newtype { inner: n }) if o != n => self.push(
                Impact::Breaking,
                format!(
                    "newtype {}: inner type changed from {} to {}",
                    code(name),
                    code(o),
                    code(n)
                ),
            ),
            (TypeDef::Alias { target: o }, TypeDef::Alias { target: n }) if o != n => self.push(
                Impact::Breaking,
                format!(
                    "alias {}: changed from {} to {}",
                    code(name),
                    code(o),
                    code(n)
                ),
            ),
            (o, n) if o.kind() != n.kind() => self.push(
                Impact::Breaking,
                format!(
                    "type {} changed from {} to {}",
                    code(name),
                    o.kind(),
                    n.kind()
                ),
            ),
            _ => {}
        }
    }

    fn fields(&mut self, name: &str, old: &BTreeMap<String, Field>, new: &BTreeMap<String, Field>) {
        let subject = format!("struct {}", code(name));
        for_each_key(old, new, |field, pair| match pair {
            Pair::Removed(_) => self.push(
                Impact::Breaking,
                format!("{subject}: removed field {}", code(field)),
            ),
            Pair::Added(f) if f.required => self.push(
                Impact::Breaking,
                format!(
                    "{subject}: added required field {} ({})",
                    code(field),
                    code(&f.ty)
                ),
            ),
            Pair::Added(f) => self.push(
                Impact::Additive,
                format!(
                    "{subject}: added optional field {} ({})",
                    code(field),
                    code(&f.ty)
                ),
            ),
            Pair::Both(o, n) => {
                if o.ty != n.ty {
                    // The type usually changes with required-ness
                    // (`Option<T>` and `T`): one change, saying both.
                    let now = match (o.required, n.required) {
                        (false, true) => ", now required",
                        (true, false) => ", now optional",
                        _ => "",
                    };
                    self.push(
                        Impact::Breaking,
                        format!(
                            "{subject}: field {} changed type from {} to {}{now}",
                            code(field),
                            code(&o.ty),
                            code(&n.ty)
                        ),
                    );
                } else if o.required != n.required {
                    // Same type (a list or map with a default): only what
                    // deserialization accepts changed.
                    let (impact, became) = if n.required {
                        (Impact::Breaking, "required")
                    } else {
                        (Impact::Additive, "optional")
                    };
                    self.push(
                        impact,
                        format!("{subject}: field {} became {became}", code(field)),
                    );
                }
                if o.wire != n.wire {
                    self.push(
                        Impact::Breaking,
                        format!(
                            "{subject}: field {} changed wire name from {} to {}",
                            code(field),
                            code(o.wire.as_deref().unwrap_or(field)),
                            code(n.wire.as_deref().unwrap_or(field))
                        ),
                    );
                }
            }
        });
    }

    fn variants(
        &mut self,
        name: &str,
        (old_open, old): (bool, &BTreeMap<String, Variant>),
        (new_open, new): (bool, &BTreeMap<String, Variant>),
    ) {
        let subject = format!("enum {}", code(name));
        match (old_open, new_open) {
            (true, false) => self.push(
                Impact::Breaking,
                format!("{subject} became closed: values it does not know now fail to deserialize"),
            ),
            (false, true) => self.push(
                Impact::Breaking,
                format!(
                    "{subject} became open: its new `Unknown` variant breaks exhaustive matches"
                ),
            ),
            _ => {}
        }
        let described = |variant: &str, v: &Variant| match &v.wire {
            Some(wire) => format!("{} ({})", code(variant), code(wire)),
            None => code(variant),
        };
        for_each_key(old, new, |variant, pair| match pair {
            Pair::Removed(v) => self.push(
                Impact::Breaking,
                format!("{subject}: removed variant {}", described(variant, v)),
            ),
            Pair::Added(v) if new_open => self.push(
                Impact::Additive,
                format!("{subject}: added variant {}", described(variant, v)),
            ),
            Pair::Added(v) => self.push(
                Impact::Breaking,
                format!(
                    "{subject}: added variant {} to a closed enum, exhaustive matches break",
                    described(variant, v)
                ),
            ),
            Pair::Both(o, n) => {
                if o.payload != n.payload {
                    let or_none = |p: &Option<String>| {
                        p.as_deref()
                            .map(code)
                            .unwrap_or_else(|| "no data".to_owned())
                    };
                    self.push(
                        Impact::Breaking,
                        format!(
                            "{subject}: variant {} changed data from {} to {}",
                            code(variant),
                            or_none(&o.payload),
                            or_none(&n.payload)
                        ),
                    );
                }
                if o.wire != n.wire {
                    self.push(
                        Impact::Breaking,
                        format!(
                            "{subject}: variant {} changed wire value from {} to {}",
                            code(variant),
                            code(o.wire.as_deref().unwrap_or(variant)),
                            code(n.wire.as_deref().unwrap_or(variant))
                        ),
                    );
                }
            }
        });
    }
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
