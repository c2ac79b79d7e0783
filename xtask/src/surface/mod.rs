//! The public-API surface of a generated client crate (`crates/<provider>/API.md`).
//!
//! The surface lists every item a user of the crate can name: the operations
//! with their parameters, return and error types, the client's own functions,
//! and every type in `types` with its fields or variants. It is written as a
//! Markdown file, one line per item, sorted by name within each section, with
//! no timestamps or hashes, so that a change to the API is a readable change
//! to the file in review.
//!
//! The same text is also the data `cargo xtask diff` compares: [`parse`]
//! reads it back into a [`Surface`], so the side of a comparison taken from
//! an older revision is simply `git show REV:crates/<provider>/API.md`.

mod from_code;
mod parse;
mod text;
mod type_text;

use parse::*;
pub use text::code;
use text::*;
use type_text::*;

use std::collections::BTreeMap;
use std::fmt;

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

/// The generated code does not have the shape progenitor gives it, so its
/// surface cannot be listed faithfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceError(pub String);

impl fmt::Display for SurfaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot list the API surface: {}", self.0)
    }
}

impl std::error::Error for SurfaceError {}

/// A surface file that does not follow the format [`Surface::render`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong with the line.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API surface line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Renders the surface file of the crate `crate_name` generated as `file`.
pub fn render(crate_name: &str, file: &syn::File) -> Result<String, SurfaceError> {
    Ok(Surface::from_file(crate_name, file)?.render())
}

/// Reads a surface file back into the model it was rendered from.
pub fn parse(text: &str) -> Result<Surface, ParseError> {
    Parser::default().parse(text)
}
