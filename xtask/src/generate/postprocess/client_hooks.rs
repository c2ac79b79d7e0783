//! Wires the generated client to the runtime crate, and adds what progenitor
//! cannot know from a spec alone: the provider's name, its server URL, the
//! headers it requires, a constructor that sets up auth and retries, and
//! `auth_from_env()` reading the variables its manifest entry names.
//!
//! It also adds a hidden `__contract` module that decodes a response body
//! into the type an operation returns for a status, keyed by the spec's own
//! `operationId`, so the contract tests can feed every example in `specs/`
//! through the generated types without knowing those types.
//!
//! The generate pass already sets what progenitor can (`with_inner_type`,
//! `HooksMode::Expected`). Only `ClientHooks::exec` can change how a request
//! is sent (credentials on every attempt, retries, limits), so the
//! `ClientHooks` impl is written here: one call to
//! `invoicing_runtime::ClientContext::exec`, where the logic lives and is
//! tested.

use std::collections::BTreeMap;

use quote::{format_ident, quote};

use crate::generate::progenitor_output::{is_json_body, operation_id, send_types, sends};
use crate::generate::shape::Wire;
use crate::naming::snake_ident;
use crate::spec::credentials::{self, EnvCredentials, Kind};
use crate::spec::error::SpecError;
use crate::spec::idempotency::KeyIn;
use crate::spec::manifest::Provider;
use crate::spec::parameters::OperationParameters;

use super::idempotency_keys;

/// What the passes need to know about the provider and its spec.
#[derive(Debug, Clone, Default)]
pub struct ClientFacts {
    /// The provider's name, as in `specs/providers.toml`.
    pub provider: String,
    /// Headers the vendor requires on every request with one fixed value
    /// (from the spec, see [`crate::generate::constant_headers`]).
    pub headers: BTreeMap<String, String>,
    /// The spec's first server URL, `{variables}` unreplaced.
    pub server_url: Option<String>,
    /// The server's variables with their descriptions, in spec order.
    pub server_variables: Vec<(String, String)>,
    /// Every `operationId` in the spec.
    pub operation_ids: Vec<String>,
    /// How requests and responses differ from what progenitor writes
    /// (the shape pass's record).
    pub wire: Wire,
    /// Each operation's parameters with their constraints.
    pub parameters: Vec<OperationParameters>,
    /// Where `auth_from_env()` reads credentials, in order.
    pub credentials: Vec<EnvCredentials>,
    /// The operations the spec declares paged.
    pub paged: Vec<crate::spec::paging::PagedOperation>,
    /// The response header with the vendor's request id (manifest
    /// `request_id`).
    pub request_id: Option<String>,
    /// The writes that take an idempotency key, by `operationId`, and
    /// where (see [`crate::spec::idempotency`]).
    pub idempotency_keys: Vec<(String, KeyIn)>,
}

impl ClientFacts {
    /// The facts from `provider`'s manifest entry, its `spec`, and the
    /// `headers` the `constant_headers` pass took out of its operations.
    ///
    /// # Errors
    /// The manifest's credentials do not fit the spec's security schemes.
    pub fn new(
        provider: &Provider,
        spec: &openapiv3::OpenAPI,
        headers: BTreeMap<String, String>,
    ) -> Result<Self, SpecError> {
        let server = spec.servers.first();
        Ok(ClientFacts {
            provider: provider.name.clone(),
            headers,
            // Paths start with `/`, so a server URL ending in one (Stripe's
            // `https://api.stripe.com/`) would send `//v1/...`.
            server_url: server.map(|s| s.url.trim_end_matches('/').to_owned()),
            server_variables: server
                .and_then(|s| s.variables.as_ref())
                .map(|vars| {
                    vars.iter()
                        .map(|(name, v)| {
                            (
                                name.clone(),
                                v.description
                                    .clone()
                                    .unwrap_or_else(|| format!("default `{}`", v.default)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            operation_ids: spec
                .paths
                .paths
                .values()
                .filter_map(|item| item.as_item())
                .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
                .collect(),
            wire: Wire::default(),
            parameters: crate::spec::parameters::read(spec),
            credentials: credentials::resolve(provider, spec)?,
            paged: Vec::new(),
            request_id: provider.request_id.clone(),
            idempotency_keys: Vec::new(),
        })
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
    let before = file.items.len();
    let provider = &facts.provider;
    let headers = facts
        .headers
        .iter()
        .map(|(name, value)| quote!(.with_header(#name, #value)));
    let request_id = facts
        .request_id
        .iter()
        .map(|name| quote!(.with_request_id_header(#name)))
        .chain(idempotency_keys::context_calls(
            file,
            &facts.idempotency_keys,
        ));
    idempotency_keys::builder_methods(file, &facts.idempotency_keys);
    file.items.push(syn::parse_quote! {
        pub use invoicing_runtime::{Auth, ClientContext, Number};
    });
    file.items.push(syn::parse_quote! {
        /// The provider name this client reports in errors.
        pub const PROVIDER: invoicing_runtime::ProviderId =
            invoicing_runtime::ProviderId::new(#provider);
    });
    if let Some(url) = &facts.server_url {
        file.items.push(server_item(url, &facts.server_variables));
    }
    file.items.push(syn::parse_quote! {
        /// The runtime context of this provider's clients: `auth`, the
        /// headers the vendor requires, and the runtime's default retries
        /// and limits. Change those on it and pass it to
        /// `Client::new_with_client`.
        pub fn context(auth: Auth) -> ClientContext {
            ClientContext::new(PROVIDER, auth) #(#headers)* #(#request_id)*
        }
    });
    file.items.push(syn::parse_quote! {
        /// Every request goes through the runtime: credentials, retries,
        /// limits, and credentials scrubbed from what comes back.
        impl ClientHooks<ClientContext> for Client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner.exec(&self.client, request, info).await
            }
        }
    });
    file.items.push(syn::parse_quote! {
        impl Client {
            /// A client for `base_url` that authenticates with `auth`, with
            /// the runtime's timeouts, retries and the headers this provider
            /// requires ([`context`]).
            pub fn with_auth(base_url: &str, auth: Auth) -> Self {
                Self::new_with_client(base_url, invoicing_runtime::http_client(), context(auth))
            }
        }
    });
    if !facts.credentials.is_empty() {
        file.items.extend(env_auth_items(&facts.credentials));
    }
    file.items
        .push(contract_module(file, &facts.operation_ids)?);
    Ok(file.items.len() - before)
}

/// `ENV_CREDENTIALS`, `auth_from_env()` and `auth_from_vars()`; the crate
/// docs list the variables, once.
fn env_auth_items(options: &[EnvCredentials]) -> Vec<syn::Item> {
    let options = options.iter().map(|option| match &option.kind {
        Kind::Basic { user, password } => quote! {
            invoicing_runtime::EnvCredentials::Basic { user: #user, password: #password }
        },
        Kind::Bearer { token } => quote! {
            invoicing_runtime::EnvCredentials::Bearer { token: #token }
        },
        Kind::OAuth2ClientCredentials {
            token_url,
            scope,
            client_id,
            client_secret,
        } => {
            let scope = match scope {
                Some(scope) => quote!(Some(#scope)),
                None => quote!(None),
            };
            quote! {
                invoicing_runtime::EnvCredentials::OAuth2ClientCredentials {
                    token_url: #token_url,
                    scope: #scope,
                    client_id: #client_id,
                    client_secret: #client_secret,
                }
            }
        }
        Kind::CdpKey { key_id, secret } => quote! {
            invoicing_runtime::EnvCredentials::CdpKey { key_id: #key_id, secret: #secret }
        },
    });
    let items: syn::File = syn::parse_quote! {
        /// Where [`auth_from_env`] reads credentials, in order of
        /// preference (the crate docs list them).
        pub const ENV_CREDENTIALS: &[invoicing_runtime::EnvCredentials] = &[#(#options),*];

        /// Credentials from the process environment, from the first of
        /// [`ENV_CREDENTIALS`] that any variable is set for; the crate docs
        /// list the variables.
        ///
        /// # Errors
        /// `Error::Config` naming the variables that are missing.
        pub fn auth_from_env() -> ::std::result::Result<Auth, invoicing_runtime::Error> {
            Auth::from_env(PROVIDER, ENV_CREDENTIALS)
        }

        /// Like [`auth_from_env`], reading each variable through `var` (a
        /// config file, a secrets manager, a test's map).
        ///
        /// # Errors
        /// As [`auth_from_env`].
        pub fn auth_from_vars(
            var: impl Fn(&str) -> Option<String>,
        ) -> ::std::result::Result<Auth, invoicing_runtime::Error> {
            Auth::from_vars(PROVIDER, ENV_CREDENTIALS, var)
        }
    };
    items.items
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
        .map(|(name, _)| format_ident!("{}", snake_ident(name)));
    let replaces = variables.iter().map(|(name, _)| {
        let placeholder = format!("{{{name}}}");
        let ident = format_ident!("{}", snake_ident(name));
        quote!(.replace(#placeholder, #ident))
    });
    syn::parse_quote! {
        #[doc = #doc]
        pub fn server_url(#(#params: &str),*) -> String {
            #url.to_string() #(#replaces)*
        }
    }
}

fn contract_module(file: &syn::File, operation_ids: &[String]) -> Result<syn::Item, String> {
    let sends: Vec<_> = sends(file)
        .filter_map(|send| Some((operation_id(send)?, send_types(&send.sig.output)?)))
        .collect();
    let mut arms = Vec::new();
    for original in operation_ids {
        let wanted = snake_ident(original);
        let (_, (success, error)) =
            sends.iter().find(|(id, _)| *id == wanted).ok_or_else(|| {
                format!("no generated operation for operationId {original} (looked for {wanted})")
            })?;
        for (is_success, ty) in [(true, success), (false, error)] {
            if !is_json_body(ty) {
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
    // Without a JSON response there is nothing to decode, and nothing
    // reads the status or the body.
    let (status, body) = if arms.is_empty() {
        (quote!(_status), quote!(_body))
    } else {
        (quote!(status), quote!(body))
    };
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
                #status: &str,
                #body: &str,
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

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    const GENERATED: &str = r#"
        pub mod types { pub struct Page; pub struct Error; }
        pub struct Client { inner: invoicing_runtime::ClientContext }
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
            ..ClientFacts::default()
        }
    }

    #[test]
    fn the_request_id_header_goes_to_the_context_when_declared() {
        let context_of = |facts: &ClientFacts| {
            let mut file = parse(GENERATED);
            apply(&mut file, facts).unwrap();
            let code = crate::generate::postprocess::render(&file);
            let start = code.find("pub fn context(").expect("a context()");
            code[start..start + code[start..].find("\n}").unwrap()].to_owned()
        };
        let mut declared = facts();
        declared.request_id = Some("X-Request-Id".into());
        declared.idempotency_keys = vec![
            (
                "listInvoices".into(),
                KeyIn::Header("Idempotency-Key".into()),
            ),
            (
                "download-pdf".into(),
                KeyIn::BodyField("idempotency_key".into()),
            ),
            // Not generated: not declared to the runtime.
            (
                "createInvoice".into(),
                KeyIn::Header("Idempotency-Key".into()),
            ),
        ];
        let context = context_of(&declared);
        assert!(
            context.contains(".with_request_id_header(\"X-Request-Id\")")
                && context.contains(
                    ".with_idempotency_key(\n            \"list_invoices\",\n            \
                     invoicing_runtime::IdempotencyKey::Header(\"Idempotency-Key\"),"
                )
                && context.contains("\"download_pdf\"")
                && context.contains("IdempotencyKey::BodyField(\"idempotency_key\")")
                && !context.contains("create_invoice"),
            "{context}"
        );
        assert!(!context_of(&facts()).contains("with_request_id_header"));
    }

    #[test]
    fn an_operation_progenitor_did_not_generate_is_an_error() {
        let mut file = parse(GENERATED);
        let mut facts = facts();
        facts.operation_ids.push("getInvoice".into());
        let e = apply(&mut file, &facts).unwrap_err();
        assert!(e.contains("getInvoice"), "{e}");
    }
}
