//! The vendor's own explanation, read from an error body.
//!
//! Each vendor shapes its error bodies differently; the shapes are told apart
//! by their keys, so one parser serves every provider and a vendor that
//! changes shape between endpoints is still understood.

use std::fmt;

use serde_json::{Map, Value};

use crate::quote::bounded;

/// Error bodies larger than this are not searched for a message: parsing
/// them into a JSON tree would cost many times their size in memory, and no
/// vendor explains an error in more.
const MESSAGE_BODY_LIMIT: usize = 256 << 10;

/// What a vendor said about a failed request, parsed from the error body.
///
/// Understood shapes:
/// - Sendcloud v2: `{"error": {"code", "request", "message"}}`
/// - Sendcloud v3: `{"errors": [{"detail" | "message" | "title", "code", "source": {"pointer"}}]}`
/// - Kitchen: `{"message": "...", "errors": {"field": ["..."]}}`
/// - Coinbase: `{"errorType", "errorMessage", "correlationId", "errorLink"}`
/// - OAuth2 token endpoints: `{"error": "invalid_client", "error_description": "..."}`
/// - `{"detail": "..."}`
///
/// Every part is cut to about 1 KiB, however long the vendor's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiMessage {
    /// The human-readable message.
    pub text: String,
    /// The vendor's error code or type, when it sends one.
    pub code: Option<String>,
    /// The vendor's request or correlation id, to quote to its support.
    pub request_id: Option<String>,
    /// A link to the vendor's documentation of the error.
    pub link: Option<String>,
}

impl ApiMessage {
    /// Reads the vendor's message from an error body; `None` when the body is
    /// not JSON, has none of the shapes above, or is over 256 KiB.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        if body.len() > MESSAGE_BODY_LIMIT {
            return None;
        }
        let message = match serde_json::from_slice::<Value>(body).ok()? {
            Value::Object(object) => Self::from_object(&object)?,
            _ => return None,
        };
        let cut = |text: String| bounded(&text).into_owned();
        Some(Self {
            text: cut(message.text),
            code: message.code.map(cut),
            request_id: message.request_id.map(cut),
            link: message.link.map(cut),
        })
    }

    fn from_object(object: &Map<String, Value>) -> Option<Self> {
        if let Some(text) = text_of(object.get("errorMessage")) {
            return Some(Self {
                text,
                code: text_of(object.get("errorType")),
                request_id: text_of(object.get("correlationId")),
                link: text_of(object.get("errorLink")),
            });
        }
        match object.get("error") {
            Some(Value::Object(error)) => {
                if let Some(text) = text_of(error.get("message")) {
                    return Some(Self {
                        text,
                        code: text_of(error.get("code")),
                        request_id: text_of(error.get("request")),
                        link: None,
                    });
                }
            }
            Some(Value::String(code)) => {
                return Some(Self {
                    text: text_of(object.get("error_description")).unwrap_or_else(|| code.clone()),
                    code: Some(code.clone()),
                    ..Self::default()
                });
            }
            _ => {}
        }
        if let Some(Value::Array(errors)) = object.get("errors")
            && let Some(message) = Self::from_error_list(errors)
        {
            return Some(message);
        }
        if let Some(text) = text_of(object.get("message")) {
            // Laravel (Kitchen) puts field errors beside a summary message.
            let fields = match object.get("errors") {
                Some(Value::Object(fields)) => field_errors(fields),
                _ => Vec::new(),
            };
            let text = if fields.is_empty() {
                text
            } else {
                format!("{text} ({})", fields.join("; "))
            };
            return Some(Self {
                text,
                ..Self::default()
            });
        }
        text_of(object.get("detail")).map(|text| Self {
            text,
            ..Self::default()
        })
    }

    fn from_error_list(errors: &[Value]) -> Option<Self> {
        let mut texts = Vec::new();
        let mut code = None;
        for error in errors {
            let Value::Object(error) = error else {
                if let Some(text) = text_of(Some(error)) {
                    texts.push(text);
                }
                continue;
            };
            let Some(text) = ["detail", "message", "title"]
                .iter()
                .find_map(|key| text_of(error.get(*key)))
            else {
                continue;
            };
            let pointer = error
                .get("source")
                .and_then(|source| text_of(source.get("pointer").or(source.get("parameter"))))
                .or_else(|| text_of(error.get("field")));
            texts.push(match pointer {
                Some(pointer) => format!("{text} (at {pointer})"),
                None => text,
            });
            if code.is_none() {
                code = text_of(error.get("code"));
            }
        }
        (!texts.is_empty()).then(|| Self {
            text: texts.join("; "),
            code,
            ..Self::default()
        })
    }
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if let Some(code) = &self.code
            && code != &self.text
        {
            write!(f, " [{code}]")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request {request_id})")?;
        }
        if let Some(link) = &self.link {
            write!(f, " see {link}")?;
        }
        Ok(())
    }
}

/// A string or number as text; vendors send codes as either.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn field_errors(fields: &Map<String, Value>) -> Vec<String> {
    fields
        .iter()
        .flat_map(|(field, messages)| {
            let messages = match messages {
                Value::Array(messages) => {
                    messages.iter().filter_map(|m| text_of(Some(m))).collect()
                }
                other => text_of(Some(other)).into_iter().collect::<Vec<_>>(),
            };
            messages
                .into_iter()
                .map(move |message| format!("{field}: {message}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ApiMessage {
        ApiMessage::from_body(body.as_bytes()).expect(body)
    }

    #[test]
    fn reads_each_vendor_shape() {
        let v2 = parse(
            r#"{"error":{"code":404,"request":"api/v2/user/invoices/9","message":"No Invoice matches the given query."}}"#,
        );
        assert_eq!(v2.text, "No Invoice matches the given query.");
        assert_eq!(v2.code.as_deref(), Some("404"));
        assert_eq!(v2.request_id.as_deref(), Some("api/v2/user/invoices/9"));

        let v3 = parse(
            r#"{"errors":[{"status":"400","code":"invalid","detail":"Must be at most 500.","source":{"pointer":"/page_size"}},{"title":"Bad cursor"}]}"#,
        );
        assert_eq!(v3.text, "Must be at most 500. (at /page_size); Bad cursor");
        assert_eq!(v3.code.as_deref(), Some("invalid"));

        let kitchen = parse(
            r#"{"message":"The given data was invalid.","errors":{"per_page":["The per page must not be greater than 100."]}}"#,
        );
        assert_eq!(
            kitchen.text,
            "The given data was invalid. (per_page: The per page must not be greater than 100.)"
        );

        let coinbase = parse(
            r#"{"errorType":"not_found","errorMessage":"Invoice not found","correlationId":"abc-123","errorLink":"https://docs.cdp.coinbase.com/errors#not_found"}"#,
        );
        assert_eq!(
            coinbase.to_string(),
            "Invoice not found [not_found] (request abc-123) see https://docs.cdp.coinbase.com/errors#not_found"
        );

        let oauth = parse(
            r#"{"error":"invalid_client","error_description":"Client authentication failed."}"#,
        );
        assert_eq!(
            oauth.to_string(),
            "Client authentication failed. [invalid_client]"
        );
        assert_eq!(parse(r#"{"detail":"Not found."}"#).text, "Not found.");
    }

    #[test]
    fn gives_none_for_bodies_without_a_message() {
        for body in [
            "",
            "<html>Bad gateway</html>",
            "[]",
            r#"{"data":[]}"#,
            r#"{"message":""}"#,
        ] {
            assert_eq!(ApiMessage::from_body(body.as_bytes()), None, "{body}");
        }
    }

    #[test]
    fn long_messages_are_cut() {
        let body = format!(
            r#"{{"message":"{}","errors":{{"f":["{}"]}}}}"#,
            "a".repeat(5000),
            "b".repeat(5000)
        );
        let message = parse(&body);
        assert!(message.text.len() <= 1100, "{}", message.text.len());
        assert!(message.text.ends_with('…'));
    }
}
