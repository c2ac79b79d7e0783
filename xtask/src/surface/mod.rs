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
mod model;
mod parse;
mod text;
mod type_text;

pub use from_code::SurfaceError;
pub use model::{Field, Operation, Parameter, Surface, TypeDef, Variant};
pub use parse::ParseError;
pub use text::code_span;

/// Renders the surface file of the crate `crate_name` generated as `file`.
pub fn render(crate_name: &str, file: &syn::File) -> Result<String, SurfaceError> {
    Ok(Surface::from_file(crate_name, file)?.render())
}

/// Reads a surface file back into the model it was rendered from.
pub fn parse(text: &str) -> Result<Surface, ParseError> {
    parse::Parser::default().parse(text)
}
