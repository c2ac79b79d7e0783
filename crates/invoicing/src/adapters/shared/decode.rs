//! Reading one invoice on its own, so one bad invoice does not cost the
//! rest of its page, and one bad field does not cost the rest of the
//! invoice (see `repair`); and the errors of a single call.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::Fields;
use super::repair::{self, Decoded};
use crate::error::{Error, Result};
use crate::model::{Invoice, Provider};

/// The runtime's error of a failed call of a generated client (it already
/// holds the vendor's message), placed on the facade's operation.
pub(crate) fn api_error(
    provider: Provider,
    operation: &'static str,
    err: invoicing_runtime::Error,
) -> Error {
    Error::Api(err.with_origin(provider.origin(operation)))
}

/// The error for an id the vendor's API cannot take (Sendcloud ids are
/// positive integers), raised before any request is sent.
pub(crate) fn invalid_id(provider: Provider, operation: &'static str, id: &str) -> Error {
    Error::Api(invoicing_runtime::Error::InvalidRequest {
        origin: provider.origin(operation),
        message: format!("invoice id {id:?} is not a positive integer"),
    })
}

/// Reads a whole response body (a page envelope) as `T`.
pub(crate) fn decode_body<T: DeserializeOwned>(
    provider: Provider,
    operation: &'static str,
    body: &[u8],
) -> Result<T> {
    invoicing_runtime::json::from_slice(body).map_err(|err| Error::Decode {
        origin: provider.origin(operation),
        item: None,
        detail: err.to_string(),
        excerpt: excerpt(body),
        raw: None,
    })
}

/// How one vendor's invoice JSON is read: whose it is, for which
/// operation, and its id field (never set aside: an invoice without its
/// identity is not an invoice).
#[derive(Clone, Copy)]
pub(crate) struct ItemShape {
    /// The provider.
    pub(crate) provider: Provider,
    /// The operation id.
    pub(crate) operation: &'static str,
    /// The invoice's id member, e.g. `id` or `uuid`.
    pub(crate) identity: &'static str,
}

impl ItemShape {
    /// The shape of `provider`'s invoices in `operation`, identified by
    /// the member `identity`.
    pub(crate) const fn new(
        provider: Provider,
        operation: &'static str,
        identity: &'static str,
    ) -> Self {
        Self {
            provider,
            operation,
            identity,
        }
    }
}

/// Decodes one raw invoice as `T`, setting aside fields that do not fit,
/// and maps it with a [`Fields`] that knows what was set aside; `index`
/// is its position on its page, for the error message.
///
/// # Errors
/// [`Error::Decode`] with the raw JSON when the invoice does not decode
/// even with fields set aside (not an object, no usable id).
pub(crate) fn map_item<T, F>(
    shape: ItemShape,
    index: Option<usize>,
    raw: Box<RawValue>,
    map: F,
) -> Result<Invoice>
where
    T: DeserializeOwned,
    F: FnOnce(T, Box<RawValue>, &Fields) -> Invoice,
{
    match repair::decode::<T>(&raw, shape.identity) {
        Ok(Decoded {
            value,
            problems,
            set_aside,
        }) => {
            let fields = Fields::new(problems, set_aside);
            let mut invoice = map(value, raw, &fields);
            invoice.problems = fields.into_problems();
            Ok(invoice)
        }
        Err(err) => Err(Error::Decode {
            origin: shape.provider.origin(shape.operation),
            item: Some(describe(index, &raw, shape.identity).into()),
            detail: located::<T>(&raw, err),
            excerpt: excerpt(raw.get().as_bytes()),
            raw: Some(raw),
        }),
    }
}

/// Why `raw` does not decode as `T`, naming the JSON path of the value
/// that failed (`at `lines[0].amount`: ...`) and its line and column in the
/// invoice's own JSON (read from the text at serde_json's position, only on
/// this failure path).
fn located<T: DeserializeOwned>(raw: &RawValue, err: serde_json::Error) -> String {
    match invoicing_runtime::json::from_slice::<T>(raw.get().as_bytes()) {
        Err(located) => format!("{located} (in the invoice's JSON)"),
        // Not reached: the same text failed a moment ago.
        Ok(_) => err.to_string(),
    }
}

/// `invoice at index 2 (id "in_1")`, or as much of it as is known.
fn describe(index: Option<usize>, raw: &RawValue, identity: &str) -> String {
    let id = lenient_id(raw, identity);
    let mut text = match index {
        Some(index) => format!("invoice at index {index}"),
        None => "invoice".to_owned(),
    };
    if let Some(id) = id {
        text.push_str(&format!(" (id {id:?})"));
    }
    text
}

/// The id of an invoice that failed to decode, read leniently from its
/// identity member (`id`, `uuid`, Xero's `InvoiceID`: a string or a
/// number), if it has one.
pub(crate) fn lenient_id(raw: &RawValue, identity: &str) -> Option<String> {
    let mut members: std::collections::HashMap<String, Box<RawValue>> =
        serde_json::from_str(raw.get()).ok()?;
    match serde_json::from_str(members.remove(identity)?.get()).ok()? {
        serde_json::Value::String(id) => Some(id),
        serde_json::Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// The start of `text`, cut at a character boundary.
pub(crate) fn excerpt(text: &[u8]) -> Box<str> {
    invoicing_runtime::excerpt(text).into()
}

// Any provider names the items; Kitchen's, as in the default build.
#[cfg(all(test, feature = "kitchen"))]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    #[test]
    fn one_bad_invoice_fails_alone_and_is_named_with_its_raw_json() {
        #[derive(serde::Deserialize)]
        struct Needs {
            id: u32,
        }
        let shape = ItemShape::new(Provider::Kitchen, "list_invoices", "id");
        let bad = r#"{"id":"in_2","amount":"x"}"#;
        let results: Vec<_> = [raw(r#"{"id":1}"#), raw(bad)]
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                map_item(shape, Some(index), raw, |needs: Needs, raw, _: &Fields| {
                    Invoice::new(Provider::Kitchen, needs.id.to_string(), raw)
                })
            })
            .collect();
        assert_eq!(results[0].as_ref().unwrap().id, "1");
        let err = results[1].as_ref().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(r#"kitchen list_invoices: cannot decode invoice at index 1 (id "in_2"): at `id`: invalid type: string "in_2", expected u32 at line 1 column 12 (in the invoice's JSON)"#),
            "{text}"
        );
        assert!(
            text.ends_with(r#"JSON starts "{\"id\":\"in_2\",\"amount\":\"x\"}""#),
            "{text}"
        );
        assert!(matches!(err, Error::Decode { raw: Some(raw), .. } if raw.get() == bad));
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "é".repeat(100_000);
        let cut = excerpt(long.as_bytes());
        assert!(cut.len() < 1100 && cut.ends_with('…'), "{}", cut.len());
        assert_eq!(&*excerpt(b"short"), "short");
    }
}
