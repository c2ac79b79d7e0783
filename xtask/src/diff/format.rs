//! The two output formats of `cargo xtask diff`, and how a name or type is
//! set apart in each: every change and report is written through
//! [`Format::code`], so the text output has no Markdown in it.

use crate::surface::code_span;

/// Output format of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Indented plain text.
    #[default]
    Text,
    /// A Markdown block for a pull request description.
    Markdown,
}

impl Format {
    /// A name, type or value as this format shows it: as is in text, a code
    /// span in Markdown.
    pub fn code(self, s: &str) -> String {
        match self {
            Format::Text => s.to_owned(),
            Format::Markdown => code_span(s),
        }
    }

    /// [`Format::code`] of an optional value, `none` standing in for it.
    pub fn code_or(self, s: Option<&str>, none: &str) -> String {
        s.map_or_else(|| none.to_owned(), |s| self.code(s))
    }
}
