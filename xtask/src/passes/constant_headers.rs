//! Pass 5, constant_headers: between validate and generate, headers the vendor
//! requires on every request with one fixed value become the client's, not each call's.
//!
//! A vendor document declares such a header as a required header parameter
//! whose schema allows exactly one string (Kitchen's
//! `X-Requested-With: XMLHttpRequest`). Left in, progenitor would make it a
//! builder method every caller has to remember; taken out here, the
//! generated `Client::with_auth` sends it on every request (see
//! `postprocess::client_hooks`). The spec stays the one place the fact is
//! written.

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StringType, Type,
};

/// Removes every constant required header parameter from `spec`'s
/// operations and returns them, header name to value.
///
/// # Errors
/// When one header is required with different fixed values in different
/// places, naming the header and both values.
pub fn take(spec: &mut OpenAPI) -> Result<BTreeMap<String, String>, String> {
    let components = spec.components.clone().unwrap_or_default();
    let constant = |parameter: &ReferenceOr<Parameter>| -> Option<(String, String)> {
        let parameter = match parameter {
            ReferenceOr::Item(parameter) => parameter,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                components.parameters.get(name)?.as_item()?
            }
        };
        let Parameter::Header { parameter_data, .. } = parameter else {
            return None;
        };
        let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &parameter_data.format
        else {
            return None;
        };
        let SchemaKind::Type(Type::String(StringType { enumeration, .. })) = &schema.schema_kind
        else {
            return None;
        };
        match enumeration.as_slice() {
            [Some(value)] if parameter_data.required => {
                Some((parameter_data.name.clone(), value.clone()))
            }
            _ => None,
        }
    };
    let mut headers = BTreeMap::new();
    let mut keep = |parameters: &mut Vec<ReferenceOr<Parameter>>| -> Result<(), String> {
        let mut error = Ok(());
        parameters.retain(|parameter| {
            let Some((name, value)) = constant(parameter) else {
                return true;
            };
            match headers.insert(name.clone(), value.clone()) {
                Some(other) if other != value => {
                    error = Err(format!(
                        "header `{name}` is required with the value {other:?} in one place and {value:?} in another"
                    ));
                }
                _ => {}
            }
            false
        });
        error
    };
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        keep(&mut item.parameters)?;
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        {
            keep(&mut operation.parameters)?;
        }
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_norway::from_str(yaml).unwrap()
    }

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      parameters:
        - $ref: '#/components/parameters/Client'
        - {name: X-Trace, in: header, required: false, schema: {type: string, enum: [on]}}
        - {name: page, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
  /b:
    parameters:
      - {name: X-Client, in: header, required: true, schema: {type: string, enum: [VALUE]}}
    get:
      operationId: b
      responses: {'200': {description: ok}}
components:
  parameters:
    Client: {name: X-Client, in: header, required: true, schema: {type: string, enum: [VALUE]}}
"#;

    #[test]
    fn constant_required_headers_move_to_the_client() {
        let mut doc = spec(DOC);
        let headers = take(&mut doc).unwrap();
        assert_eq!(
            headers,
            BTreeMap::from([("X-Client".to_owned(), "VALUE".to_owned())])
        );
        let a = doc.paths.paths["/a"]
            .as_item()
            .unwrap()
            .get
            .as_ref()
            .unwrap();
        // The optional header and the query parameter stay on the operation.
        assert_eq!(a.parameters.len(), 2);
        assert!(
            doc.paths.paths["/b"]
                .as_item()
                .unwrap()
                .parameters
                .is_empty()
        );
    }

    #[test]
    fn one_header_with_two_values_is_an_error() {
        let mut doc = spec(&DOC.replace("enum: [VALUE]}}\n    get:", "enum: [OTHER]}}\n    get:"));
        let err = take(&mut doc).unwrap_err();
        assert!(err.contains("`X-Client`"), "{err}");
    }
}
