//! Where an error came from: which provider, which operation, which page.

use std::fmt;

use crate::quote::bounded;

/// A provider's name as its generated crate declares it (`invoicing_kitchen::PROVIDER`),
/// e.g. `sendcloud-v3`.
///
/// The runtime knows no vendor by name; a generated crate names itself with
/// this, and the `invoicing` facade maps its own `Provider` enum to and from
/// it, so errors of every layer carry the same value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderId(&'static str);

impl ProviderId {
    /// The provider called `name`.
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// The name, e.g. `sendcloud-v3`.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Which provider, operation and page an error belongs to.
///
/// Every [`Error`](crate::Error) has one, and the `invoicing` facade's errors
/// carry the same type. Display: `kitchen list_invoices (page 3)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The provider.
    pub provider: ProviderId,
    /// The operation, as the generated client names it (`list_invoices`);
    /// `None` when the error belongs to no call (building credentials).
    pub operation: Option<&'static str>,
    /// Where in a listing, in the vendor's own terms: `page 3`,
    /// `cursor "cD0xMjM="`, `page token "abc"`. Code that pages fills it in
    /// with [`Error::on_page`](crate::Error::on_page); a single call leaves it
    /// `None`. (Thin boxes, here and for `request_id`: errors carry an
    /// origin, and stay within clippy's `result_large_err` bound.)
    pub page: Option<Box<String>>,
    /// The vendor's id of the request that failed, from the response header
    /// its generated crate declares
    /// ([`ClientContext::with_request_id_header`](crate::ClientContext::with_request_id_header)):
    /// what the vendor's support asks for. Scrubbed of credentials like the
    /// rest of the response, cut to about 1 KiB.
    pub request_id: Option<Box<String>>,
}

impl Origin {
    /// `operation` of `provider`, on no particular page.
    pub fn new(provider: ProviderId, operation: Option<&'static str>) -> Self {
        Self {
            provider,
            operation,
            page: None,
            request_id: None,
        }
    }

    /// The same origin with the vendor's request id `id`.
    pub fn with_request_id(mut self, id: &str) -> Self {
        self.request_id = Some(Box::new(bounded(id).into_owned()));
        self
    }

    /// The same origin on `page` (a description such as `page 3`; long
    /// vendor cursors are cut to about 1 KiB).
    pub fn on_page(mut self, page: &str) -> Self {
        self.page = Some(Box::new(bounded(page).into_owned()));
        self
    }

    /// The page, when the error belongs to one (see [`Origin::page`]).
    pub fn page(&self) -> Option<&str> {
        self.page.as_deref().map(String::as_str)
    }

    /// The vendor's request id, when known (see [`Origin::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref().map(String::as_str)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.provider.as_str())?;
        if let Some(operation) = self.operation {
            write!(f, " {operation}")?;
        }
        match (&self.page, &self.request_id) {
            (Some(page), Some(id)) => write!(f, " ({page}, request id {id})"),
            (Some(page), None) => write!(f, " ({page})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_provider_operation_and_page() {
        let kitchen = ProviderId::new("kitchen");
        assert_eq!(Origin::new(kitchen, None).to_string(), "kitchen");
        let list = Origin::new(kitchen, Some("list_invoices"));
        assert_eq!(list.to_string(), "kitchen list_invoices");
        assert_eq!(
            list.clone().on_page("page 3").to_string(),
            "kitchen list_invoices (page 3)"
        );
        assert_eq!(format!("{kitchen:?}"), "\"kitchen\"");
        let failed = list.clone().with_request_id("req_7");
        assert_eq!(
            failed.to_string(),
            "kitchen list_invoices (request id req_7)"
        );
        assert_eq!(
            failed.on_page("page 3").to_string(),
            "kitchen list_invoices (page 3, request id req_7)"
        );
    }

    #[test]
    fn a_huge_cursor_is_cut() {
        let origin = Origin::new(ProviderId::new("p"), Some("op")).on_page(&"c".repeat(100_000));
        assert!(origin.page.unwrap().len() < 1100);
    }
}
