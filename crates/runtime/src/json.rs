//! Decoding JSON with the path of the value that failed.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::json_path::{Redecode, path_at, without_position};
use crate::quote::bounded;

/// A body that is not the JSON expected: what failed and where, as a JSON
/// path (`data[3].amount`) and a line and column.
///
/// Display: ``at `data[3].amount`: invalid type: string "x", expected a
/// number at line 1 column 57``. The message is cut to about 1 KiB (serde
/// quotes the offending value).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The path of the value that failed, `None` for the document itself.
    pub path: Option<String>,
    /// serde's message, without the position.
    pub message: String,
    /// The line of the failure, from 1.
    pub line: usize,
    /// The column of the failure, from 1.
    pub column: usize,
}

/// Decodes `body` as `T`, naming the JSON path of the value that fails.
///
/// It costs what `serde_json::from_slice` costs, and compiles only that
/// decoder for `T`: the path is read from the text at the error's position,
/// named as `serde_path_to_error` names it (a failing body may be decoded
/// once more, without its last `}` or `]`, to tell an object's error from
/// its last member's).
pub fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(body).map_err(|err| {
        DecodeError::new(body, &err, &|text| serde_json::from_slice::<T>(text).err())
    })
}

impl DecodeError {
    /// `err`, from decoding `body` as the type `redecode` decodes, with
    /// the path of the failing value.
    fn new(body: &[u8], err: &serde_json::Error, redecode: Redecode<'_>) -> DecodeError {
        DecodeError {
            path: path_at(body, err, redecode),
            message: bounded(&without_position(err)).into_owned(),
            line: err.line(),
            column: err.column(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "at `{path}`: ")?;
        }
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // Only decoding matters.
    struct Page {
        data: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u64,
        amount: f32,
    }

    fn error(body: &str) -> DecodeError {
        from_slice::<Page>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn names_the_path_of_the_failing_value() {
        let err = error(r#"{"data": [{"id": 1, "amount": 2}, {"id": 2, "amount": "x"}]}"#);
        assert_eq!(err.path.as_deref(), Some("data[1].amount"));
        assert_eq!(
            err.to_string(),
            r#"at `data[1].amount`: invalid type: string "x", expected f32 at line 1 column 57"#
        );
        let missing = error(r#"{"data": [{"id": 1}]}"#);
        assert_eq!(missing.path.as_deref(), Some("data[0]"));
        assert!(missing.message.starts_with("missing field `amount`"));
    }

    #[test]
    fn document_level_failures_have_no_path() {
        let err = error("<html>");
        assert_eq!(err.path, None);
        assert_eq!(err.to_string(), "expected value at line 1 column 1");
        let trailing = error(r#"{"data": []} x"#);
        assert_eq!(trailing.path, None);
        assert!(trailing.message.starts_with("trailing characters"));
    }

    #[test]
    fn long_values_are_cut_from_the_message() {
        let body = format!(r#"{{"data": [{{"id": "{}"}}]}}"#, "x".repeat(100_000));
        let err = error(&body);
        assert!(err.message.len() < 1100, "{}", err.message.len());
    }
}
