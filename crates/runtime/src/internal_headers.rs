//! Response headers the runtime adds to carry what progenitor's code would
//! otherwise drop between [`ClientContext::send`](crate::ClientContext::send)
//! and the errors built from its response.

/// The response header that says how many times its request was sent.
///
/// progenitor keeps only the status and headers of a documented error
/// response, so the count travels as a header to reach the error built from
/// it (`attempts` in [`Error::RateLimited`](crate::Error::RateLimited), [`Error::Server`](crate::Error::Server)).
pub(crate) const ATTEMPTS_HEADER: &str = "x-invoicing-attempts";

/// The response header that carries the vendor's request id, copied from
/// the header the context declares
/// ([`ClientContext::with_request_id_header`](crate::ClientContext::with_request_id_header)), so that the errors built
/// from the response find it without knowing the vendor's header.
pub(crate) const REQUEST_ID_HEADER: &str = "x-invoicing-request-id";
