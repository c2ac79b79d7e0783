//! Errors that name the input file and the place in it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The whole file (it could not be read).
    File,
    /// 1-based line and column, for syntax errors.
    LineCol(usize, usize),
    /// A JSON pointer into the document (RFC 6901), for structural errors.
    Pointer(String),
}

/// An error in a spec, overlay or manifest, naming the file and the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the error is in.
    pub file: PathBuf,
    /// Where in the file.
    pub place: Place,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// `file` could not be read at all.
    pub fn cannot_read(file: &Path, error: &std::io::Error) -> Self {
        Self {
            file: file.to_owned(),
            place: Place::File,
            message: format!("cannot read: {error}"),
        }
    }

    /// An error at a JSON pointer in `file`.
    pub fn at(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            place: Place::Pointer(pointer.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.place {
            Place::File => write!(f, "{file}: {}", self.message),
            Place::LineCol(line, col) => write!(f, "{file}:{line}:{col}: {}", self.message),
            Place::Pointer(p) if p.is_empty() => {
                write!(f, "{file} at the document root: {}", self.message)
            }
            Place::Pointer(p) => write!(f, "{file} at {p}: {}", self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// A structural problem found by a pass working on a JSON value, before the
/// pipeline knows which file the value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// JSON pointer to the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl Located {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// Attaches the file the value came from.
    pub fn in_file(self, file: &Path) -> SpecError {
        SpecError::at(file, self.pointer, self.message)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_token(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(push_token("/paths", "/user/{id}"), "/paths/~1user~1{id}");
        assert_eq!(push_token("", "a~b"), "/a~0b");
    }

    #[test]
    fn display_names_file_and_place() {
        let e = SpecError::at(
            Path::new("specs/x.yaml"),
            "/paths/~1a/get",
            "missing operationId",
        );
        assert_eq!(
            e.to_string(),
            "specs/x.yaml at /paths/~1a/get: missing operationId"
        );
        let e = SpecError {
            file: "a.yaml".into(),
            place: Place::LineCol(3, 7),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "a.yaml:3:7: bad");
    }
}
