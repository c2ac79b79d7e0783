//! The JSON path of the value a `serde_json` error is about, read from the
//! text at the error's position: `data[3].amount`.
//!
//! Why not `serde_path_to_error`, which names the same path: it finds it by
//! decoding the body again through a tracking deserializer, so every type a
//! crate decodes has its `Deserialize` compiled a second time, for that
//! deserializer. In a generated crate that copy was a third of the machine
//! code built. The position serde_json reports is nearly enough: one pass
//! over the text up to it, which knows no type. No crate does this.
//!
//! The path is the one `serde_path_to_error` gives (`tests/json_path_model.rs`
//! decodes random broken documents both ways), with two differences that
//! never name another place:
//! - broken JSON inside a value serde skips (an unknown member) is named
//!   where it is, not at the member;
//! - an enum written as an object (`{"Variant": ...}`) is an object to the
//!   text: a key that is no variant is named as a key of it (`unit.Bogus`),
//!   a variant's content that does not fit at the enum (`unit`, not
//!   `unit.Weight`).

use serde_json::error::Category;

/// Decodes a text as the type being decoded, for its error: what
/// [`path_at`] calls to tell an object's own error from its last member's.
pub(crate) type Redecode<'a> = &'a dyn Fn(&[u8]) -> Option<serde_json::Error>;

/// The path of the value `error` (from decoding `text` as a type, which
/// `redecode` decodes again) is about, written as `serde_path_to_error`
/// writes paths; `None` for the document itself.
pub(crate) fn path_at(
    text: &[u8],
    error: &serde_json::Error,
    redecode: Redecode<'_>,
) -> Option<String> {
    let end = offset(text, error.line(), error.column())?;
    // serde_json does not expose its error codes: its messages (and
    // serde's) are the stable part of what it reports.
    let message = error.to_string();
    // A syntax error is placed after the byte serde_json peeked at and
    // refused, except a bad number at the end of the text, which ends
    // there (an error about a value's type counts only what was read).
    let number =
        message.starts_with("invalid number") || message.starts_with("number out of range");
    let last = end.checked_sub(1).and_then(|at| text.get(at).copied());
    let (read, refused) = match (error.classify(), last) {
        (Category::Syntax, Some(last)) if !(number && is_scalar_byte(last)) => {
            (end - 1, Some(last))
        }
        _ => (end, None),
    };
    let scan = Scan::over(&text[..read]);
    let kind = match error.classify() {
        Category::Data => Kind::Data {
            // A key given twice is the object's error, not the key's.
            duplicate: message.starts_with("duplicate field"),
            last_member: scan
                .closed
                .as_ref()
                .is_some_and(|(close, _)| is_last_members(text, *close, error, redecode)),
        },
        // serde_json ends an array at `]` (or the end of the text), or
        // finds more elements than a tuple or struct takes, before it reads
        // an element: an error about the array.
        _ => Kind::Syntax {
            element: !matches!(refused, None | Some(b']'))
                && !message.starts_with("trailing characters"),
        },
    };
    scan.path(&kind)
}

/// Whether an error placed right after the object or array closed at
/// `close` is its last member's rather than its own.
///
/// serde_json places an error where it is when the error surfaces from a
/// `deserialize_*` call. One that serde raises after such a call (an
/// untagged or internally tagged enum that fits no variant, a type that
/// parses a string it read) surfaces from the enclosing object's, after
/// its `}`: the same place as the object's own error, a missing field.
/// Decoding again without the `}` tells them apart: the member's error is
/// raised the same, the object's own becomes the end of the text.
fn is_last_members(
    text: &[u8],
    close: usize,
    error: &serde_json::Error,
    redecode: Redecode<'_>,
) -> bool {
    redecode(&text[..close]).is_some_and(|again| {
        again.classify() == Category::Data && without_position(&again) == without_position(error)
    })
}

/// serde_json's message without its ` at line L column C`.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let position = format!(" at line {} column {}", error.line(), error.column());
    let text = error.to_string();
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// The byte offset of serde_json's line (from 1) and column (bytes read on
/// that line), `None` when the error has no position.
fn offset(text: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map(|(at, _)| at + 1)?
    };
    Some((line_start + column).min(text.len()))
}

/// An object or array the position is inside.
enum Frame {
    /// The last key read, if any.
    Object(Option<String>),
    /// The index of the element read.
    Array(usize),
}

impl Frame {
    /// This frame's segment appended to `path`: its key (`?` when none was
    /// read) or index.
    fn push(&self, path: &mut String) {
        match self {
            Frame::Object(key) => push_key(path, key.as_deref().unwrap_or("?")),
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
}

/// Where the position is within the innermost object or array (or the
/// document).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// In an object, where a key goes (after `{` or `,`) or inside it.
    Key,
    /// In an object, after a key, before its `:`.
    AfterKey,
    /// Before a value: after `:`, or after `[` or `,` in an array.
    Empty,
    /// Inside a value: a string, a number or a literal not yet ended.
    Started,
    /// Right after a value.
    Done,
}

/// What kind of error a path is sought for.
enum Kind {
    /// A value of the wrong type, a missing field, a key not taken
    /// (`duplicate`: a key given twice; `last_member`: the error of the
    /// last member of the object or array that just closed).
    Data { duplicate: bool, last_member: bool },
    /// Broken JSON, or its end (`element`: in an array, whether it was
    /// met reading an element or looking for one).
    Syntax { element: bool },
}

/// The state of one pass over a JSON text, as far as it was read.
struct Scan {
    frames: Vec<Frame>,
    slot: Slot,
    /// Where the number or literal being read starts, if one is.
    scalar: Option<usize>,
    /// The object or array the text ends by closing: where its `}` or `]`
    /// is, and its frame.
    closed: Option<(usize, Frame)>,
}

impl Scan {
    /// The state after reading all of `text`.
    fn over(text: &[u8]) -> Scan {
        let mut scan = Scan {
            frames: Vec::new(),
            slot: Slot::Empty,
            scalar: None,
            closed: None,
        };
        let mut at = 0;
        while at < text.len() {
            let byte = text[at];
            if scan.scalar.is_some() {
                if is_scalar_byte(byte) {
                    at += 1;
                    continue;
                }
                scan.scalar = None;
                scan.slot = Slot::Done;
            }
            if scan.frames.is_empty() && scan.slot == Slot::Done {
                // Past the document: what follows is not part of any value.
                break;
            }
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                scan.closed = None;
            }
            match byte {
                b'"' => {
                    let Some(close) = string_end(text, at + 1) else {
                        // The position is inside this string.
                        if scan.slot != Slot::Key {
                            scan.slot = Slot::Started;
                        }
                        break;
                    };
                    if scan.slot == Slot::Key {
                        scan.key_read(&text[at..=close]);
                    } else {
                        scan.slot = Slot::Done;
                    }
                    at = close;
                }
                b'{' => {
                    scan.frames.push(Frame::Object(None));
                    scan.slot = Slot::Key;
                }
                b'[' => {
                    scan.frames.push(Frame::Array(0));
                    scan.slot = Slot::Empty;
                }
                b'}' | b']' => {
                    scan.closed = scan.frames.pop().map(|frame| (at, frame));
                    scan.slot = Slot::Done;
                }
                b':' => scan.slot = Slot::Empty,
                b',' => match scan.frames.last_mut() {
                    Some(Frame::Object(key)) => {
                        *key = None;
                        scan.slot = Slot::Key;
                    }
                    Some(Frame::Array(index)) => {
                        *index += 1;
                        scan.slot = Slot::Empty;
                    }
                    None => {}
                },
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => {
                    scan.scalar = Some(at);
                    scan.slot = Slot::Started;
                }
            }
            at += 1;
        }
        // A number or literal the text ends with is whole when serde_json
        // reads it as a value (in range).
        if let Some(start) = scan.scalar
            && serde_json::from_slice::<serde_json::Value>(&text[start..]).is_ok()
        {
            scan.slot = Slot::Done;
        }
        scan
    }

    /// A key read in an object: the value read next is its.
    fn key_read(&mut self, quoted: &[u8]) {
        if let Some(Frame::Object(key)) = self.frames.last_mut() {
            let text = serde_json::from_slice::<String>(quoted)
                .unwrap_or_else(|_| String::from_utf8_lossy(quoted).into_owned());
            *key = Some(text);
        }
        self.slot = Slot::AfterKey;
    }

    /// The path of the value the error is about: each enclosing object's
    /// key and array's index, then the innermost one's segment as
    /// `serde_path_to_error` has it for that error.
    fn path(&self, error: &Kind) -> Option<String> {
        let mut path = String::new();
        let Some((innermost, enclosing)) = self.frames.split_last() else {
            // The document itself, or its last member.
            if let (
                Kind::Data {
                    last_member: true, ..
                },
                Some((_, closed)),
            ) = (error, &self.closed)
            {
                closed.push(&mut path);
            }
            return Some(path).filter(|path| !path.is_empty());
        };
        for frame in enclosing {
            frame.push(&mut path);
        }
        let in_value = match (innermost, self.slot, error) {
            (_, Slot::Started, _) | (Frame::Object(_), Slot::Empty, _) => true,
            (Frame::Object(_), Slot::Key, _) => {
                push_key(&mut path, "?");
                false
            }
            // A key the type does not take (a duplicate is the object's
            // error); a syntax error looking for the `:` is the object's.
            (Frame::Object(_), Slot::AfterKey, Kind::Data { duplicate, .. }) => !duplicate,
            (Frame::Object(_), Slot::AfterKey, Kind::Syntax { .. }) => false,
            // A syntax error looking for the next key, where none was read.
            (Frame::Object(_), Slot::Done, Kind::Syntax { .. }) => {
                push_key(&mut path, "?");
                false
            }
            (Frame::Array(_), Slot::Done, Kind::Syntax { .. }) => false,
            (Frame::Array(_), _, Kind::Syntax { element }) => *element,
            (_, _, Kind::Data { .. }) => true,
        };
        if in_value {
            innermost.push(&mut path);
            if let (
                Slot::Done,
                Kind::Data {
                    last_member: true, ..
                },
                Some((_, closed)),
            ) = (self.slot, error, &self.closed)
            {
                closed.push(&mut path);
            }
        }
        Some(path).filter(|path| !path.is_empty())
    }
}

/// `key` appended to `path` as a segment.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// A byte of a number or a literal (`true`, `false`, `null`), or one that
/// is neither but not structural either (it is read as part of the same
/// broken value).
fn is_scalar_byte(byte: u8) -> bool {
    !matches!(
        byte,
        b'"' | b'{' | b'}' | b'[' | b']' | b':' | b',' | b' ' | b'\t' | b'\n' | b'\r'
    )
}

/// The index of the `"` closing the string whose content starts at
/// `from`, if the text has it.
fn string_end(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < text.len() {
        match text[at] {
            // serde_json reads the four bytes after `\u` as hex digits,
            // even a `"`.
            b'\\' if text.get(at + 1) == Some(&b'u') => at += 6,
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::json::from_slice;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // Only decoding matters.
    struct Order {
        id: u32,
        #[serde(default)]
        lines: Vec<Line>,
        payer: Payer,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        qty: u8,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Payer {
        Id(String),
        Card { last4: String },
    }

    fn path(text: &str) -> Option<String> {
        from_slice::<Order>(text.as_bytes()).unwrap_err().path
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named() {
        assert_eq!(path(r#"{"id": "7", "payer": "p"}"#).as_deref(), Some("id"));
        let line = r#"{"id": 7, "lines": [{"qty": 1}, {"qty": 300}], "payer": "p"}"#;
        assert_eq!(path(line).as_deref(), Some("lines[1].qty"));
        // Not yet read: the object where a number goes.
        let object = r#"{"id": 7, "lines": [{"qty": {"n": 1}}], "payer": "p"}"#;
        assert_eq!(path(object).as_deref(), Some("lines[0].qty"));
    }

    #[test]
    fn a_missing_field_names_its_object() {
        assert_eq!(
            path(r#"{"id": 7, "lines": [{}], "payer": "p"}"#).as_deref(),
            Some("lines[0]")
        );
        assert_eq!(path(r#"{"id": 7}"#), None);
    }

    #[test]
    fn a_key_not_taken_is_named_and_a_duplicate_names_its_object() {
        let unknown = r#"{"id": 7, "lines": [{"qty": 1, "tax": 2}], "payer": "p"}"#;
        assert_eq!(path(unknown).as_deref(), Some("lines[0].tax"));
        let twice = r#"{"id": 7, "lines": [{"qty": 1, "qty": 2}], "payer": "p"}"#;
        assert_eq!(path(twice).as_deref(), Some("lines[0]"));
    }

    #[test]
    fn a_last_member_that_fails_after_it_is_read_is_named_not_its_object() {
        // serde places the untagged enum's error after the object's `}`.
        let last = r#"{"id": 7, "payer": {"last4": 1234}}"#;
        assert_eq!(path(last).as_deref(), Some("payer"));
        let nested = r#"[{"id": 7, "payer": 5}]"#;
        let err = from_slice::<Vec<Order>>(nested.as_bytes()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("[0].payer"));
    }

    #[test]
    fn broken_json_names_the_value_being_read() {
        assert_eq!(
            path(r#"{"id": 7, "lines": [{"qty": 1.}]}"#).as_deref(),
            Some("lines[0].qty")
        );
        assert_eq!(
            path(r#"{"id": 7, "lines": [{"qty": 1} {"#).as_deref(),
            Some("lines")
        );
        assert_eq!(path(r#"{"id": 7 "lines""#).as_deref(), Some("?"));
        assert_eq!(
            path(r#"{"id": 7, "payer": "p\u12"}"#).as_deref(),
            Some("payer")
        );
        assert_eq!(path(r#"{"id": 7, "payer": "p"} x"#), None);
    }
}
