//! Every `pattern` in ECMA-262 form, the regular expressions typify's
//! newtypes and the runtime's parameter checks compile (`regress`).
//!
//! Vendors write patterns for other engines too: PCRE's and Python's
//! leading inline flags (`(?i)^(all|none)$`) are the usual case, and
//! typify rejects the whole document over one of them. Here, on the
//! generator's copy:
//!
//! - leading `(?i)` and `(?s)` are translated into the same pattern without
//!   them (ASCII letters and letter ranges given both cases, `.` outside a
//!   class made `[\s\S]`), and `(?m)` dropped where the pattern has no
//!   anchor it would change; the result must compile;
//! - any other pattern that does not compile is removed: that one check is
//!   not made, which a note says and the crate docs list, and the value is
//!   the plain string it was. The operation and type are still generated.
//!
//! The vendor's document keeps its pattern, so `cargo xtask diff` still
//! reports pattern changes.

use serde_json::Value;

use crate::spec::document::{UNCHECKED, walk};
use crate::spec::error::{Findings, Located, push_token};

/// Rewrites or removes every pattern `regress` cannot compile.
pub(super) fn apply(doc: &mut Value, found: &mut Findings, unchecked: &mut Vec<Located>) {
    walk::schemas_mut(doc, &mut |schema, at| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let Some(pattern) = obj
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return;
        };
        let Err(error) = regress::Regex::new(&pattern) else {
            return;
        };
        let here = push_token(at, "pattern");
        match translate(&pattern) {
            Some(translated) => {
                found.note(
                    &here,
                    format!("pattern {pattern:?} written in ECMA-262 form as {translated:?}"),
                );
                obj.insert("pattern".into(), Value::String(translated));
            }
            None => {
                obj.shift_remove("pattern");
                let why =
                    format!("pattern `{pattern}` (not an ECMA-262 regular expression: {error})");
                found.note(&here, format!("not checked: {why}"));
                unchecked.push(Located::new(&here, why.clone()));
                obj.insert(UNCHECKED.into(), Value::from(vec![why]));
            }
        }
    });
}

/// `pattern` without its leading inline flags, where they can be written
/// out and the result compiles.
pub fn translate(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix("(?")?;
    let close = rest.find(')')?;
    let flags = &rest[..close];
    let body = &rest[close + 1..];
    if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'i' | 's' | 'm')) {
        return None;
    }
    let mut out = body.to_owned();
    if flags.contains('m') && (body.contains('^') || body.contains('$')) {
        return None;
    }
    if flags.contains('s') {
        out = rewrite(&out, Flag::DotAll)?;
    }
    if flags.contains('i') {
        out = rewrite(&out, Flag::CaseInsensitive)?;
    }
    regress::Regex::new(&out).ok().map(|_| out)
}

#[derive(Clone, Copy, PartialEq)]
enum Flag {
    CaseInsensitive,
    DotAll,
}

/// Writes one flag out. Escapes are copied as they are; escapes whose
/// letters name something (`\p{Lu}`, `\u00e9`, `\k<n>`) and named groups
/// are not rewritten for case (`None`: left unchecked instead).
fn rewrite(pattern: &str, flag: Flag) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let next = *chars.get(i + 1)?;
                if flag == Flag::CaseInsensitive
                    && matches!(next, 'p' | 'P' | 'u' | 'x' | 'k' | 'c')
                {
                    return None;
                }
                out.push('\\');
                out.push(next);
                i += 2;
            }
            '[' => {
                let end = class_end(&chars, i)?;
                let class: String = chars[i..=end].iter().collect();
                match flag {
                    Flag::DotAll => out.push_str(&class),
                    Flag::CaseInsensitive => out.push_str(&fold_class(&chars[i + 1..end])?),
                }
                i = end + 1;
            }
            '(' if flag == Flag::CaseInsensitive && chars.get(i + 1) == Some(&'?') => {
                // `(?:`, `(?=`, `(?!` carry no letters; `(?<name>` does.
                if !matches!(chars.get(i + 2), Some(':' | '=' | '!')) {
                    return None;
                }
                out.extend(&chars[i..i + 3]);
                i += 3;
            }
            '.' if flag == Flag::DotAll => {
                out.push_str("[\\s\\S]");
                i += 1;
            }
            c if flag == Flag::CaseInsensitive && c.is_alphabetic() => {
                if !c.is_ascii_alphabetic() {
                    return None;
                }
                out.push('[');
                out.push(c.to_ascii_lowercase());
                out.push(c.to_ascii_uppercase());
                out.push(']');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// The index of the `]` closing the class that opens at `start`.
fn class_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    // A `]` first in the class is a literal.
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            ']' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A class's members with both cases of every ASCII letter and letter
/// range, as `[...]`.
fn fold_class(inner: &[char]) -> Option<String> {
    let (negated, inner) = match inner.first() {
        Some('^') => (true, &inner[1..]),
        _ => (false, inner),
    };
    let mut extra = String::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if c == '\\' {
            let next = *inner.get(i + 1)?;
            if matches!(next, 'p' | 'P' | 'u' | 'x' | 'c') {
                return None;
            }
            i += 2;
            continue;
        }
        let range_end = (inner.get(i + 1) == Some(&'-'))
            .then(|| inner.get(i + 2))
            .flatten()
            .filter(|&&e| e != ']');
        if let Some(&end) = range_end {
            let lower = c.is_ascii_lowercase() && end.is_ascii_lowercase();
            let upper = c.is_ascii_uppercase() && end.is_ascii_uppercase();
            if lower || upper {
                let swap = |x: char| {
                    if lower {
                        x.to_ascii_uppercase()
                    } else {
                        x.to_ascii_lowercase()
                    }
                };
                extra.push(swap(c));
                extra.push('-');
                extra.push(swap(end));
            } else if (c..=end).any(char::is_alphabetic) {
                return None;
            }
            i += 3;
            continue;
        }
        if c.is_alphabetic() {
            if !c.is_ascii_alphabetic() {
                return None;
            }
            let other = if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            extra.push(other);
        }
        i += 1;
    }
    let members: String = inner.iter().collect();
    Some(format!(
        "[{}{members}{extra}]",
        if negated { "^" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        regress::Regex::new(pattern).unwrap().find(text).is_some()
    }

    #[test]
    fn case_insensitive_words_match_either_case() {
        let p = translate("(?i)^(all|none)$").unwrap();
        for yes in ["all", "ALL", "None", "nOnE"] {
            assert!(matches(&p, yes), "{p} {yes}");
        }
        for no in ["al", "nones", "any"] {
            assert!(!matches(&p, no), "{p} {no}");
        }
    }

    #[test]
    fn classes_and_ranges_get_both_cases() {
        let p = translate("(?i)^[a-c_x]+[^q]$").unwrap();
        assert!(matches(&p, "AbX_C1"), "{p}");
        assert!(!matches(&p, "abQ"), "{p}");
        assert!(!matches(&p, "abq"), "{p}");
        assert!(!matches(&p, "d1"), "{p}");
    }

    #[test]
    fn dot_all_matches_newlines() {
        let p = translate("(?s)^a.b$").unwrap();
        assert!(matches(&p, "a\nb"), "{p}");
    }

    #[test]
    fn what_cannot_be_written_out_is_not_translated() {
        assert_eq!(translate("(?x)a b"), None);
        assert_eq!(translate("(?i)\\p{Lu}"), None);
        assert_eq!(translate("(?i)é"), None);
        assert_eq!(translate("(?m)^a$"), None);
        assert_eq!(translate("^a$"), None);
    }

    #[test]
    fn untranslatable_patterns_are_removed_with_a_note() {
        let mut doc = serde_json::json!({"components": {"schemas": {
            "A": {"type": "string", "pattern": "(?i)^x$"},
            "B": {"type": "string", "pattern": "(?x) a"},
            "C": {"type": "string", "pattern": "^ok$"}}}});
        let mut found = Findings::default();
        let mut unchecked = Vec::new();
        apply(&mut doc, &mut found, &mut unchecked);
        assert_eq!(unchecked.len(), 1);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["A"]["pattern"], "^[xX]$");
        assert!(schemas["B"].get("pattern").is_none());
        assert!(
            schemas["B"][UNCHECKED][0]
                .as_str()
                .unwrap()
                .starts_with("pattern `(?x) a`")
        );
        assert_eq!(schemas["C"]["pattern"], "^ok$");
        let places: Vec<&str> = found.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            places,
            [
                "/components/schemas/A/pattern",
                "/components/schemas/B/pattern"
            ]
        );
    }
}
