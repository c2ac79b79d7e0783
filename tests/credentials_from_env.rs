//! Each generated crate reads its own credentials from the environment:
//! the variables its `specs/providers.toml` entry names, with the token URL
//! and scope from its spec's security scheme.

use invoicing_runtime::test_util::env_vars as vars;

#[test]
fn sendcloud_prefers_oauth2_with_the_specs_token_url_and_scope() {
    for auth_from_vars in [
        invoicing_sendcloud_v2::auth_from_vars,
        invoicing_sendcloud_v3::auth_from_vars,
    ] {
        let oauth = auth_from_vars(vars(&[
            ("SENDCLOUD_CLIENT_ID", "client-id-1"),
            ("SENDCLOUD_CLIENT_SECRET", "client-secret-1"),
            ("SENDCLOUD_PUBLIC_KEY", "public-key-1"),
            ("SENDCLOUD_SECRET_KEY", "secret-key-1"),
        ]))
        .unwrap();
        let shown = format!("{oauth:?}");
        assert!(
            shown.contains("https://account.sendcloud.com/oauth2/token/"),
            "{shown}"
        );
        assert!(shown.contains(r#"scope: Some("api")"#), "{shown}");
        assert!(!shown.contains("client-secret-1"), "{shown}");

        let basic = auth_from_vars(vars(&[
            ("SENDCLOUD_PUBLIC_KEY", "public-key-1"),
            ("SENDCLOUD_SECRET_KEY", "secret-key-1"),
        ]))
        .unwrap();
        assert!(format!("{basic:?}").starts_with("Auth::Basic"));
    }
}

#[test]
fn missing_credentials_name_every_alternative() {
    let err = invoicing_sendcloud_v3::auth_from_vars(vars(&[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sendcloud-v3: no credentials in the environment: set SENDCLOUD_CLIENT_ID and \
         SENDCLOUD_CLIENT_SECRET, or SENDCLOUD_PUBLIC_KEY and SENDCLOUD_SECRET_KEY"
    );
    let err = invoicing_kitchen::auth_from_vars(vars(&[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "kitchen: no credentials in the environment: set KITCHEN_API_KEY"
    );
}

#[test]
fn kitchen_reads_a_bearer_token() {
    let auth =
        invoicing_kitchen::auth_from_vars(vars(&[("KITCHEN_API_KEY", "kitchen-key-1")])).unwrap();
    let shown = format!("{auth:?}");
    assert!(shown.starts_with("Auth::Bearer"), "{shown}");
    assert!(!shown.contains("kitchen-key-1"), "{shown}");
}

#[test]
fn coinbase_reads_a_cdp_key_and_names_itself_in_errors() {
    let err = invoicing_coinbase_business::auth_from_vars(vars(&[
        ("COINBASE_CDP_KEY_ID", "key-1"),
        ("COINBASE_CDP_KEY_SECRET", "bm90LWEta2V5"),
    ]))
    .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        err.to_string()
            .starts_with("coinbase-business: the CDP key secret"),
        "{shown}"
    );
    assert!(!shown.contains("bm90LWEta2V5"), "{shown}");
    assert_eq!(
        invoicing_coinbase_business::ENV_CREDENTIALS
            .iter()
            .flat_map(|c| c.variables())
            .collect::<Vec<_>>(),
        ["COINBASE_CDP_KEY_ID", "COINBASE_CDP_KEY_SECRET"]
    );
}

/// The facade builds every adapter from the same variables: credentials,
/// then the vendor's own settings, each missing one named.
#[test]
fn facade_adapters_are_built_from_variables_and_name_what_is_missing() {
    use invoicing::Provider;
    use invoicing::adapters::source_from_vars;

    let kitchen = source_from_vars(
        Provider::Kitchen,
        None,
        vars(&[("KITCHEN_API_KEY", "kitchen-key-1")]),
    )
    .unwrap_err()
    .to_string();
    assert!(kitchen.contains("KITCHEN_WORKSPACE"), "{kitchen}");
    assert!(!kitchen.contains("kitchen-key-1"), "{kitchen}");
    let with_workspace = vars(&[
        ("KITCHEN_API_KEY", "kitchen-key-1"),
        ("KITCHEN_WORKSPACE", "acme"),
    ]);
    let source = source_from_vars(Provider::Kitchen, None, with_workspace).unwrap();
    assert_eq!(source.provider(), Provider::Kitchen);
    // A base URL of its own needs no workspace.
    let local = vars(&[("KITCHEN_API_KEY", "kitchen-key-1")]);
    assert!(source_from_vars(Provider::Kitchen, Some("http://127.0.0.1:9"), local).is_ok());

    let currency = source_from_vars(
        Provider::SendcloudV2,
        None,
        vars(&[
            ("SENDCLOUD_PUBLIC_KEY", "public-key-1"),
            ("SENDCLOUD_SECRET_KEY", "secret-key-1"),
            ("SENDCLOUD_V2_CURRENCY", "euro"),
        ]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        currency.contains("sendcloud-v2") && currency.contains("SENDCLOUD_V2_CURRENCY"),
        "{currency}"
    );

    for &provider in Provider::ALL {
        let err = source_from_vars(provider, None, vars(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains(provider.as_str()), "{err}");
        assert!(
            err.contains("environment variable") || err.contains("set "),
            "{err}"
        );
    }
}
