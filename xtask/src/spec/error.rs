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
    /// The `operationId` of the operation the place is in, if any.
    pub operation: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// `file` could not be read at all.
    pub fn cannot_read(file: &Path, error: &std::io::Error) -> Self {
        Self {
            file: file.to_owned(),
            place: Place::File,
            operation: None,
            message: format!("cannot read: {error}"),
        }
    }

    /// An error at a JSON pointer in `file`.
    pub fn at(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            place: Place::Pointer(pointer.into()),
            operation: None,
            message: message.into(),
        }
    }

    /// An error about the whole of `file`.
    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            place: Place::File,
            operation: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.place {
            Place::File => write!(f, "{file}")?,
            Place::LineCol(line, col) => write!(f, "{file}:{line}:{col}")?,
            Place::Pointer(p) if p.is_empty() => write!(f, "{file} at the document root")?,
            Place::Pointer(p) => write!(f, "{file} at {p}")?,
        }
        if let Some(operation) = &self.operation {
            write!(f, " (operation {operation})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SpecError {}

/// Every problem found in one run, so that a user fixes them together
/// instead of one per run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "{one}"),
            all => {
                write!(f, "{} problems:", all.len())?;
                for e in all {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SpecErrors {}

impl From<SpecError> for SpecErrors {
    fn from(e: SpecError) -> Self {
        Self(vec![e])
    }
}

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

/// What a pass over a document found: problems that stop generation, and
/// notes on what it changed (each naming the place, so a user can check it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Problems: generation cannot go on with the document as it is.
    pub errors: Vec<Located>,
    /// Changes made to the document that a user may want to know about.
    pub notes: Vec<Located>,
}

impl Findings {
    /// Records a problem at `pointer`.
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Located::new(pointer, message));
    }

    /// Records a change made at `pointer`.
    pub fn note(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Located::new(pointer, message));
    }

    /// Adds what another pass found.
    pub fn extend(&mut self, other: Findings) {
        self.errors.extend(other.errors);
        self.notes.extend(other.notes);
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
            operation: None,
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "a.yaml:3:7: bad");
        let mut e = SpecError::at(Path::new("s.yaml"), "/paths/~1a/get/parameters/0", "dup");
        e.operation = Some("listA".into());
        assert_eq!(
            e.to_string(),
            "s.yaml at /paths/~1a/get/parameters/0 (operation listA): dup"
        );
        let all = SpecErrors(vec![
            e.clone(),
            SpecError::in_file(Path::new("t.yaml"), "x"),
        ]);
        assert_eq!(
            all.to_string(),
            "2 problems:\n  s.yaml at /paths/~1a/get/parameters/0 (operation listA): dup\n  t.yaml: x"
        );
    }
}
