//! Request parameters checked against their schema before anything is sent.
//!
//! A generated request builder describes the constraints of each path,
//! query and header parameter's schema as a `const` [`Constraints`] and
//! calls [`Constraints::check`] in the parameter's setter. A value that
//! breaks a constraint is kept as the error `send()` returns
//! (`Error::InvalidRequest`, naming the parameter, the value and the bound),
//! so the request is never sent.
//!
//! The check reads the value as the JSON it serializes to, and each keyword
//! applies as JSON Schema says: bounds to numbers, lengths, patterns and
//! formats to strings, item counts to arrays. Patterns are ECMA-262 regular
//! expressions, as in JSON Schema, matched with `regress` (the engine
//! typify's own checks use); formats use `email_address`, `uuid` and
//! `chrono`. Written here rather than with a JSON Schema validator crate:
//! generated code needs constant descriptions, not a schema document parsed
//! at run time, and the few keywords parameters use fit in this file.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// A numeric bound as the spec writes it: integer schemas have integer
/// bounds, number schemas floating-point ones (as OpenAPI readers parse them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// An integer bound, compared exactly.
    Int(i64),
    /// A bound of a `type: number` schema.
    Float(f64),
}

impl Limit {
    /// How `value` compares with the bound: exactly for two integers, as
    /// `f64` otherwise (a JSON number is never NaN or infinite).
    fn compare(self, value: &serde_json::Number) -> Ordering {
        let exact = value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from));
        let float = value.as_f64().unwrap_or_default();
        match (exact, self) {
            (Some(v), Limit::Int(limit)) => v.cmp(&i128::from(limit)),
            (_, Limit::Int(limit)) => float.total_cmp(&(limit as f64)),
            (_, Limit::Float(limit)) => float.total_cmp(&limit),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Int(v) => write!(f, "{v}"),
            Limit::Float(v) => write!(f, "{v}"),
        }
    }
}

/// A string or integer format the check knows; formats not listed here are
/// not checked (the generated crate's docs list them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `email`: an address as RFC 5322 writes it, without display text.
    Email,
    /// `uuid`: the hyphenated form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    Uuid,
    /// `date`: an RFC 3339 full-date, `2024-07-12`.
    Date,
    /// `date-time`: an RFC 3339 date-time, `2024-07-12T10:00:00+02:00`.
    DateTime,
    /// `ipv4`: dotted-quad IPv4 address.
    Ipv4,
    /// `ipv6`: IPv6 address.
    Ipv6,
    /// `byte`: standard base64 with padding.
    Byte,
    /// `int32`: an integer that fits in 32 signed bits.
    Int32,
    /// `int64`: an integer that fits in 64 signed bits.
    Int64,
}

impl Format {
    /// Every format the check knows.
    pub const ALL: &[Format] = &[
        Format::Email,
        Format::Uuid,
        Format::Date,
        Format::DateTime,
        Format::Ipv4,
        Format::Ipv6,
        Format::Byte,
        Format::Int32,
        Format::Int64,
    ];

    /// The format's name in OpenAPI.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Uuid => "uuid",
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Byte => "byte",
            Format::Int32 => "int32",
            Format::Int64 => "int64",
        }
    }

    /// Whether `value` has the format; values of a JSON type the format
    /// does not apply to pass, as in JSON Schema.
    fn accepts(self, value: &Value) -> bool {
        use base64::Engine as _;
        match (self, value) {
            (Format::Email, Value::String(s)) => {
                let options = email_address::Options::default().without_display_text();
                email_address::EmailAddress::parse_with_options(s, options).is_ok()
            }
            // `try_parse` also takes the simple, braced and URN forms.
            (Format::Uuid, Value::String(s)) => s.len() == 36 && uuid::Uuid::try_parse(s).is_ok(),
            // chrono's `%Y` takes any number of digits; RFC 3339 wants four.
            (Format::Date, Value::String(s)) => {
                s.len() == 10
                    && s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                    && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            }
            (Format::DateTime, Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            (Format::Ipv4, Value::String(s)) => s.parse::<std::net::Ipv4Addr>().is_ok(),
            (Format::Ipv6, Value::String(s)) => s.parse::<std::net::Ipv6Addr>().is_ok(),
            (Format::Byte, Value::String(s)) => {
                base64::engine::general_purpose::STANDARD.decode(s).is_ok()
            }
            (Format::Int32, Value::Number(n)) => {
                n.as_i64().is_some_and(|v| i32::try_from(v).is_ok())
            }
            (Format::Int64, Value::Number(n)) => n.is_i64(),
            _ => true,
        }
    }
}

/// The constraints of one parameter's schema, built in a `const`.
///
/// ```
/// use invoicing_runtime::constraints::{Constraints, Limit};
///
/// const PAGE_SIZE: Constraints = Constraints::NONE
///     .minimum(Limit::Int(1), false)
///     .maximum(Limit::Int(500), false);
/// assert_eq!(PAGE_SIZE.check("page_size", 100u64), Ok(100));
/// assert_eq!(
///     PAGE_SIZE.check("page_size", 501u64).unwrap_err(),
///     "parameter page_size: 501 is greater than the maximum 500"
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Constraints {
    minimum: Option<(Limit, bool)>,
    maximum: Option<(Limit, bool)>,
    multiple_of: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<&'static str>,
    allowed: &'static [&'static str],
    format: Option<Format>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    items: Option<&'static Constraints>,
    secret: bool,
}

/// Longest value text an error message quotes: a message stays bounded
/// whatever was passed.
const SHOWN_CHARS: usize = 64;

impl Constraints {
    /// No constraint: every value passes.
    pub const NONE: Self = Self {
        minimum: None,
        maximum: None,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        allowed: &[],
        format: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        items: None,
        secret: false,
    };

    /// `minimum` (`exclusive`: `exclusiveMinimum`), for numbers.
    pub const fn minimum(mut self, limit: Limit, exclusive: bool) -> Self {
        self.minimum = Some((limit, exclusive));
        self
    }

    /// `maximum` (`exclusive`: `exclusiveMaximum`), for numbers.
    pub const fn maximum(mut self, limit: Limit, exclusive: bool) -> Self {
        self.maximum = Some((limit, exclusive));
        self
    }

    /// `multipleOf` with an integer divisor (at least 1), for numbers.
    pub const fn multiple_of(mut self, divisor: u64) -> Self {
        self.multiple_of = Some(divisor);
        self
    }

    /// `minLength`, in characters (Unicode code points), for strings.
    pub const fn min_length(mut self, chars: u64) -> Self {
        self.min_length = Some(chars);
        self
    }

    /// `maxLength`, in characters (Unicode code points), for strings.
    pub const fn max_length(mut self, chars: u64) -> Self {
        self.max_length = Some(chars);
        self
    }

    /// `pattern`, an ECMA-262 regular expression that must match somewhere
    /// in a string (anchors are the pattern's own).
    pub const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// `enum`: the allowed values, each as JSON text (`"\"paid\""`, `"1"`).
    pub const fn allowed(mut self, json_values: &'static [&'static str]) -> Self {
        self.allowed = json_values;
        self
    }

    /// `format`.
    pub const fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// `minItems`, for arrays.
    pub const fn min_items(mut self, items: u64) -> Self {
        self.min_items = Some(items);
        self
    }

    /// `maxItems`, for arrays.
    pub const fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// `uniqueItems: true`, for arrays.
    pub const fn unique_items(mut self) -> Self {
        self.unique_items = true;
        self
    }

    /// The constraints of each item of an array.
    pub const fn items(mut self, items: &'static Constraints) -> Self {
        self.items = Some(items);
        self
    }

    /// The value is a secret (`format: password`): messages never quote it.
    pub const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    /// `value` back when it meets every constraint; otherwise the message
    /// for `Error::InvalidRequest`: `parameter <name>: <value> <what it
    /// breaks>`, quoting at most 64 characters of the value.
    pub fn check<T: Serialize>(&self, parameter: &str, value: T) -> Result<T, String> {
        let json = serde_json::to_value(&value)
            .map_err(|e| format!("parameter {parameter}: cannot be written as JSON: {e}"))?;
        match self.violation(&json) {
            None => Ok(value),
            Some(problem) => Err(format!("parameter {parameter}: {problem}")),
        }
    }

    /// What `value` breaks, first constraint first; `None` when nothing.
    fn violation(&self, value: &Value) -> Option<String> {
        let shown = || self.show(value);
        if !self.allowed.is_empty() {
            let text = value.to_string();
            if !self.allowed.contains(&text.as_str()) {
                return Some(format!(
                    "{} is not one of {}",
                    shown(),
                    self.allowed.join(", ")
                ));
            }
        }
        if let Some(format) = self.format
            && !format.accepts(value)
        {
            return Some(format!("{} is not a valid {}", shown(), format.name()));
        }
        match value {
            Value::Number(n) => self.number_violation(n).map(|p| format!("{} {p}", shown())),
            Value::String(s) => self.string_violation(s).map(|p| format!("{} {p}", shown())),
            Value::Array(items) => self.array_violation(items, &shown),
            _ => None,
        }
    }

    fn number_violation(&self, n: &serde_json::Number) -> Option<String> {
        if let Some((limit, exclusive)) = self.minimum {
            match (limit.compare(n), exclusive) {
                (Ordering::Less, false) => {
                    return Some(format!("is less than the minimum {limit}"));
                }
                (Ordering::Less | Ordering::Equal, true) => {
                    return Some(format!("is not greater than the exclusive minimum {limit}"));
                }
                _ => {}
            }
        }
        if let Some((limit, exclusive)) = self.maximum {
            match (limit.compare(n), exclusive) {
                (Ordering::Greater, false) => {
                    return Some(format!("is greater than the maximum {limit}"));
                }
                (Ordering::Greater | Ordering::Equal, true) => {
                    return Some(format!("is not less than the exclusive maximum {limit}"));
                }
                _ => {}
            }
        }
        if let Some(divisor) = self.multiple_of {
            let exact = n
                .as_u64()
                .map(|v| v % divisor == 0)
                .or_else(|| n.as_i64().map(|v| v.unsigned_abs() % divisor == 0));
            if exact != Some(true) {
                return Some(format!("is not a multiple of {divisor}"));
            }
        }
        None
    }

    fn string_violation(&self, s: &str) -> Option<String> {
        let chars = s.chars().count() as u64;
        if let Some(min) = self.min_length
            && chars < min
        {
            return Some(format!(
                "is shorter than the minimum length {min} ({})",
                characters(chars)
            ));
        }
        if let Some(max) = self.max_length
            && chars > max
        {
            return Some(format!(
                "is longer than the maximum length {max} ({})",
                characters(chars)
            ));
        }
        if let Some(pattern) = self.pattern {
            // The generator compiled the pattern with the same engine, so a
            // failure here means the generated code was edited.
            let matched = regress::Regex::new(pattern).map(|re| re.find(s).is_some());
            match matched {
                Ok(true) => {}
                Ok(false) => return Some(format!("does not match the pattern {pattern}")),
                Err(e) => return Some(format!("cannot be checked: pattern {pattern}: {e}")),
            }
        }
        None
    }

    fn array_violation(&self, items: &[Value], shown: &dyn Fn() -> String) -> Option<String> {
        let count = items.len() as u64;
        if let Some(min) = self.min_items
            && count < min
        {
            return Some(format!(
                "{} has {count} items, fewer than the minimum {min}",
                shown()
            ));
        }
        if let Some(max) = self.max_items
            && count > max
        {
            return Some(format!(
                "{} has {count} items, more than the maximum {max}",
                shown()
            ));
        }
        if self.unique_items
            && let Some(i) = (1..items.len()).find(|&i| items[..i].contains(&items[i]))
        {
            return Some(format!(
                "{} repeats item {i}, but its items must be unique",
                shown()
            ));
        }
        let each = self.items?;
        items.iter().enumerate().find_map(|(i, item)| {
            each.violation(item)
                .map(|problem| format!("item {i}: {problem}"))
        })
    }

    /// The value as a message quotes it: JSON text, cut at 64 characters;
    /// a secret is never quoted.
    fn show(&self, value: &Value) -> String {
        if self.secret {
            return "the value".to_owned();
        }
        let text = value.to_string();
        match text.char_indices().nth(SHOWN_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        }
    }
}

fn characters(n: u64) -> String {
    if n == 1 {
        "1 character".to_owned()
    } else {
        format!("{n} characters")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem<T: Serialize>(c: Constraints, value: T) -> String {
        c.check("p", value).err().unwrap_or_default()
    }

    #[test]
    fn inclusive_and_exclusive_bounds() {
        let c = Constraints::NONE
            .minimum(Limit::Int(1), false)
            .maximum(Limit::Int(500), false);
        assert_eq!(c.check("p", 1u64), Ok(1));
        assert_eq!(c.check("p", 500i64), Ok(500));
        assert_eq!(problem(c, 0), "parameter p: 0 is less than the minimum 1");
        assert_eq!(
            problem(c, u64::MAX),
            "parameter p: 18446744073709551615 is greater than the maximum 500"
        );
        let c = Constraints::NONE
            .minimum(Limit::Float(0.0), true)
            .maximum(Limit::Float(1.5), true);
        assert!(c.check("p", 0.25).is_ok());
        assert_eq!(
            problem(c, 0.0),
            "parameter p: 0.0 is not greater than the exclusive minimum 0"
        );
        assert_eq!(
            problem(c, 1.5),
            "parameter p: 1.5 is not less than the exclusive maximum 1.5"
        );
        // An integer value against a fractional bound.
        assert!(c.check("p", 1).is_ok());
        assert!(c.check("p", 2).is_err());
    }

    #[test]
    fn multiple_of() {
        let c = Constraints::NONE.multiple_of(5);
        assert!(c.check("p", 10).is_ok());
        assert!(c.check("p", -15).is_ok());
        assert_eq!(problem(c, 12), "parameter p: 12 is not a multiple of 5");
        assert_eq!(problem(c, 2.5), "parameter p: 2.5 is not a multiple of 5");
    }

    #[test]
    fn lengths_count_characters() {
        let c = Constraints::NONE.min_length(2).max_length(3);
        assert!(c.check("p", "éé").is_ok(), "two characters, four bytes");
        assert_eq!(
            problem(c, "a"),
            "parameter p: \"a\" is shorter than the minimum length 2 (1 character)"
        );
        assert_eq!(
            problem(c, "abcd"),
            "parameter p: \"abcd\" is longer than the maximum length 3 (4 characters)"
        );
    }

    #[test]
    fn patterns_are_ecma_262_and_unanchored() {
        let c = Constraints::NONE.pattern("^[A-Z]{3}$");
        assert!(c.check("p", "EUR").is_ok());
        assert_eq!(
            problem(c, "eur"),
            "parameter p: \"eur\" does not match the pattern ^[A-Z]{3}$"
        );
        let c = Constraints::NONE.pattern("\\d");
        assert!(c.check("p", "inv-1").is_ok(), "matches anywhere");
        // ECMA-262 syntax regex crates differ on: a lookahead.
        let c = Constraints::NONE.pattern("^(?=.*x)");
        assert!(c.check("p", "abx").is_ok());
        assert!(c.check("p", "abc").is_err());
    }

    #[test]
    fn enum_values_compare_as_json() {
        const ALLOWED: &[&str] = &["\"createdAt\"", "\"dueDate\"", "7"];
        let c = Constraints::NONE.allowed(ALLOWED);
        assert!(c.check("p", "dueDate").is_ok());
        assert!(c.check("p", 7u8).is_ok());
        assert_eq!(
            problem(c, "bogus"),
            "parameter p: \"bogus\" is not one of \"createdAt\", \"dueDate\", 7"
        );
        assert!(c.check("p", "7").is_err(), "a string is not the number 7");
    }

    #[test]
    fn formats() {
        let check =
            |format, value: &str| Constraints::NONE.format(format).check("p", value).map(drop);
        assert!(check(Format::Email, "john.doe@example.com").is_ok());
        assert_eq!(
            check(Format::Email, "not-an-email").unwrap_err(),
            "parameter p: \"not-an-email\" is not a valid email"
        );
        assert!(check(Format::Email, "John <john@example.com>").is_err());
        assert!(check(Format::Uuid, "750a84dd-2460-504c-8bb9-f6fa731a2361").is_ok());
        assert!(check(Format::Uuid, "750a84dd2460504c8bb9f6fa731a2361").is_err());
        assert!(check(Format::Date, "2024-02-29").is_ok());
        assert!(check(Format::Date, "2023-02-29").is_err());
        assert!(check(Format::Date, "+02024-02-2").is_err());
        assert!(check(Format::DateTime, "2024-07-12T10:00:00+02:00").is_ok());
        assert!(check(Format::DateTime, "2024-07-12").is_err());
        assert!(check(Format::Ipv4, "127.0.0.1").is_ok());
        assert!(check(Format::Ipv4, "127.1").is_err());
        assert!(check(Format::Ipv6, "::1").is_ok());
        assert!(check(Format::Byte, "aGk=").is_ok());
        assert!(check(Format::Byte, "a").is_err());
        let int32 = Constraints::NONE.format(Format::Int32);
        assert!(int32.check("p", i64::from(i32::MAX)).is_ok());
        assert_eq!(
            problem(int32, i64::from(i32::MAX) + 1),
            "parameter p: 2147483648 is not a valid int32"
        );
        assert!(
            Constraints::NONE
                .format(Format::Int64)
                .check("p", u64::MAX)
                .is_err()
        );
        // A format applies to its own JSON type only.
        assert!(
            Constraints::NONE
                .format(Format::Email)
                .check("p", 5)
                .is_ok()
        );
    }

    #[test]
    fn arrays_and_their_items() {
        const ITEM: Constraints = Constraints::NONE.allowed(&["\"x\"", "\"y\""]);
        let c = Constraints::NONE
            .min_items(1)
            .max_items(2)
            .unique_items()
            .items(&ITEM);
        assert!(c.check("tags", ["x", "y"]).is_ok());
        assert_eq!(
            problem(c, Vec::<String>::new()),
            "parameter p: [] has 0 items, fewer than the minimum 1"
        );
        assert_eq!(
            problem(c, ["x", "y", "x"]),
            "parameter p: [\"x\",\"y\",\"x\"] has 3 items, more than the maximum 2"
        );
        assert_eq!(
            problem(c, ["x", "x"]),
            "parameter p: [\"x\",\"x\"] repeats item 1, but its items must be unique"
        );
        assert_eq!(
            problem(c, ["x", "z"]),
            "parameter p: item 1: \"z\" is not one of \"x\", \"y\""
        );
    }

    #[test]
    fn messages_quote_a_bounded_value_and_never_a_secret() {
        let c = Constraints::NONE.max_length(3);
        let long = "é".repeat(10_000);
        let message = problem(c, &long);
        assert!(message.chars().count() < 200, "{message}");
        assert!(message.contains("…"), "{message}");
        let c = Constraints::NONE.max_length(3).secret();
        let message = problem(c, "hunter2");
        assert!(!message.contains("hunter2"), "{message}");
        assert!(message.contains("the value is longer than"), "{message}");
    }

    #[test]
    fn options_are_checked_as_their_value() {
        let c = Constraints::NONE.maximum(Limit::Int(5), false);
        assert_eq!(c.check("p", Some(5)), Ok(Some(5)));
        assert!(c.check("p", Some(6)).is_err());
    }
}
