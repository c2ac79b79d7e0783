//! Reading a surface file back into a [`Surface`].

use std::collections::BTreeMap;
use std::fmt;

use super::model::{Field, Operation, Parameter, Surface, TypeDef, Variant};
use super::text::{CLIENT, ERRORS, OPERATIONS, TYPES};

/// Splits a line into its text with each code span replaced by `{}`, and
/// the code spans' contents.
fn split_code(line: &str) -> Result<(String, Vec<String>), String> {
    let mut skeleton = String::new();
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        skeleton.push_str(&rest[..start]);
        let after = &rest[start..];
        let fence_len = after.len() - after.trim_start_matches('`').len();
        let body = &after[fence_len..];
        let close =
            find_fence(body, fence_len).ok_or_else(|| format!("unclosed code span in `{line}`"))?;
        let mut content = &body[..close];
        if content.len() >= 2 && content.starts_with(' ') && content.ends_with(' ') {
            content = &content[1..content.len() - 1];
        }
        spans.push(content.to_owned());
        skeleton.push_str("{}");
        rest = &body[close + fence_len..];
    }
    skeleton.push_str(rest);
    Ok((skeleton, spans))
}

/// Position of the first run of exactly `len` backticks in `s`.
fn find_fence(s: &str, len: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Section {
    #[default]
    Intro,
    Operations,
    Client,
    Types,
    Errors,
}

#[derive(Default)]
pub(super) struct Parser {
    crate_name: Option<String>,
    section: Section,
    operations: BTreeMap<String, Operation>,
    client_functions: BTreeMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    current_operation: Option<String>,
    current_type: Option<String>,
}

impl Parser {
    pub(super) fn parse(mut self, text: &str) -> Result<Surface, ParseError> {
        for (index, line) in text.lines().enumerate() {
            self.line(line).map_err(|message| ParseError {
                line: index + 1,
                message,
            })?;
        }
        let crate_name = self.crate_name.ok_or_else(|| ParseError {
            line: 1,
            message: "missing the title line (# `<crate>` API surface)".to_owned(),
        })?;
        Ok(Surface {
            crate_name,
            operations: self.operations,
            client_functions: self.client_functions,
            types: self.types,
        })
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let section = match line {
            OPERATIONS => Some(Section::Operations),
            CLIENT => Some(Section::Client),
            TYPES => Some(Section::Types),
            ERRORS => Some(Section::Errors),
            _ => None,
        };
        if let Some(section) = section {
            self.section = section;
            return Ok(());
        }
        let (skeleton, mut spans) = split_code(line)?;
        if self.section == Section::Intro {
            if skeleton == "# {} API surface" {
                self.crate_name = spans.pop();
            }
            return Ok(());
        }
        if line == "None." {
            return Ok(());
        }
        match self.section {
            Section::Intro => Ok(()),
            Section::Operations => self.operation_line(&skeleton, spans),
            Section::Client => match (skeleton.as_str(), spans.as_slice()) {
                ("- {}", [sig]) => {
                    let name = sig.split('(').next().unwrap_or_default().to_owned();
                    self.client_functions.insert(name, sig.clone());
                    Ok(())
                }
                _ => Err(format!("expected a client function, found `{line}`")),
            },
            Section::Types => self.type_line(&skeleton, spans),
            Section::Errors if skeleton.starts_with("- {}: error body of {}") => Ok(()),
            Section::Errors => Err(format!("expected an error type, found `{line}`")),
        }
    }

    fn operation_line(&mut self, skeleton: &str, spans: Vec<String>) -> Result<(), String> {
        let mut spans = spans.into_iter();
        let mut next = || spans.next().unwrap_or_default();
        let (returns, error) = match skeleton {
            "- {} returns {}, error body {}" => {
                let name = next();
                self.start_operation(name, Some(next()), Some(next()));
                return Ok(());
            }
            "- {} returns nothing, error body {}" => (false, true),
            "- {} returns {}, no error body" => (true, false),
            "- {} returns nothing, no error body" => (false, false),
            "  - streams {}" => {
                let op = self
                    .current_operation
                    .as_ref()
                    .and_then(|name| self.operations.get_mut(name))
                    .ok_or("`streams` outside an operation")?;
                op.streams = Some(next());
                return Ok(());
            }
            "  - parameter {}: {}, required" | "  - parameter {}: {}, optional" => {
                let op = self
                    .current_operation
                    .as_ref()
                    .and_then(|name| self.operations.get_mut(name))
                    .ok_or("parameter outside an operation")?;
                let name = next();
                op.parameters.insert(
                    name,
                    Parameter {
                        ty: next(),
                        required: skeleton.ends_with("required"),
                    },
                );
                return Ok(());
            }
            _ => {
                return Err(format!(
                    "expected an operation or parameter, found `{skeleton}`"
                ));
            }
        };
        let name = next();
        let returns = returns.then(&mut next);
        let error = error.then(&mut next);
        self.start_operation(name, returns, error);
        Ok(())
    }

    fn start_operation(&mut self, name: String, returns: Option<String>, error: Option<String>) {
        self.operations.insert(
            name.clone(),
            Operation {
                returns,
                error,
                parameters: BTreeMap::new(),
                streams: None,
            },
        );
        self.current_operation = Some(name);
    }

    fn type_line(&mut self, skeleton: &str, spans: Vec<String>) -> Result<(), String> {
        let mut spans = spans.into_iter();
        let mut next = || spans.next().unwrap_or_default();
        let new_type = match skeleton {
            // Surfaces written before structs could be non-exhaustive have
            // only the first form, which still means exhaustive.
            "- struct {}" | "- struct {} (non-exhaustive)" => Some((
                next(),
                TypeDef::Struct {
                    non_exhaustive: skeleton.ends_with("(non-exhaustive)"),
                    fields: BTreeMap::new(),
                },
            )),
            "- enum {} (open)" | "- enum {} (closed)" => Some((
                next(),
                TypeDef::Enum {
                    open: skeleton.ends_with("(open)"),
                    variants: BTreeMap::new(),
                },
            )),
            "- newtype {} of {}" => {
                let name = next();
                Some((name, TypeDef::Newtype { inner: next() }))
            }
            "- alias {} = {}" => {
                let name = next();
                Some((name, TypeDef::Alias { target: next() }))
            }
            _ => None,
        };
        if let Some((name, def)) = new_type {
            self.types.insert(name.clone(), def);
            self.current_type = Some(name);
            return Ok(());
        }

        let current = self
            .current_type
            .as_ref()
            .and_then(|name| self.types.get_mut(name))
            .ok_or_else(|| format!("expected a type, found `{skeleton}`"))?;
        match (skeleton, current) {
            (
                "  - field {}: {}, required"
                | "  - field {}: {}, optional"
                | "  - field {} ({}): {}, required"
                | "  - field {} ({}): {}, optional",
                TypeDef::Struct { fields, .. },
            ) => {
                let name = next();
                let wire = skeleton.contains("({})").then(&mut next);
                fields.insert(
                    name,
                    Field {
                        ty: next(),
                        wire,
                        required: skeleton.ends_with("required"),
                    },
                );
                Ok(())
            }
            (
                "  - variant {}"
                | "  - variant {} ({})"
                | "  - variant {}: {}"
                | "  - variant {} ({}): {}",
                TypeDef::Enum { variants, .. },
            ) => {
                let name = next();
                let wire = skeleton.contains("({})").then(&mut next);
                let payload = skeleton.ends_with(": {}").then(&mut next);
                variants.insert(name, Variant { wire, payload });
                Ok(())
            }
            (_, def) => Err(format!("`{skeleton}` does not belong to a {}", def.kind())),
        }
    }
}

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
