//! The surface as data: what [`super::render`] writes and [`super::parse`]
//! reads back.

use std::collections::BTreeMap;

/// Everything a user of one generated crate can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    /// The crate (provider) name, e.g. `sendcloud-v3`.
    pub crate_name: String,
    /// Operations by method name (`client.list_invoices()`).
    pub operations: BTreeMap<String, Operation>,
    /// The client's other public functions (constructors), by name, with
    /// their signature as shown in the surface.
    pub client_functions: BTreeMap<String, String>,
    /// Types in the crate's `types` module, by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// One API call: `client.<name>()`, parameter setters, then `.send()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Type of the successful response body; `None` when there is none.
    pub returns: Option<String>,
    /// Type of the documented error response body; `None` when there is none.
    pub error: Option<String>,
    /// Parameters by setter name.
    pub parameters: BTreeMap<String, Parameter>,
    /// The item type of `.stream()`, for an operation declared paged.
    pub streams: Option<String>,
}

/// A parameter of an operation, set with `.<name>(value)` on its builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The type the setter converts its argument into.
    pub ty: String,
    /// Whether `send()` fails when the parameter was not set.
    pub required: bool,
}

/// A type in the crate's `types` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// A struct with named fields.
    Struct {
        /// Whether the struct is `#[non_exhaustive]`: code outside the crate
        /// cannot write a literal of it, so a new optional field breaks
        /// nothing.
        non_exhaustive: bool,
        /// Public fields by Rust name.
        fields: BTreeMap<String, Field>,
    },
    /// An enum.
    Enum {
        /// Whether the enum has the `Unknown(String)` catch-all, so values
        /// the crate does not know yet deserialize instead of failing.
        open: bool,
        /// Variants by Rust name, without the catch-all.
        variants: BTreeMap<String, Variant>,
    },
    /// A tuple struct wrapping one value (constrained strings, timestamps).
    Newtype {
        /// The wrapped type.
        inner: String,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        target: String,
    },
}

impl TypeDef {
    /// The word the surface uses for this kind of type.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeDef::Struct { .. } => "struct",
            TypeDef::Enum { .. } => "enum",
            TypeDef::Newtype { .. } => "newtype",
            TypeDef::Alias { .. } => "alias",
        }
    }
}

/// A public field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's Rust type.
    pub ty: String,
    /// The vendor's name for the field when it differs from the Rust name.
    pub wire: Option<String>,
    /// Whether the field must be present when deserializing.
    pub required: bool,
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The vendor's value for the variant when it differs from the Rust name.
    pub wire: Option<String>,
    /// The data the variant carries (`i64`, `{ r: f64 }`), if any.
    pub payload: Option<String>,
}
