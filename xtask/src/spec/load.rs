//! Pass 1, load: read a YAML or JSON document into a JSON value.

use std::path::Path;

use serde_json::{Map, Value};

use crate::spec::error::{Place, SpecError};

/// Reads and parses `path`. JSON is chosen by the `.json` extension, YAML
/// otherwise (YAML is a superset of JSON, but JSON errors read better).
pub fn load(path: &Path) -> Result<Value, SpecError> {
    let bytes = std::fs::read(path).map_err(|e| SpecError::cannot_read(path, &e))?;
    parse(path, &bytes)
}

/// Parses bytes read from `path` (the path only names the format and errors).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value, SpecError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SpecError {
        file: path.to_owned(),
        place: Place::File,
        operation: None,
        message: format!("not UTF-8: {e}"),
    })?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).map_err(|e| SpecError {
            file: path.to_owned(),
            place: Place::LineCol(e.line(), e.column()),
            operation: None,
            message: format!("invalid JSON: {e}"),
        })
    } else {
        let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
            let place = e
                .location()
                .map_or(Place::File, |l| Place::LineCol(l.line(), l.column()));
            SpecError {
                file: path.to_owned(),
                place,
                operation: None,
                message: format!("invalid YAML: {e}"),
            }
        })?;
        yaml_to_json(yaml, "").map_err(|l| l.in_file(path))
    }
}

/// YAML allows what JSON does not (non-string keys, tags, non-finite
/// floats); OpenAPI documents are JSON data, so those are errors.
fn yaml_to_json(
    yaml: serde_norway::Value,
    pointer: &str,
) -> Result<Value, crate::spec::error::Located> {
    use crate::spec::error::{Located, push_token};
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Located::new(pointer, format!("number {n} has no JSON form")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &push_token(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Located::new(
                            pointer,
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                let child = yaml_to_json(v, &push_token(pointer, &key))?;
                out.insert(key, child);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            return Err(Located::new(
                pointer,
                format!("YAML tag {} is not supported", t.tag),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yaml_and_json_keeping_key_order() {
        let v = parse(Path::new("a.yaml"), b"b: 1\na: [x, 2]\n200: ok\n").unwrap();
        assert_eq!(v.to_string(), r#"{"b":1,"a":["x",2],"200":"ok"}"#);
        let v = parse(Path::new("a.json"), br#"{"z": null, "y": 1.5}"#).unwrap();
        assert_eq!(v.to_string(), r#"{"z":null,"y":1.5}"#);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse(Path::new("s.yaml"), b"a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(matches!(e.place, Place::LineCol(_, _)), "{e}");
        assert!(e.to_string().starts_with("s.yaml:"), "{e}");
        let e = parse(Path::new("s.json"), b"{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(e.place, Place::LineCol(3, 1), "{e}");
    }

    #[test]
    fn unreadable_file_is_named() {
        let e = load(Path::new("/nonexistent/spec.yaml")).unwrap_err();
        assert_eq!(e.place, Place::File);
        assert!(
            e.to_string()
                .contains("/nonexistent/spec.yaml: cannot read"),
            "{e}"
        );
    }

    #[test]
    fn yaml_tags_are_rejected_with_a_pointer() {
        let e = parse(Path::new("t.yaml"), b"a:\n  b: !custom 1\n").unwrap_err();
        assert_eq!(e.place, Place::Pointer("/a/b".into()), "{e}");
    }
}
