//! Decoding JSON with the path of the value that failed.

use std::fmt;

use serde::de::DeserializeOwned;

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
/// The common case costs what `serde_json::from_slice` costs: only a body
/// that fails is decoded again with `serde_path_to_error` to find the path.
pub fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(body).map_err(|err| locate::<T>(body, err))
}

/// `err` (from decoding `body` as `T`) with the path of the failing value.
fn locate<T: DeserializeOwned>(body: &[u8], err: serde_json::Error) -> DecodeError {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, err) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(located) => {
            let path = located.path().to_string();
            (Some(path).filter(|p| p != "."), located.into_inner())
        }
        // Only trailing characters fail after a whole value: no path.
        Ok(_) => (None, err),
    };
    let position = format!(" at line {} column {}", err.line(), err.column());
    let text = err.to_string();
    let message = text.strip_suffix(&position).unwrap_or(&text);
    DecodeError {
        path,
        message: bounded(message).into_owned(),
        line: err.line(),
        column: err.column(),
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
