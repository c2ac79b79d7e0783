//! Operations, their parameters and responses as the vendor's document
//! names them: the terms of the spec diff and of enum locations.

use openapiv3::{Operation, Parameter, ReferenceOr, Response};

use super::format::Format;

/// An operation as the vendor documents it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpName {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template, e.g. `/invoices/{invoice_id}`.
    pub path: String,
    /// The `operationId`, if the operation has one.
    pub operation_id: Option<String>,
}

impl OpName {
    pub(crate) fn new(method: &str, path: &str, operation: &Operation) -> Self {
        OpName {
            method: method.to_uppercase(),
            path: path.to_owned(),
            operation_id: operation.operation_id.clone(),
        }
    }
}

impl OpName {
    /// ``GET /invoices (listInvoices)``, names set apart as `format` does.
    pub fn describe(&self, format: Format) -> String {
        let mut out = format.code(&format!("{} {}", self.method, self.path));
        if let Some(id) = &self.operation_id {
            out.push_str(&format!(" ({})", format.code(id)));
        }
        out
    }
}

/// `query`, `path`, `header` or `cookie`.
pub(crate) fn parameter_location(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// An operation's responses by status: `200`, `4XX`, `default`.
pub(crate) fn responses_of(
    operation: &Operation,
) -> impl Iterator<Item = (String, &ReferenceOr<Response>)> {
    let statuses = operation.responses.responses.iter();
    let default = operation.responses.default.iter();
    statuses
        .map(|(status, r)| (status.to_string(), r))
        .chain(default.map(|r| ("default".to_owned(), r)))
}
