//! Reading the public API out of progenitor-generated code.

use std::collections::BTreeMap;

use syn::{Expr, Fields, Item, ReturnType, Type};

use super::model::{Field, Operation, Parameter, Surface, TypeDef, Variant};
use super::type_text::{tokens_text, type_text};
use crate::generate::progenitor_output::{
    BUILDER, TYPES, builder_return, display_texts, fn_named, holds_struct_builder, inherent_impls,
    is_call_to, is_catch_all, is_pub, is_unit, last_ident, module, public_fns, send_types,
    serde_attrs, struct_literal_fields, type_args, unwrap_type,
};

impl Surface {
    /// Lists the public API of progenitor-generated code.
    pub fn from_file(crate_name: &str, file: &syn::File) -> Result<Self, SurfaceError> {
        let types_items = module(&file.items, TYPES).unwrap_or(&[]);
        let type_builders = module(types_items, BUILDER).unwrap_or(&[]);
        let op_builders = module(&file.items, BUILDER).unwrap_or(&[]);

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
        let wire_names = display_texts(types_items);
        for item in types_items {
            // Nested modules (`builder`, `error`, `defaults`) are left out:
            // the struct builders mirror the struct fields listed here, and
            // the conversion error is the same in every generated crate.
            if let Some((name, def)) = type_def(item, &wire_names) {
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

fn operation(
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
        // The builder's handle on the client, `client: &'a super::Client`
        // (`_client` when a parameter is named `client`), is no parameter.
        if matches!(field.ty, Type::Reference(_)) {
            continue;
        }
        let param = ident.to_string();
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

    // `send()` returns the runtime's error; the documented error type is
    // in progenitor's own request code, kept private as `send_progenitor()`
    // or, where `send()` decodes `send_raw()`, `send_raw_progenitor()` (the
    // runtime_errors pass).
    let send = fn_named(op_builders, builder, None, "send")
        .ok_or_else(|| SurfaceError(format!("`builder::{builder}` has no `send` method")))?;
    let progenitor = fn_named(op_builders, builder, None, "send_progenitor")
        .or_else(|| fn_named(op_builders, builder, None, "send_raw_progenitor"))
        .unwrap_or(send);
    let not_a_send = || {
        SurfaceError(format!(
            "`builder::{builder}::send` does not return `Result<ResponseValue<_>, Error<_>>`"
        ))
    };
    let (_, error) = body_types(&progenitor.sig.output).ok_or_else(not_a_send)?;
    let returns = success_type(&send.sig.output).ok_or_else(not_a_send)?;

    // `stream()` returns `Listing<'a, T>` (the paged_streams pass).
    let streams = fn_named(op_builders, builder, None, "stream").and_then(|stream| {
        match &stream.sig.output {
            ReturnType::Type(_, listing) => type_args(listing).first().map(|item| type_text(item)),
            ReturnType::Default => None,
        }
    });
    Ok(Operation {
        returns,
        error,
        parameters,
        streams,
    })
}

/// Whether `send()` fails for a parameter left at its initial value.
///
/// progenitor starts a required parameter as `Err("... was not
/// initialized")`. A request body held as a struct builder starts as
/// `Ok(Default::default())` and fails in `send()` exactly when that struct
/// has a field without a default, so the struct's own builder decides.
fn initially_unset(init: &Expr, held: &Type, type_builders: &[Item]) -> Result<bool, SurfaceError> {
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

/// What `send()` returns on success and on a documented error, as text;
/// `None` for no body.
/// The `T` of a `send()` returning `Result<ResponseValue<T>, _>`, as text
/// (`None` for `()`).
fn success_type(output: &ReturnType) -> Option<Option<String>> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let ok = unwrap_type(type_args(ty).first()?, "ResponseValue")?;
    Some((!is_unit(ok)).then(|| type_text(ok)))
}

fn body_types(output: &ReturnType) -> Option<(Option<String>, Option<String>)> {
    let (ok, err) = send_types(output)?;
    let some = |t: &Type| (!is_unit(t)).then(|| type_text(t));
    Some((some(ok), some(err)))
}

fn signature_text(sig: &syn::Signature) -> String {
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

/// `item`'s definition; `wire_names` (each enum's `Display` texts) give an
/// enum's wire names where its serde goes through `Display`.
fn type_def(
    item: &Item,
    wire_names: &BTreeMap<String, BTreeMap<String, String>>,
) -> Option<(String, TypeDef)> {
    match item {
        Item::Struct(s) if is_pub(&s.vis) => {
            let non_exhaustive = s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
            let def = match &s.fields {
                Fields::Named(named) => TypeDef::Struct {
                    non_exhaustive,
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
                    non_exhaustive,
                    fields: BTreeMap::new(),
                },
            };
            Some((s.ident.to_string(), def))
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            let mut open = false;
            let mut variants = BTreeMap::new();
            let texts = wire_names.get(&e.ident.to_string());
            for v in &e.variants {
                if is_catch_all(v) {
                    open = true;
                    continue;
                }
                let attrs = serde_attrs(&v.attrs);
                let name = v.ident.to_string();
                let wire = attrs
                    .rename
                    .or_else(|| texts.and_then(|t| t.get(&name)).cloned());
                variants.insert(
                    name.clone(),
                    Variant {
                        wire: wire.filter(|w| *w != name),
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

fn field(f: &syn::Field) -> Field {
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

fn payload_text(fields: &Fields) -> Option<String> {
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

/// The generated code does not have the shape progenitor gives it, so its
/// surface cannot be listed faithfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceError(pub String);

impl std::fmt::Display for SurfaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot list the API surface: {}", self.0)
    }
}

impl std::error::Error for SurfaceError {}
