//! The Rust names progenitor and typify give what a document names: the
//! one leaf every layer may use, so reading a document and describing it
//! (parameters, paging docs, idempotency keys) needs nothing of the
//! generator's output.

/// The Rust type name typify gives a component schema: typify's
/// `sanitize` with `Case::Pascal` (crate-private): quotes dropped,
/// characters that cannot continue an identifier turned into `-`, heck's
/// PascalCase, an `X` in front when the result cannot start an identifier.
pub fn type_ident(name: &str) -> String {
    use heck::ToPascalCase;
    let name = name
        .replace('\'', "")
        .replace(|c: char| !unicode_ident::is_xid_continue(c), "-")
        .to_pascal_case();
    match name.chars().next() {
        Some(c) if unicode_ident::is_xid_start(c) => name,
        _ => format!("X{name}"),
    }
}

/// The snake-case identifier progenitor makes of a name: an operation's
/// method from its `operationId`, a parameter's setter from its name.
///
/// progenitor-impl's own rule (`util::sanitize` with `Case::Snake`, which is
/// crate-private): quotes dropped, characters that cannot continue an
/// identifier turned into `-`, heck's snake case, a leading `_` when the
/// result cannot start an identifier, a trailing `_` for a keyword.
pub fn snake_ident(name: &str) -> String {
    use heck::ToSnakeCase;
    let name = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => name
            .replace('\'', "")
            .replace(|c: char| !unicode_ident::is_xid_continue(c), "-")
            .to_snake_case(),
    };
    let name = match name.chars().next() {
        None => "x".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => name,
        Some(_) => format!("_{name}"),
    };
    // syn refuses the same keywords as typify's `accept_as_ident`, but `gen`.
    if syn::parse_str::<syn::Ident>(&name).is_ok() && name != "gen" {
        name
    } else {
        format!("{name}_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_progenitor() {
        assert_eq!(snake_ident("listInvoices"), "list_invoices");
        assert_eq!(snake_ident("getHTTPResponse"), "get_http_response");
        assert_eq!(
            snake_ident("sc-public-v2-scp-get-all_user_invoices"),
            "sc_public_v2_scp_get_all_user_invoices"
        );
        assert_eq!(snake_ident("retrieve_invoice"), "retrieve_invoice");
        assert_eq!(snake_ident("invoices.list"), "invoices_list");
        assert_eq!(snake_ident("1st"), "_1st");
        assert_eq!(snake_ident("type"), "type_");
    }
}
