//! Wires the generated client to the runtime crate, and adds what progenitor
//! cannot know from a spec alone: the provider's name, its server URL, the
//! headers it requires, and a constructor that sets up auth and retries.
//!
//! It also adds a hidden `__contract` module that decodes a response body
//! into the type an operation returns for a status, keyed by the spec's own
//! `operationId`, so the contract tests can feed every example in `specs/`
//! through the generated types without knowing those types.

use std::collections::BTreeMap;

use quote::{ToTokens, format_ident, quote};

/// What the pass needs to know about the provider and its spec.
#[derive(Debug, Clone)]
pub struct ClientFacts {
    /// The provider's name, as in `specs/providers.toml`.
    pub provider: String,
    /// Headers the vendor requires on every request with one fixed value
    /// (from the spec, see `passes::constant_headers`).
    pub headers: BTreeMap<String, String>,
    /// The spec's first server URL, `{variables}` unreplaced.
    pub server_url: Option<String>,
    /// The server's variables with their descriptions, in spec order.
    pub server_variables: Vec<(String, String)>,
    /// Every `operationId` in the spec.
    pub operation_ids: Vec<String>,
}

pub fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    let provider = &facts.provider;
    let headers = facts
        .headers
        .iter()
        .map(|(name, value)| quote!(.with_header(#name, #value)));
    file.items.push(syn::parse_quote! {
        pub use invoicing_runtime::{Auth, Context, Number};
    });
    file.items.push(syn::parse_quote! {
        /// The provider name this client reports in errors and logs.
        pub const PROVIDER: &str = #provider;
    });
    if let Some(url) = &facts.server_url {
        file.items.push(server_item(url, &facts.server_variables));
    }
    file.items.push(syn::parse_quote! {
        /// Authentication and retries go through the runtime crate.
        impl ClientHooks<invoicing_runtime::Context> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                self.inner
                    .prepare(request)
                    .await
                    .map_err(|e| Error::Custom(e.to_string()))
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner.execute(&self.client, request, info.operation_id).await
            }
        }
    });
    file.items.push(syn::parse_quote! {
        impl Client {
            /// A client for `base_url` that authenticates with `auth`, with
            /// the runtime's timeouts, retries and the headers this provider
            /// requires.
            pub fn with_auth(base_url: &str, auth: Auth) -> Self {
                Self::new_with_client(
                    base_url,
                    invoicing_runtime::http_client(),
                    Context::new(PROVIDER, auth) #(#headers)*,
                )
            }
        }
    });
    file.items
        .push(contract_module(file, &facts.operation_ids)?);
    Ok(())
}

fn server_item(url: &str, variables: &[(String, String)]) -> syn::Item {
    if variables.is_empty() {
        let doc = format!("The vendor's server, from the spec: <{url}>.");
        return syn::parse_quote! {
            #[doc = #doc]
            pub const SERVER_URL: &str = #url;
        };
    }
    let mut doc = format!("The vendor's server URL, `{url}`, with its variables filled in:\n");
    for (name, description) in variables {
        doc.push_str(&format!("\n- `{name}`: {description}"));
    }
    let params = variables
        .iter()
        .map(|(name, _)| format_ident!("{}", sanitize(name)));
    let replaces = variables.iter().map(|(name, _)| {
        let placeholder = format!("{{{name}}}");
        let ident = format_ident!("{}", sanitize(name));
        quote!(.replace(#placeholder, #ident))
    });
    syn::parse_quote! {
        #[doc = #doc]
        pub fn server_url(#(#params: &str),*) -> String {
            #url.to_string() #(#replaces)*
        }
    }
}

fn sanitize(name: &str) -> String {
    let snake: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else {
        snake
    }
}

/// progenitor names methods by snake-casing the `operationId`.
pub fn method_name(operation_id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in operation_id.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_matches('_').to_string()
}

/// One operation's `send()`: its progenitor name and what it decodes.
struct Send {
    operation_id: String,
    success: syn::Type,
    error: syn::Type,
}

fn contract_module(file: &syn::File, operation_ids: &[String]) -> Result<syn::Item, String> {
    let sends = find_sends(file);
    let mut arms = Vec::new();
    for original in operation_ids {
        let wanted = method_name(original);
        let send = sends
            .iter()
            .find(|s| s.operation_id == wanted)
            .ok_or_else(|| {
                format!("no generated operation for operationId {original} (looked for {wanted})")
            })?;
        for (is_success, ty) in [(true, &send.success), (false, &send.error)] {
            if !decodes_json(ty) {
                continue;
            }
            let guard = if is_success {
                quote!(status.starts_with('2'))
            } else {
                quote!(!status.starts_with('2'))
            };
            arms.push(quote! {
                #original if #guard => Some(serde_json::from_str::<#ty>(body).map(drop)),
            });
        }
    }
    Ok(syn::parse_quote! {
        /// Support for the contract tests: not part of the API.
        #[doc(hidden)]
        pub mod __contract {
            use super::types;

            /// Decodes `body` as the type `operation_id` returns for
            /// `status` (`"200"`, `"404"`, `"default"`), or `None` when
            /// that response has no JSON type.
            pub fn decode_response(
                operation_id: &str,
                status: &str,
                body: &str,
            ) -> Option<Result<(), serde_json::Error>> {
                #[allow(unused_imports)]
                use types::*;
                match operation_id {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    })
}

/// `()` (no body) and `ByteStream` (not JSON) have nothing to decode.
fn decodes_json(ty: &syn::Type) -> bool {
    let text = ty.to_token_stream().to_string();
    !(text == "()" || text.ends_with("ByteStream"))
}

fn find_sends(file: &syn::File) -> Vec<Send> {
    let mut found = Vec::new();
    let builder = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    for item in builder.into_iter().flatten() {
        let syn::Item::Impl(imp) = item else { continue };
        for f in imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        }) {
            let (Some((success, error)), Some(operation_id)) =
                (super::result_types(&f.sig.output), operation_id(&f.block))
            else {
                continue;
            };
            found.push(Send {
                operation_id,
                success,
                error,
            });
        }
    }
    found
}

/// The string in `OperationInfo { operation_id: "..." }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    let text = block.to_token_stream().to_string();
    let rest = &text[text.find("operation_id :")? + "operation_id :".len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};
    use super::*;

    const GENERATED: &str = r#"
        pub mod types { pub struct Page; pub struct Error; }
        pub struct Client { inner: invoicing_runtime::Context }
        pub mod builder {
            impl<'a> ListInvoices<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<types::Error>> {
                    let info = OperationInfo { operation_id: "list_invoices" };
                    todo!()
                }
            }
            impl<'a> Download<'a> {
                pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<()>> {
                    let info = OperationInfo { operation_id: "download_pdf" };
                    todo!()
                }
            }
        }"#;

    fn facts() -> ClientFacts {
        ClientFacts {
            provider: "kitchen".into(),
            headers: [("X-Requested-With".to_string(), "XMLHttpRequest".to_string())].into(),
            server_url: Some("https://{workspace}.kitchen.co/api".into()),
            server_variables: vec![("workspace".into(), "Your subdomain.".into())],
            operation_ids: vec!["listInvoices".into(), "download-pdf".into()],
        }
    }

    #[test]
    fn adds_runtime_wiring_server_and_contract_dispatch() {
        let mut file = parse(GENERATED);
        apply(&mut file, &facts()).unwrap();
        let out = render(&file);
        assert!(
            out.contains(r#"pub const PROVIDER: &str = "kitchen";"#),
            "{out}"
        );
        assert!(
            out.contains(r#"pub fn server_url(workspace: &str) -> String"#),
            "{out}"
        );
        assert!(
            out.contains(r#".replace("{workspace}", workspace)"#),
            "{out}"
        );
        assert!(
            out.contains("impl ClientHooks<invoicing_runtime::Context> for Client"),
            "{out}"
        );
        assert!(
            out.contains(r#".with_header("X-Requested-With", "XMLHttpRequest")"#),
            "{out}"
        );
        assert!(
            out.contains(r#""listInvoices" if status.starts_with('2') => {"#)
                && out.contains("serde_json::from_str::<types::Page>(body)"),
            "{out}"
        );
        assert!(
            out.contains("serde_json::from_str::<types::Error>(body)"),
            "{out}"
        );
        assert!(
            !out.contains("\"download-pdf\" if"),
            "byte streams and () are not decoded: {out}"
        );
    }

    #[test]
    fn an_operation_progenitor_did_not_generate_is_an_error() {
        let mut file = parse(GENERATED);
        let mut facts = facts();
        facts.operation_ids.push("getInvoice".into());
        let e = apply(&mut file, &facts).unwrap_err();
        assert!(e.contains("getInvoice"), "{e}");
    }

    #[test]
    fn method_names_follow_progenitor() {
        assert_eq!(method_name("listInvoices"), "list_invoices");
        assert_eq!(
            method_name("sc-public-v2-scp-get-all_user_invoices"),
            "sc_public_v2_scp_get_all_user_invoices"
        );
        assert_eq!(method_name("retrieve_invoice"), "retrieve_invoice");
    }
}
