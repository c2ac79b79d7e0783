//! A provider's credentials from the environment: its manifest entry's
//! `credentials` read against the spec's security schemes.
//!
//! The manifest says which variables hold which scheme's credentials; the
//! spec says what kind of credentials the scheme takes and, for OAuth2,
//! where the token comes from. The generated crate gets the result as its
//! `auth_from_env()` and documents it in its crate docs, so each fact has
//! one place and the runtime knows no provider.

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::spec::error::SpecError;
use crate::spec::manifest::{CredentialsKind, Provider};

/// One kind of credentials and the variables that hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvCredentials {
    /// The spec's security scheme.
    pub scheme: String,
    /// What the variables hold.
    pub kind: Kind,
}

/// What the variables hold (`invoicing_runtime::EnvCredentials` has the
/// same variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// HTTP Basic.
    Basic {
        /// User name variable.
        user: String,
        /// Password variable.
        password: String,
    },
    /// A fixed bearer token.
    Bearer {
        /// Token variable.
        token: String,
    },
    /// OAuth2 client credentials.
    OAuth2ClientCredentials {
        /// The scheme's token URL.
        token_url: String,
        /// The scheme's scopes, space-separated; `None` when it lists none.
        scope: Option<String>,
        /// Client id variable.
        client_id: String,
        /// Client secret variable.
        client_secret: String,
    },
    /// A Coinbase Developer Platform key.
    CdpKey {
        /// Key id variable.
        key_id: String,
        /// Key secret variable.
        secret: String,
    },
}

impl EnvCredentials {
    /// The variables and what they make, for the crate docs:
    /// `` `A_USER` and `A_PASSWORD`: HTTP Basic (scheme `basic`) ``.
    pub fn describe(&self) -> String {
        let vars = |names: &[&String]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let (names, what) = match &self.kind {
            Kind::Basic { user, password } => (vars(&[user, password]), "HTTP Basic".to_owned()),
            Kind::Bearer { token } => (vars(&[token]), "a bearer token".to_owned()),
            Kind::OAuth2ClientCredentials {
                token_url,
                scope,
                client_id,
                client_secret,
            } => (
                vars(&[client_id, client_secret]),
                format!(
                    "OAuth2 client credentials, token from <{token_url}>{}",
                    scope
                        .as_ref()
                        .map(|s| format!(", scope `{s}`"))
                        .unwrap_or_default()
                ),
            ),
            Kind::CdpKey { key_id, secret } => (
                vars(&[key_id, secret]),
                "a Coinbase Developer Platform key; each request carries a JWT signed with it"
                    .to_owned(),
            ),
        };
        format!("{names}: {what} (scheme `{}`)", self.scheme)
    }
}

/// `provider`'s credentials, each checked against the scheme it names.
///
/// # Errors
/// A [`SpecError`] in the manifest naming the provider and the entry: the
/// scheme is not in the spec, its kind has no credentials from variables,
/// or the number of variables does not fit it.
pub fn resolve(provider: &Provider, spec: &OpenAPI) -> Result<Vec<EnvCredentials>, SpecError> {
    let schemes = spec.components.as_ref().map(|c| &c.security_schemes);
    provider
        .credentials
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let fail = |message: String| {
                SpecError::at(
                    &provider.dir.join("providers.toml"),
                    format!("{}/credentials/{index}", provider.pointer),
                    format!(
                        "provider {}, credentials entry {} (scheme `{}`): {message}",
                        provider.name,
                        index + 1,
                        entry.scheme
                    ),
                )
            };
            let scheme = match schemes.and_then(|s| s.get(&entry.scheme)) {
                Some(ReferenceOr::Item(scheme)) => scheme,
                Some(ReferenceOr::Reference { .. }) => {
                    return Err(fail(
                        "the scheme is a reference, which is not supported".into(),
                    ));
                }
                None => {
                    let known: Vec<&str> = schemes
                        .into_iter()
                        .flat_map(|s| s.keys().map(String::as_str))
                        .collect();
                    return Err(fail(format!(
                        "the spec has no such security scheme; it has: {}",
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    )));
                }
            };
            let kind = kind(scheme, entry.kind, &entry.env).map_err(fail)?;
            Ok(EnvCredentials {
                scheme: entry.scheme.clone(),
                kind,
            })
        })
        .collect()
}

fn kind(
    scheme: &SecurityScheme,
    declared: Option<CredentialsKind>,
    env: &[String],
) -> Result<Kind, String> {
    let wanted = |count: usize, what: &str| {
        if env.len() == count {
            Ok(())
        } else {
            Err(format!(
                "{what} needs {count} environment variable{}, the entry names {}",
                if count == 1 { "" } else { "s" },
                env.len()
            ))
        }
    };
    let var = |i: usize| env[i].clone();
    match (scheme, declared) {
        (SecurityScheme::HTTP { scheme, .. }, Some(CredentialsKind::CdpKey))
            if scheme.eq_ignore_ascii_case("bearer") =>
        {
            wanted(2, "a CDP key (id and secret)")?;
            Ok(Kind::CdpKey {
                key_id: var(0),
                secret: var(1),
            })
        }
        (_, Some(CredentialsKind::CdpKey)) => {
            Err("`kind = \"cdp-key\"` is for an HTTP bearer scheme".to_owned())
        }
        (SecurityScheme::HTTP { scheme, .. }, None) if scheme.eq_ignore_ascii_case("basic") => {
            wanted(2, "HTTP Basic (user and password)")?;
            Ok(Kind::Basic {
                user: var(0),
                password: var(1),
            })
        }
        (SecurityScheme::HTTP { scheme, .. }, None) if scheme.eq_ignore_ascii_case("bearer") => {
            wanted(1, "a bearer token")?;
            Ok(Kind::Bearer { token: var(0) })
        }
        // One variable: an access token got through any of the scheme's
        // flows (an authorization code grant, a personal access token the
        // vendor issues), sent as a bearer token as OAuth2 says (RFC 6750).
        (SecurityScheme::OAuth2 { .. }, None) if env.len() == 1 => {
            Ok(Kind::Bearer { token: var(0) })
        }
        (SecurityScheme::OAuth2 { flows, .. }, None) => {
            let flow = flows.client_credentials.as_ref().ok_or(
                "the OAuth2 scheme has no client credentials flow, the only one read from \
                 variables",
            )?;
            wanted(2, "OAuth2 client credentials (client id and secret)")?;
            let scopes: Vec<&str> = flow.scopes.keys().map(String::as_str).collect();
            Ok(Kind::OAuth2ClientCredentials {
                token_url: flow.token_url.clone(),
                scope: (!scopes.is_empty()).then(|| scopes.join(" ")),
                client_id: var(0),
                client_secret: var(1),
            })
        }
        (SecurityScheme::HTTP { scheme, .. }, None) => Err(format!(
            "HTTP scheme `{scheme}` has no credentials the runtime can send"
        )),
        _ => Err("this kind of scheme has no credentials the runtime can send".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::manifest::Credentials;

    fn spec() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {"securitySchemes": {
                "basic": {"type": "http", "scheme": "basic"},
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "oauth": {"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": "https://auth.acme.test/token", "scopes": {"read": "", "write": ""}}}},
                "header": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        }))
        .unwrap()
    }

    fn provider(entries: &[(&str, Option<CredentialsKind>, &[&str])]) -> Provider {
        Provider {
            name: "acme".into(),
            package: None,
            spec: "acme.yaml".into(),
            credentials: entries
                .iter()
                .map(|(scheme, kind, env)| Credentials {
                    scheme: (*scheme).to_owned(),
                    env: env.iter().map(|e| (*e).to_owned()).collect(),
                    kind: *kind,
                })
                .collect(),
            dir: "specs".into(),
            pointer: "/provider/0".into(),
            ..Default::default()
        }
    }

    #[test]
    fn each_scheme_kind_takes_its_variables() {
        let resolved = resolve(
            &provider(&[
                ("oauth", None, &["A_ID", "A_SECRET"]),
                ("basic", None, &["A_USER", "A_PASSWORD"]),
                ("bearer", None, &["A_TOKEN"]),
                (
                    "bearer",
                    Some(CredentialsKind::CdpKey),
                    &["A_KEY", "A_KEY_SECRET"],
                ),
            ]),
            &spec(),
        )
        .unwrap();
        assert_eq!(
            resolved[0].kind,
            Kind::OAuth2ClientCredentials {
                token_url: "https://auth.acme.test/token".into(),
                scope: Some("read write".into()),
                client_id: "A_ID".into(),
                client_secret: "A_SECRET".into(),
            }
        );
        assert_eq!(
            resolved[1].describe(),
            "`A_USER` and `A_PASSWORD`: HTTP Basic (scheme `basic`)"
        );
        assert_eq!(
            resolved[2].kind,
            Kind::Bearer {
                token: "A_TOKEN".into()
            }
        );
        assert!(matches!(resolved[3].kind, Kind::CdpKey { .. }));
    }

    #[test]
    fn one_variable_for_an_oauth2_scheme_is_an_access_token() {
        let resolved =
            resolve(&provider(&[("oauth", None, &["A_ACCESS_TOKEN"])]), &spec()).unwrap();
        assert_eq!(
            resolved[0].kind,
            Kind::Bearer {
                token: "A_ACCESS_TOKEN".into()
            }
        );
    }

    #[test]
    fn entries_that_do_not_fit_the_spec_are_errors_naming_the_entry() {
        let cases: [(&str, Option<CredentialsKind>, &[&str], &str); 5] = [
            (
                "missing",
                None,
                &["A"],
                "no such security scheme; it has: basic, bearer",
            ),
            (
                "basic",
                None,
                &["A_USER"],
                "needs 2 environment variables, the entry names 1",
            ),
            (
                "header",
                None,
                &["A_KEY"],
                "no credentials the runtime can send",
            ),
            (
                "basic",
                Some(CredentialsKind::CdpKey),
                &["A", "B"],
                "for an HTTP bearer scheme",
            ),
            (
                "bearer",
                None,
                &["A", "B"],
                "needs 1 environment variable, the entry names 2",
            ),
        ];
        for (scheme, kind, env, expected) in cases {
            let e = resolve(&provider(&[(scheme, kind, env)]), &spec()).unwrap_err();
            let text = e.to_string();
            assert!(
                text.starts_with(&format!(
                    "specs/providers.toml at /provider/0/credentials/0: provider acme, credentials entry 1 (scheme `{scheme}`): "
                )),
                "{text}"
            );
            assert!(text.contains(expected), "{text}");
        }
    }
}
