//! A documented error status keeps its status even when its body is not the
//! documented one.
//!
//! progenitor decodes the body of a documented error status (a 404, a 500)
//! into the spec's error type with `?`, so an HTML page from a proxy or an
//! empty body becomes `InvalidResponsePayload`, which has no status: a
//! caller can no longer tell "not found" from "garbled". Here the body is
//! read once and, if it is not the documented shape, the response is
//! rebuilt (status, headers, body) as `UnexpectedResponse`, which still
//! says what the server answered. progenitor has no setting for how `send()`
//! reads a body.

use syn::visit_mut::{self, VisitMut};

use crate::progenitor_output::{is_documented_error_arm, read_response_parts};

pub(super) fn apply(file: &mut syn::File) {
    ErrorArms.visit_file_mut(file);
}

struct ErrorArms;

impl VisitMut for ErrorArms {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if is_documented_error_arm(arm) {
            let read = read_response_parts();
            *arm.body = syn::parse_quote!({
                #(#read)*
                match serde_json::from_slice(&body) {
                    Ok(documented) => Err(Error::ErrorResponse(ResponseValue::new(
                        documented, status, headers,
                    ))),
                    Err(_) => {
                        let mut rebuilt = ::http::Response::new(body);
                        *rebuilt.status_mut() = status;
                        *rebuilt.headers_mut() = headers;
                        Err(Error::UnexpectedResponse(reqwest::Response::from(rebuilt)))
                    }
                }
            });
            return;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}
