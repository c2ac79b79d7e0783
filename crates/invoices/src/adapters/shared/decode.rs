//! Reading a response body: the page envelope once, then each invoice on
//! its own, so one bad invoice does not cost the rest of the page.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::model::{Invoice, Provider};

/// How much JSON a decode error quotes.
const EXCERPT_CHARS: usize = 300;

/// The runtime's error for a failed call of a generated client, with the
/// vendor's message read from a documented error body.
pub(crate) async fn api_error<E: Serialize>(
    provider: Provider,
    operation: &'static str,
    err: progenitor_client::Error<E>,
) -> Error {
    Error::Api(invoicing_runtime::Error::from_progenitor(provider.origin(operation), err).await)
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
        excerpt: excerpt(&String::from_utf8_lossy(body)),
    })
}

/// Decodes every raw invoice of a page as `T` and maps it; each invoice
/// succeeds or fails alone.
pub(crate) fn map_items<T, F>(
    provider: Provider,
    operation: &'static str,
    raws: Vec<Box<RawValue>>,
    mut map: F,
) -> Vec<Result<Invoice>>
where
    T: DeserializeOwned,
    F: FnMut(T, Box<RawValue>) -> Result<Invoice>,
{
    raws.into_iter()
        .enumerate()
        .map(|(index, raw)| map_item(provider, operation, Some(index), raw, &mut map))
        .collect()
}

/// Decodes one raw invoice as `T` and maps it; `index` is its position on
/// its page, for the error message.
pub(crate) fn map_item<T, F>(
    provider: Provider,
    operation: &'static str,
    index: Option<usize>,
    raw: Box<RawValue>,
    map: F,
) -> Result<Invoice>
where
    T: DeserializeOwned,
    F: FnOnce(T, Box<RawValue>) -> Result<Invoice>,
{
    match invoicing_runtime::json::from_slice::<T>(raw.get().as_bytes()) {
        Ok(decoded) => map(decoded, raw),
        Err(err) => Err(Error::Decode {
            origin: provider.origin(operation),
            item: Some(describe(index, &raw)),
            detail: err.to_string(),
            excerpt: excerpt(raw.get()),
        }),
    }
}

/// `invoice at index 2 (id "in_1")`, or as much of it as is known: the id
/// is read leniently, since the invoice failed to decode.
fn describe(index: Option<usize>, raw: &RawValue) -> String {
    #[derive(serde::Deserialize)]
    struct Ids {
        id: Option<serde_json::Value>,
        uuid: Option<serde_json::Value>,
    }
    let id = serde_json::from_str::<Ids>(raw.get())
        .ok()
        .and_then(|ids| ids.id.or(ids.uuid))
        .and_then(|id| match id {
            serde_json::Value::String(id) => Some(id),
            serde_json::Value::Number(id) => Some(id.to_string()),
            _ => None,
        });
    let mut text = match index {
        Some(index) => format!("invoice at index {index}"),
        None => "invoice".to_owned(),
    };
    if let Some(id) = id {
        text.push_str(&format!(" (id {id:?})"));
    }
    text
}

/// The start of `text`, cut at a character boundary.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    #[test]
    fn one_bad_invoice_fails_alone_and_is_named() {
        #[derive(serde::Deserialize)]
        struct Needs {
            amount: u32,
        }
        let results = map_items(
            Provider::Kitchen,
            "list_invoices",
            vec![raw(r#"{"amount":1}"#), raw(r#"{"id":"in_2","amount":"x"}"#)],
            |needs: Needs, raw| {
                let mut invoice = Invoice::new(Provider::Kitchen, needs.amount.to_string(), raw);
                invoice.number = Some("ok".to_owned());
                Ok(invoice)
            },
        );
        assert_eq!(results[0].as_ref().unwrap().id, "1");
        let err = results[1].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with(r#"kitchen list_invoices: cannot decode invoice at index 1 (id "in_2"): at `amount`: invalid type"#),
            "{err}"
        );
        assert!(
            err.ends_with(r#"JSON starts "{\"id\":\"in_2\",\"amount\":\"x\"}""#),
            "{err}"
        );
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "é".repeat(1000);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short"), "short");
    }
}
