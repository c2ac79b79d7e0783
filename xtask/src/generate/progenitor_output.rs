//! What progenitor's output looks like: the one place that knows its shape.
//!
//! progenitor (builder interface) emits a `Client` with one method per
//! operation returning `builder::<Operation>`, a `mod builder` whose structs
//! hold each parameter as `Result<T, String>` and end in a `send()` returning
//! `Result<ResponseValue<T>, Error<E>>`, and a `mod types` with the schemas'
//! types. The postprocess passes and the API surface read that shape through
//! the functions here, so a progenitor upgrade that changes it is handled in
//! one file.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{
    Expr, Fields, GenericArgument, ImplItem, ImplItemFn, Item, ItemImpl, ItemMod, ItemStruct,
    PathArguments, ReturnType, Type, Visibility,
};

/// The module holding the schemas' types.
pub const TYPES: &str = "types";
/// The module holding one request builder per operation (and, inside
/// `types`, one struct builder per struct).
pub const BUILDER: &str = "builder";

/// The items of the inline module `name` among `items`.
pub fn module<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(ItemMod {
            ident,
            content: Some((_, items)),
            ..
        }) if ident == name => Some(items.as_slice()),
        _ => None,
    })
}

/// Every name defined more than once among the types of `mod types`
/// (typify does not check; rustc would refuse the crate), in order.
pub fn duplicate_types(file: &syn::File) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = std::collections::BTreeSet::new();
    for item in module(&file.items, TYPES).unwrap_or_default() {
        let ident = match item {
            Item::Struct(s) => &s.ident,
            Item::Enum(e) => &e.ident,
            Item::Type(t) => &t.ident,
            _ => continue,
        };
        if !seen.insert(ident.to_string()) {
            twice.insert(ident.to_string());
        }
    }
    twice.into_iter().collect()
}

/// The items of the inline module `name` among `items`, to rewrite.
pub fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Every `send()` of the request builders in `mod builder`.
pub fn sends(file: &syn::File) -> impl Iterator<Item = &ImplItemFn> {
    module(&file.items, BUILDER)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) => Some(imp),
            _ => None,
        })
        .flat_map(|imp| &imp.items)
        .filter_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
}

/// Calls `f` with each builder's `send`/`send_raw` and its method name.
pub fn for_each_send(file: &mut syn::File, f: &mut dyn FnMut(&str, &mut syn::ImplItemFn)) {
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return;
    };
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        for item in &mut imp.items {
            let syn::ImplItem::Fn(send) = item else {
                continue;
            };
            if send.sig.ident != "send" && send.sig.ident != "send_raw" {
                continue;
            }
            if let Some(method) = operation_id(send) {
                f(&method, send);
            }
        }
    }
}

/// `Result<ResponseValue<T>, Error<E>>` (what `send()` returns) -> `(T, E)`,
/// `()` standing for "no body".
pub fn send_types(output: &ReturnType) -> Option<(&Type, &Type)> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = type_args(ty);
    let [ok, err] = result.as_slice() else {
        return None;
    };
    Some((
        unwrap_type(ok, "ResponseValue")?,
        unwrap_type(err, "Error")?,
    ))
}

/// Whether a body of type `ty` is JSON: `()` is no body, `ByteStream` an
/// unparsed one.
pub fn is_json_body(ty: &Type) -> bool {
    !is_unit(ty) && last_ident(ty).as_deref() != Some("ByteStream")
}

/// The operation id a `send()` reports, the string in its
/// `OperationInfo { operation_id: "..." }` (progenitor's method name).
pub fn operation_id(send: &ImplItemFn) -> Option<String> {
    let text = send.block.to_token_stream().to_string();
    let rest = &text[text.find("operation_id :")? + "operation_id :".len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_string())
}

/// Whether `arm` is the arm of `send()`'s status match that decodes a
/// successful body: `ResponseValue::from_response(response).await`.
pub fn is_success_arm(arm: &syn::Arm) -> bool {
    arm_body_text(arm) == "ResponseValue::from_response(response).await"
}

/// Whether `arm` is the arm of `send()`'s status match that decodes a
/// documented error body with `?`.
pub fn is_documented_error_arm(arm: &syn::Arm) -> bool {
    arm_body_text(arm) == "Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))"
}

/// A match arm's body as compact text (no whitespace, no enclosing block):
/// progenitor's interpolated tokens print with other spacing than re-parsed
/// ones, and it sometimes wraps the expression in a block.
fn arm_body_text(arm: &syn::Arm) -> String {
    let body: String = arm
        .body
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect();
    match body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        Some(inner) => inner.to_string(),
        None => body,
    }
}

/// Statements that take a `response: reqwest::Response` in a `send()` apart
/// into `status`, `headers` and `body` (its bytes, read once), for arms that
/// rebuild a response progenitor would decode.
pub fn read_response_parts() -> Vec<syn::Stmt> {
    syn::parse_quote! {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    }
}

/// The value a request builder's setter stores: `<expr>` in its
/// `self.<parameter> = <expr>;`, a `Result<T, String>` whose error `send()`
/// returns as `Error::InvalidRequest`.
pub fn setter_assignment(setter: &mut ImplItemFn) -> Option<&mut Expr> {
    let name = setter.sig.ident.to_string();
    setter.block.stmts.iter_mut().find_map(|stmt| match stmt {
        syn::Stmt::Expr(Expr::Assign(assign), _) => match assign.left.as_ref() {
            Expr::Field(f)
                if matches!(&f.member, syn::Member::Named(m) if *m == name)
                    && matches!(f.base.as_ref(), Expr::Path(p) if p.path.is_ident("self")) =>
            {
                Some(assign.right.as_mut())
            }
            _ => None,
        },
        _ => None,
    })
}

/// Whether `text` is the message a setter stores when the value does not
/// convert to the parameter's type (`conversion to `T` for p failed`).
pub fn is_conversion_message(text: &str) -> bool {
    text.starts_with("conversion to ") && text.ends_with(" failed")
}

/// `builder::ListInvoices<'_>` -> `ListInvoices`: operations are the client
/// methods that hand out a request builder.
pub fn builder_return(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == BUILDER => Some(name.ident.to_string()),
        _ => None,
    }
}

/// `types::builder::Invoice`: a path through a `builder` module, the struct
/// builder a request body is held as.
pub fn holds_struct_builder(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let n = p.path.segments.len();
    n >= 2 && p.path.segments[n - 2].ident == BUILDER
}

/// The names of the catch-all variant the open-enums pass adds to string
/// enums: `Unknown`, or `UnknownValue` where the enum lists a value named
/// `Unknown` already.
pub const CATCH_ALL: [&str; 2] = ["Unknown", "UnknownValue"];

/// The `Unknown(String)` (or `UnknownValue(String)`) variant the
/// open-enums pass adds to string enums.
pub fn is_catch_all(v: &syn::Variant) -> bool {
    match &v.fields {
        Fields::Unnamed(f) if CATCH_ALL.iter().any(|n| v.ident == n) && f.unnamed.len() == 1 => {
            last_ident(&f.unnamed[0].ty).as_deref() == Some("String")
        }
        _ => false,
    }
}

/// For each enum with a `Display` impl among `items`, each variant's text
/// there: typify's `Self::Paid => f.write_str("paid")`, the value on the
/// wire of an enum whose serde goes through `Display` (see `open_enums`).
pub fn display_texts(items: &[Item]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut all = BTreeMap::new();
    for item in items {
        let Item::Impl(imp) = item else { continue };
        if trait_name(imp).as_deref() != Some("Display") {
            continue;
        }
        let fmt = imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == "fmt" => Some(f),
            _ => None,
        });
        let (Some(name), Some(f)) = (last_ident(&imp.self_ty), fmt) else {
            continue;
        };
        let texts: &mut BTreeMap<String, String> = all.entry(name).or_default();
        for stmt in &f.block.stmts {
            let syn::Stmt::Expr(Expr::Match(m), _) = stmt else {
                continue;
            };
            for arm in &m.arms {
                let syn::Pat::Path(p) = &arm.pat else {
                    continue;
                };
                let Some(variant) = p.path.segments.last() else {
                    continue;
                };
                if let Expr::MethodCall(call) = arm.body.as_ref()
                    && call.method == "write_str"
                    && let Some(Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    })) = call.args.first()
                {
                    texts.insert(variant.ident.to_string(), text.value());
                }
            }
        }
    }
    all
}

/// What a field's or variant's `#[serde(..)]` attributes say that matters
/// for reading the API: its name on the wire and whether it has a default.
#[derive(Debug, Default)]
pub struct SerdeAttrs {
    /// `rename = ".."`.
    pub rename: Option<String>,
    /// `default` or `default = ".."`.
    pub default: bool,
}

/// The serde attributes of a field or variant.
pub fn serde_attrs(attrs: &[syn::Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Keys other than `rename` and `default` are skipped whatever their
        // form (`skip_serializing_if = ".."`, `rename(serialize = ..)`).
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") && meta.input.peek(syn::Token![=]) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                out.rename = Some(lit.value());
            } else if meta.path.is_ident("default") {
                out.default = true;
                if meta.input.peek(syn::Token![=]) {
                    let _: Expr = meta.value()?.parse()?;
                }
            } else if meta.input.peek(syn::Token![=]) {
                let _: Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        let _: Expr = inner.value()?.parse()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    out
}

/// The JSON member a struct field reads: its `rename`, else its name.
pub fn json_name(field: &syn::Field) -> Option<String> {
    let ident = field.ident.as_ref()?;
    Some(
        serde_attrs(&field.attrs)
            .rename
            .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned()),
    )
}

/// The struct named `name` among `items`.
pub fn struct_named<'a>(items: &'a [Item], name: &str) -> Option<&'a ItemStruct> {
    items.iter().find_map(|item| match item {
        Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// The field of `s` that reads JSON member `member`.
pub fn field_for<'a>(s: &'a ItemStruct, member: &str) -> Option<&'a syn::Field> {
    s.fields
        .iter()
        .find(|field| json_name(field).as_deref() == Some(member))
}

/// Whether `name` is an item (type, enum, alias) of the types module.
pub fn defines_type(types: &[Item], name: &str) -> bool {
    types.iter().any(|item| match item {
        Item::Struct(s) => s.ident == name,
        Item::Enum(e) => e.ident == name,
        Item::Type(t) => t.ident == name,
        _ => false,
    })
}

/// The impl block of the request builder whose `send()` reports operation
/// `method` (progenitor's method name), and that `send()`.
pub fn builder_of<'a>(file: &'a syn::File, method: &str) -> Option<(&'a ItemImpl, &'a ImplItemFn)> {
    module(&file.items, BUILDER)?
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) => Some(imp),
            _ => None,
        })
        .find_map(|imp| {
            let send = imp.items.iter().find_map(|item| match item {
                ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                _ => None,
            })?;
            (operation_id(send).as_deref() == Some(method)).then_some((imp, send))
        })
}

// Plain syn readers the ones above are built from.

/// Whether `vis` is `pub`.
pub fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// The last segment of a path type: `types::Invoice` -> `Invoice`.
pub fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Whether `path` ends in the segments `tail` (`["chrono", "DateTime"]`).
pub fn path_ends_with(path: &syn::Path, tail: &[&str]) -> bool {
    path.segments.len() >= tail.len()
        && path
            .segments
            .iter()
            .rev()
            .zip(tail.iter().rev())
            .all(|(seg, want)| seg.ident == want)
}

/// The type arguments of the last segment of a path type.
pub fn type_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(p) = ty else { return Vec::new() };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// `Wrapper<T, ..>` -> `T` when the last path segment is `wrapper`.
pub fn unwrap_type<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    if last_ident(ty).as_deref() != Some(wrapper) {
        return None;
    }
    type_args(ty).first().copied()
}

/// Whether `ty` is `()`.
pub fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

/// The name of the trait an impl block implements (its last segment).
pub fn trait_name(imp: &ItemImpl) -> Option<String> {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// Inherent (non-trait) impl blocks of the type named `name`.
pub fn inherent_impls<'a>(items: &'a [Item], name: &'a str) -> impl Iterator<Item = &'a ItemImpl> {
    items.iter().filter_map(move |item| match item {
        Item::Impl(imp)
            if imp.trait_.is_none() && last_ident(&imp.self_ty).as_deref() == Some(name) =>
        {
            Some(imp)
        }
        _ => None,
    })
}

/// The `pub fn`s of an impl block.
pub fn public_fns(imp: &ItemImpl) -> impl Iterator<Item = &ImplItemFn> {
    imp.items.iter().filter_map(|item| match item {
        ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
        _ => None,
    })
}

/// `fn_name` in the impl of `trait_name` (or the inherent impl, for `None`)
/// for the type named `self_ty`.
pub fn fn_named<'a>(
    items: &'a [Item],
    self_ty: &str,
    trait_name: Option<&str>,
    fn_name: &str,
) -> Option<&'a ImplItemFn> {
    items.iter().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if last_ident(&imp.self_ty).as_deref() != Some(self_ty)
            || self::trait_name(imp).as_deref() != trait_name
        {
            return None;
        }
        imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == fn_name => Some(f),
            _ => None,
        })
    })
}

/// Whether `expr` calls a function whose path ends in `func` (`Err(..)`).
pub fn is_call_to(expr: &Expr, func: &str) -> bool {
    match expr {
        Expr::Call(call) => {
            matches!(call.func.as_ref(), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == func))
        }
        _ => false,
    }
}

/// The field initialisers of the `Self { .. }` literal a constructor ends with.
pub fn struct_literal_fields(
    f: Option<&ImplItemFn>,
) -> Option<std::collections::BTreeMap<String, &Expr>> {
    let last = f?.block.stmts.last()?;
    let syn::Stmt::Expr(Expr::Struct(lit), None) = last else {
        return None;
    };
    Some(
        lit.fields
            .iter()
            .filter_map(|fv| match &fv.member {
                syn::Member::Named(ident) => Some((ident.to_string(), &fv.expr)),
                syn::Member::Unnamed(_) => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_types_read_the_result_of_send() {
        let f: ImplItemFn = syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<()>> { todo!() }
        };
        let (ok, err) = send_types(&f.sig.output).unwrap();
        assert_eq!(last_ident(ok).as_deref(), Some("Page"));
        assert!(is_json_body(ok));
        assert!(!is_json_body(err));
        let stream: Type = syn::parse_quote!(ByteStream);
        assert!(!is_json_body(&stream));
    }
}
