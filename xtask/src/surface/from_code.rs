//! Reading the public API out of progenitor-generated code.

use std::collections::BTreeMap;

use syn::{
    Expr, Fields, GenericArgument, ImplItem, Item, ItemImpl, ItemMod, PathArguments, ReturnType,
    Type, Visibility,
};

use super::*;

impl Surface {
    /// Lists the public API of progenitor-generated code.
    pub fn from_file(crate_name: &str, file: &syn::File) -> Result<Self, SurfaceError> {
        let types_items = module_items(&file.items, "types").unwrap_or(&[]);
        let type_builders = module_items(types_items, "builder").unwrap_or(&[]);
        let op_builders = module_items(&file.items, "builder").unwrap_or(&[]);

        let mut operations = BTreeMap::new();
        let mut client_functions = BTreeMap::new();
        for imp in inherent_impls(&file.items, "Client") {
            for f in public_fns(imp) {
                let name = f.sig.ident.to_string();
                match builder_return(&f.sig.output) {
                    Some(builder) => {
                        let op = operation(&name, &builder, op_builders, type_builders)?;
                        operations.insert(name, op);
                    }
                    None => {
                        client_functions.insert(name, signature_text(&f.sig));
                    }
                }
            }
        }

        let mut types = BTreeMap::new();
        for item in types_items {
            // Nested modules (`builder`, `error`, `defaults`) are left out:
            // the struct builders mirror the struct fields listed here, and
            // the conversion error is the same in every generated crate.
            if let Some((name, def)) = type_def(item) {
                types.insert(name, def);
            }
        }

        Ok(Surface {
            crate_name: crate_name.to_owned(),
            operations,
            client_functions,
            types,
        })
    }
}

pub(super) fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

pub(super) fn module_items<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(ItemMod {
            ident,
            content: Some((_, items)),
            ..
        }) if ident == name => Some(items.as_slice()),
        _ => None,
    })
}

pub(super) fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Inherent (non-trait) impl blocks of the type named `name`.
pub(super) fn inherent_impls<'a>(
    items: &'a [Item],
    name: &'a str,
) -> impl Iterator<Item = &'a ItemImpl> {
    items.iter().filter_map(move |item| match item {
        Item::Impl(imp)
            if imp.trait_.is_none() && last_ident(&imp.self_ty).as_deref() == Some(name) =>
        {
            Some(imp)
        }
        _ => None,
    })
}

pub(super) fn public_fns(imp: &ItemImpl) -> impl Iterator<Item = &syn::ImplItemFn> {
    imp.items.iter().filter_map(|item| match item {
        ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
        _ => None,
    })
}

pub(super) fn fn_named<'a>(
    items: &'a [Item],
    self_ty: &str,
    trait_name: Option<&str>,
    fn_name: &str,
) -> Option<&'a syn::ImplItemFn> {
    items.iter().find_map(|item| {
        let Item::Impl(imp) = item else { return None };
        if last_ident(&imp.self_ty).as_deref() != Some(self_ty) {
            return None;
        }
        let trait_ok = match (&imp.trait_, trait_name) {
            (None, None) => true,
            (Some((path, _)), Some(t)) => path.segments.last().is_some_and(|s| s.ident == t),
            _ => false,
        };
        if !trait_ok {
            return None;
        }
        imp.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == fn_name => Some(f),
            _ => None,
        })
    })
}

/// `builder::ListInvoices<'_>` -> `ListInvoices`: operations are the client
/// methods that hand out a request builder.
pub(super) fn builder_return(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of the last segment of a path type.
pub(super) fn type_args(ty: &Type) -> Vec<&Type> {
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
pub(super) fn unwrap_type<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    if last_ident(ty).as_deref() != Some(wrapper) {
        return None;
    }
    type_args(ty).first().copied()
}

pub(super) fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

pub(super) fn operation(
    name: &str,
    builder: &str,
    op_builders: &[Item],
    type_builders: &[Item],
) -> Result<Operation, SurfaceError> {
    let fields = op_builders
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == builder => Some(&s.fields),
            _ => None,
        })
        .ok_or_else(|| {
            SurfaceError(format!(
                "`Client::{name}` returns `builder::{builder}`, which is not in `mod builder`"
            ))
        })?;
    let inits =
        struct_literal_fields(fn_named(op_builders, builder, None, "new")).ok_or_else(|| {
            SurfaceError(format!(
                "`builder::{builder}::new` does not end in a `Self {{ .. }}` literal"
            ))
        })?;

    let mut parameters = BTreeMap::new();
    for field in fields {
        let Some(ident) = &field.ident else { continue };
        let param = ident.to_string();
        if param == "client" {
            continue;
        }
        // Every parameter is held as `Result<T, String>`: the setter stores a
        // failed conversion and `send()` reports it.
        let held = unwrap_type(&field.ty, "Result").ok_or_else(|| {
            SurfaceError(format!(
                "`builder::{builder}::{param}` is not a `Result<_, String>`"
            ))
        })?;
        let init = inits.get(param.as_str()).ok_or_else(|| {
            SurfaceError(format!(
                "`builder::{builder}::new` does not initialise `{param}`"
            ))
        })?;
        let (ty, required) = match unwrap_type(held, "Option") {
            Some(inner) => (inner, false),
            None => (held, initially_unset(init, held, type_builders)?),
        };
        parameters.insert(
            param,
            Parameter {
                ty: type_text(ty),
                required,
            },
        );
    }

    let send = fn_named(op_builders, builder, None, "send")
        .ok_or_else(|| SurfaceError(format!("`builder::{builder}` has no `send` method")))?;
    let (returns, error) = send_types(&send.sig.output).ok_or_else(|| {
        SurfaceError(format!(
            "`builder::{builder}::send` does not return `Result<ResponseValue<_>, Error<_>>`"
        ))
    })?;
    Ok(Operation {
        returns,
        error,
        parameters,
    })
}

/// Whether `send()` fails for a parameter left at its initial value.
///
/// progenitor starts a required parameter as `Err("... was not
/// initialized")`. A request body held as a struct builder starts as
/// `Ok(Default::default())` and fails in `send()` exactly when that struct
/// has a field without a default, so the struct's own builder decides.
pub(super) fn initially_unset(
    init: &Expr,
    held: &Type,
    type_builders: &[Item],
) -> Result<bool, SurfaceError> {
    if is_call_to(init, "Err") {
        return Ok(true);
    }
    if !holds_struct_builder(held) {
        return Ok(false);
    }
    let name = last_ident(held).unwrap_or_default();
    let defaults = struct_literal_fields(fn_named(
        type_builders,
        &name,
        Some("Default"),
        "default",
    ))
    .ok_or_else(|| {
        SurfaceError(format!(
            "`types::builder::{name}` has no `Default` impl ending in a `Self {{ .. }}` literal"
        ))
    })?;
    Ok(defaults.values().any(|e| is_call_to(e, "Err")))
}

/// `types::builder::Invoice`: a path through a `builder` module.
pub(super) fn holds_struct_builder(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let n = p.path.segments.len();
    n >= 2 && p.path.segments[n - 2].ident == "builder"
}

pub(super) fn is_call_to(expr: &Expr, func: &str) -> bool {
    match expr {
        Expr::Call(call) => {
            matches!(call.func.as_ref(), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == func))
        }
        _ => false,
    }
}

/// The field initialisers of the `Self { .. }` literal a constructor ends with.
pub(super) fn struct_literal_fields(
    f: Option<&syn::ImplItemFn>,
) -> Option<BTreeMap<String, &Expr>> {
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

/// `Result<ResponseValue<T>, Error<E>>` -> (T, E), `()` meaning none.
pub(super) fn send_types(output: &ReturnType) -> Option<(Option<String>, Option<String>)> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = type_args(ty);
    let [ok, err] = result.as_slice() else {
        return None;
    };
    let ok = unwrap_type(ok, "ResponseValue")?;
    let err = unwrap_type(err, "Error")?;
    let some = |t: &Type| (!is_unit(t)).then(|| type_text(t));
    Some((some(ok), some(err)))
}

pub(super) fn signature_text(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            syn::FnArg::Receiver(r) => tokens_text(r),
            syn::FnArg::Typed(t) => format!("{}: {}", tokens_text(&t.pat), type_text(&t.ty)),
        })
        .collect();
    let ret = match &sig.output {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, ty) => format!(" -> {}", type_text(ty)),
    };
    format!("{}({}){ret}", sig.ident, args.join(", "))
}

pub(super) fn type_def(item: &Item) -> Option<(String, TypeDef)> {
    match item {
        Item::Struct(s) if is_pub(&s.vis) => {
            let def = match &s.fields {
                Fields::Named(named) => TypeDef::Struct {
                    fields: named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), field(f))))
                        .collect(),
                },
                Fields::Unnamed(_) => TypeDef::Newtype {
                    inner: payload_text(&s.fields).unwrap_or_default(),
                },
                Fields::Unit => TypeDef::Struct {
                    fields: BTreeMap::new(),
                },
            };
            Some((s.ident.to_string(), def))
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            let mut open = false;
            let mut variants = BTreeMap::new();
            for v in &e.variants {
                if is_catch_all(v) {
                    open = true;
                    continue;
                }
                let attrs = serde_attrs(&v.attrs);
                let name = v.ident.to_string();
                variants.insert(
                    name.clone(),
                    Variant {
                        wire: attrs.rename.filter(|w| *w != name),
                        payload: payload_text(&v.fields),
                    },
                );
            }
            Some((e.ident.to_string(), TypeDef::Enum { open, variants }))
        }
        Item::Type(t) if is_pub(&t.vis) => Some((
            t.ident.to_string(),
            TypeDef::Alias {
                target: type_text(&t.ty),
            },
        )),
        _ => None,
    }
}

/// The `Unknown(String)` variant our postprocessing adds to string enums.
pub(super) fn is_catch_all(v: &syn::Variant) -> bool {
    match &v.fields {
        Fields::Unnamed(f) if v.ident == "Unknown" && f.unnamed.len() == 1 => {
            last_ident(&f.unnamed[0].ty).as_deref() == Some("String")
        }
        _ => false,
    }
}

pub(super) fn field(f: &syn::Field) -> Field {
    let attrs = serde_attrs(&f.attrs);
    let name = f
        .ident
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    // serde fills a missing `Option` with `None` and a missing
    // `#[serde(default)]` field with its default; anything else must be sent.
    let optional = attrs.default || unwrap_type(&f.ty, "Option").is_some();
    Field {
        ty: type_text(&f.ty),
        wire: attrs.rename.filter(|w| *w != name),
        required: !optional,
    }
}

pub(super) fn payload_text(fields: &Fields) -> Option<String> {
    match fields {
        Fields::Unit => None,
        Fields::Unnamed(f) if f.unnamed.len() == 1 => Some(type_text(&f.unnamed[0].ty)),
        Fields::Unnamed(f) => Some(format!(
            "({})",
            f.unnamed
                .iter()
                .map(|f| type_text(&f.ty))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Fields::Named(f) => Some(format!(
            "{{ {} }}",
            f.named
                .iter()
                .map(|f| {
                    let name = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{name}: {}", type_text(&f.ty))
                })
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[derive(Default)]
pub(super) struct SerdeAttrs {
    rename: Option<String>,
    default: bool,
}

pub(super) fn serde_attrs(attrs: &[syn::Attribute]) -> SerdeAttrs {
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
