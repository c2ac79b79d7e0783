//! The public-API surface of a generated client crate (`crates/<provider>/API.md`).
//!
//! The surface lists every item a user of the crate can name: the operations
//! with their parameters, return and error types, the client's own functions,
//! and every type in `types` with its fields or variants. It is written as a
//! Markdown file, one line per item, sorted by name within each section, with
//! no timestamps or hashes, so that a change to the API is a readable change
//! to the file in review.
//!
//! The same text is also the data `cargo xtask diff` compares: [`parse`]
//! reads it back into a [`Surface`], so the side of a comparison taken from
//! an older revision is simply `git show REV:crates/<provider>/API.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use quote::ToTokens;
use syn::{
    Expr, Fields, GenericArgument, ImplItem, Item, ItemImpl, ItemMod, PathArguments, ReturnType,
    Type, Visibility,
};

/// Everything a user of one generated crate can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    /// The crate (provider) name, e.g. `sendcloud-v3`.
    pub crate_name: String,
    /// Operations by method name (`client.list_invoices()`).
    pub operations: BTreeMap<String, Operation>,
    /// The client's other public functions (constructors), by name, with
    /// their signature as shown in the surface.
    pub client_functions: BTreeMap<String, String>,
    /// Types in the crate's `types` module, by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// One API call: `client.<name>()`, parameter setters, then `.send()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Type of the successful response body; `None` when there is none.
    pub returns: Option<String>,
    /// Type of the documented error response body; `None` when there is none.
    pub error: Option<String>,
    /// Parameters by setter name.
    pub parameters: BTreeMap<String, Parameter>,
}

/// A parameter of an operation, set with `.<name>(value)` on its builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The type the setter converts its argument into.
    pub ty: String,
    /// Whether `send()` fails when the parameter was not set.
    pub required: bool,
}

/// A type in the crate's `types` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// A struct with named fields.
    Struct {
        /// Public fields by Rust name.
        fields: BTreeMap<String, Field>,
    },
    /// An enum.
    Enum {
        /// Whether the enum has the `Unknown(String)` catch-all, so values
        /// the crate does not know yet deserialize instead of failing.
        open: bool,
        /// Variants by Rust name, without the catch-all.
        variants: BTreeMap<String, Variant>,
    },
    /// A tuple struct wrapping one value (constrained strings, timestamps).
    Newtype {
        /// The wrapped type.
        inner: String,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        target: String,
    },
}

impl TypeDef {
    /// The word the surface uses for this kind of type.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeDef::Struct { .. } => "struct",
            TypeDef::Enum { .. } => "enum",
            TypeDef::Newtype { .. } => "newtype",
            TypeDef::Alias { .. } => "alias",
        }
    }
}

/// A public field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's Rust type.
    pub ty: String,
    /// The vendor's name for the field when it differs from the Rust name.
    pub wire: Option<String>,
    /// Whether the field must be present when deserializing.
    pub required: bool,
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The vendor's value for the variant when it differs from the Rust name.
    pub wire: Option<String>,
    /// The data the variant carries (`i64`, `{ r: f64 }`), if any.
    pub payload: Option<String>,
}

/// The generated code does not have the shape progenitor gives it, so its
/// surface cannot be listed faithfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceError(pub String);

impl fmt::Display for SurfaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot list the API surface: {}", self.0)
    }
}

impl std::error::Error for SurfaceError {}

/// A surface file that does not follow the format [`Surface::render`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong with the line.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API surface line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Renders the surface file of the crate `crate_name` generated as `file`.
pub fn render(crate_name: &str, file: &syn::File) -> Result<String, SurfaceError> {
    Ok(Surface::from_file(crate_name, file)?.render())
}

/// Reads a surface file back into the model it was rendered from.
pub fn parse(text: &str) -> Result<Surface, ParseError> {
    Parser::default().parse(text)
}

// ---------------------------------------------------------------------------
// Reading the generated code.
// ---------------------------------------------------------------------------

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

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn module_items<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(ItemMod {
            ident,
            content: Some((_, items)),
            ..
        }) if ident == name => Some(items.as_slice()),
        _ => None,
    })
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Inherent (non-trait) impl blocks of the type named `name`.
fn inherent_impls<'a>(items: &'a [Item], name: &'a str) -> impl Iterator<Item = &'a ItemImpl> {
    items.iter().filter_map(move |item| match item {
        Item::Impl(imp)
            if imp.trait_.is_none() && last_ident(&imp.self_ty).as_deref() == Some(name) =>
        {
            Some(imp)
        }
        _ => None,
    })
}

fn public_fns(imp: &ItemImpl) -> impl Iterator<Item = &syn::ImplItemFn> {
    imp.items.iter().filter_map(|item| match item {
        ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
        _ => None,
    })
}

fn fn_named<'a>(
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
fn builder_return(output: &ReturnType) -> Option<String> {
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
fn type_args(ty: &Type) -> Vec<&Type> {
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
fn unwrap_type<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    if last_ident(ty).as_deref() != Some(wrapper) {
        return None;
    }
    type_args(ty).first().copied()
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
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

/// `types::builder::Invoice`: a path through a `builder` module.
fn holds_struct_builder(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let n = p.path.segments.len();
    n >= 2 && p.path.segments[n - 2].ident == "builder"
}

fn is_call_to(expr: &Expr, func: &str) -> bool {
    match expr {
        Expr::Call(call) => {
            matches!(call.func.as_ref(), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == func))
        }
        _ => false,
    }
}

/// The field initialisers of the `Self { .. }` literal a constructor ends with.
fn struct_literal_fields(f: Option<&syn::ImplItemFn>) -> Option<BTreeMap<String, &Expr>> {
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
fn send_types(output: &ReturnType) -> Option<(Option<String>, Option<String>)> {
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

fn type_def(item: &Item) -> Option<(String, TypeDef)> {
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
fn is_catch_all(v: &syn::Variant) -> bool {
    match &v.fields {
        Fields::Unnamed(f) if v.ident == "Unknown" && f.unnamed.len() == 1 => {
            last_ident(&f.unnamed[0].ty).as_deref() == Some("String")
        }
        _ => false,
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

#[derive(Default)]
struct SerdeAttrs {
    rename: Option<String>,
    default: bool,
}

fn serde_attrs(attrs: &[syn::Attribute]) -> SerdeAttrs {
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

// ---------------------------------------------------------------------------
// Types as text.
// ---------------------------------------------------------------------------

/// A type as a reader expects to see it: std and crate-local paths by their
/// last segment (`Option<String>`, `Invoice`), other crates' types with
/// their crate (`chrono::DateTime<chrono::Utc>`), so the crate's own
/// `Client` and `reqwest::Client` stay distinct.
fn type_text(ty: &Type) -> String {
    match ty {
        Type::Path(p) if p.qself.is_none() => path_text(&p.path),
        Type::Reference(r) => {
            let mutability = if r.mutability.is_some() { "mut " } else { "" };
            format!("&{mutability}{}", type_text(&r.elem))
        }
        Type::Tuple(t) if t.elems.len() == 1 => format!("({},)", type_text(&t.elems[0])),
        Type::Tuple(t) => format!(
            "({})",
            t.elems.iter().map(type_text).collect::<Vec<_>>().join(", ")
        ),
        Type::Slice(s) => format!("[{}]", type_text(&s.elem)),
        Type::Array(a) => format!("[{}; {}]", type_text(&a.elem), tokens_text(&a.len)),
        Type::Paren(p) => type_text(&p.elem),
        Type::Group(g) => type_text(&g.elem),
        other => tokens_text(other),
    }
}

/// Path prefixes shown by their last segment only.
const SHORT_PREFIXES: &[&str] = &[
    "std", "core", "alloc", "types", "builder", "super", "self", "crate",
];

fn path_text(path: &syn::Path) -> String {
    let segments: Vec<_> = path.segments.iter().collect();
    let Some(last) = segments.last() else {
        return String::new();
    };
    let first = segments[0].ident.to_string();
    let mut out = if segments.len() > 1 && !SHORT_PREFIXES.contains(&first.as_str()) {
        format!("{first}::{}", last.ident)
    } else {
        last.ident.to_string()
    };
    match &last.arguments {
        PathArguments::None => {}
        PathArguments::AngleBracketed(args) => {
            let args: Vec<String> = args
                .args
                .iter()
                .map(|a| match a {
                    GenericArgument::Type(t) => type_text(t),
                    other => tokens_text(other),
                })
                .collect();
            out.push('<');
            out.push_str(&args.join(", "));
            out.push('>');
        }
        // `Fn(A) -> B` bounds do not occur in field or parameter types.
        PathArguments::Parenthesized(args) => out.push_str(&tokens_text(args)),
    }
    out
}

/// Token text with the spacing `to_string` puts around punctuation removed.
fn tokens_text(t: &impl ToTokens) -> String {
    let text = t.to_token_stream().to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace("& ", "&")
        .replace(" ,", ",")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
}

// ---------------------------------------------------------------------------
// The surface file.
// ---------------------------------------------------------------------------

const INTRO: &str = "\
Generated by `cargo xtask regen` from the crate's code; do not edit. \
`cargo xtask diff` compares this file between revisions to classify API changes.

Call an operation as `client.<operation>()`, set each parameter with \
`.<parameter>(value)`, then `.send().await`. A *required* parameter or field \
must be given; an *optional* one may be left out. An *open* enum keeps values \
it does not know yet in its `Unknown` variant instead of failing. Names in \
parentheses are the vendor's names on the wire.";

const OPERATIONS: &str = "## Operations";
const CLIENT: &str = "## Client";
const TYPES: &str = "## Types";
const ERRORS: &str = "## Error types";

/// A Markdown code span holding `s` exactly: delimiters longer than any run
/// of backticks inside, padded with a space each side when needed.
pub fn code(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // One space each side is stripped when reading back, so it is added
    // whenever the content itself starts and ends with spaces too.
    let pad = s.is_empty()
        || s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' '));
    if pad {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn wire_suffix(wire: &Option<String>) -> String {
    wire.as_ref()
        .map(|w| format!(" ({})", code(w)))
        .unwrap_or_default()
}

impl Surface {
    /// The surface file's text.
    pub fn render(&self) -> String {
        let mut out = format!("# {} API surface\n\n{INTRO}\n", code(&self.crate_name));

        out.push_str(&format!("\n{OPERATIONS}\n\n"));
        if self.operations.is_empty() {
            out.push_str("None.\n");
        }
        for (name, op) in &self.operations {
            let returns = match &op.returns {
                Some(t) => format!("returns {}", code(t)),
                None => "returns nothing".to_owned(),
            };
            let error = match &op.error {
                Some(t) => format!("error body {}", code(t)),
                None => "no error body".to_owned(),
            };
            out.push_str(&format!("- {} {returns}, {error}\n", code(name)));
            for (param, p) in &op.parameters {
                out.push_str(&format!(
                    "  - parameter {}: {}, {}\n",
                    code(param),
                    code(&p.ty),
                    required_word(p.required)
                ));
            }
        }

        out.push_str(&format!("\n{CLIENT}\n\n"));
        if self.client_functions.is_empty() {
            out.push_str("None.\n");
        }
        for sig in self.client_functions.values() {
            out.push_str(&format!("- {}\n", code(sig)));
        }

        out.push_str(&format!("\n{TYPES}\n\n"));
        if self.types.is_empty() {
            out.push_str("None.\n");
        }
        for (name, def) in &self.types {
            match def {
                TypeDef::Struct { fields } => {
                    out.push_str(&format!("- struct {}\n", code(name)));
                    for (field, f) in fields {
                        out.push_str(&format!(
                            "  - field {}{}: {}, {}\n",
                            code(field),
                            wire_suffix(&f.wire),
                            code(&f.ty),
                            required_word(f.required)
                        ));
                    }
                }
                TypeDef::Enum { open, variants } => {
                    let openness = if *open { "open" } else { "closed" };
                    out.push_str(&format!("- enum {} ({openness})\n", code(name)));
                    for (variant, v) in variants {
                        let payload = v
                            .payload
                            .as_ref()
                            .map(|p| format!(": {}", code(p)))
                            .unwrap_or_default();
                        out.push_str(&format!(
                            "  - variant {}{}{payload}\n",
                            code(variant),
                            wire_suffix(&v.wire)
                        ));
                    }
                }
                TypeDef::Newtype { inner } => {
                    out.push_str(&format!("- newtype {} of {}\n", code(name), code(inner)));
                }
                TypeDef::Alias { target } => {
                    out.push_str(&format!("- alias {} = {}\n", code(name), code(target)));
                }
            }
        }

        // Derived from the operations (and so not read back by `parse`): the
        // bodies a user has to handle in `Error::ErrorResponse`.
        out.push_str(&format!("\n{ERRORS}\n\n"));
        let mut errors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (name, op) in &self.operations {
            if let Some(e) = &op.error {
                errors.entry(e).or_default().insert(name);
            }
        }
        if errors.is_empty() {
            out.push_str("None.\n");
        }
        for (error, ops) in errors {
            let ops: Vec<String> = ops.into_iter().map(code).collect();
            out.push_str(&format!(
                "- {}: error body of {}\n",
                code(error),
                ops.join(", ")
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Reading the surface file back.
// ---------------------------------------------------------------------------

/// Splits a line into its text with each code span replaced by `{}`, and
/// the code spans' contents.
fn split_code(line: &str) -> Result<(String, Vec<String>), String> {
    let mut skeleton = String::new();
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        skeleton.push_str(&rest[..start]);
        let after = &rest[start..];
        let fence_len = after.len() - after.trim_start_matches('`').len();
        let body = &after[fence_len..];
        let close =
            find_fence(body, fence_len).ok_or_else(|| format!("unclosed code span in `{line}`"))?;
        let mut content = &body[..close];
        if content.len() >= 2 && content.starts_with(' ') && content.ends_with(' ') {
            content = &content[1..content.len() - 1];
        }
        spans.push(content.to_owned());
        skeleton.push_str("{}");
        rest = &body[close + fence_len..];
    }
    skeleton.push_str(rest);
    Ok((skeleton, spans))
}

/// Position of the first run of exactly `len` backticks in `s`.
fn find_fence(s: &str, len: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Section {
    #[default]
    Intro,
    Operations,
    Client,
    Types,
    Errors,
}

#[derive(Default)]
struct Parser {
    crate_name: Option<String>,
    section: Section,
    operations: BTreeMap<String, Operation>,
    client_functions: BTreeMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    current_operation: Option<String>,
    current_type: Option<String>,
}

impl Parser {
    fn parse(mut self, text: &str) -> Result<Surface, ParseError> {
        for (index, line) in text.lines().enumerate() {
            self.line(line).map_err(|message| ParseError {
                line: index + 1,
                message,
            })?;
        }
        let crate_name = self.crate_name.ok_or_else(|| ParseError {
            line: 1,
            message: "missing the title line (# `<crate>` API surface)".to_owned(),
        })?;
        Ok(Surface {
            crate_name,
            operations: self.operations,
            client_functions: self.client_functions,
            types: self.types,
        })
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let section = match line {
            OPERATIONS => Some(Section::Operations),
            CLIENT => Some(Section::Client),
            TYPES => Some(Section::Types),
            ERRORS => Some(Section::Errors),
            _ => None,
        };
        if let Some(section) = section {
            self.section = section;
            return Ok(());
        }
        let (skeleton, mut spans) = split_code(line)?;
        if self.section == Section::Intro {
            if skeleton == "# {} API surface" {
                self.crate_name = spans.pop();
            }
            return Ok(());
        }
        if line == "None." {
            return Ok(());
        }
        match self.section {
            Section::Intro => Ok(()),
            Section::Operations => self.operation_line(&skeleton, spans),
            Section::Client => match (skeleton.as_str(), spans.as_slice()) {
                ("- {}", [sig]) => {
                    let name = sig.split('(').next().unwrap_or_default().to_owned();
                    self.client_functions.insert(name, sig.clone());
                    Ok(())
                }
                _ => Err(format!("expected a client function, found `{line}`")),
            },
            Section::Types => self.type_line(&skeleton, spans),
            Section::Errors if skeleton.starts_with("- {}: error body of {}") => Ok(()),
            Section::Errors => Err(format!("expected an error type, found `{line}`")),
        }
    }

    fn operation_line(&mut self, skeleton: &str, spans: Vec<String>) -> Result<(), String> {
        let mut spans = spans.into_iter();
        let mut next = || spans.next().unwrap_or_default();
        let (returns, error) = match skeleton {
            "- {} returns {}, error body {}" => {
                let name = next();
                self.start_operation(name, Some(next()), Some(next()));
                return Ok(());
            }
            "- {} returns nothing, error body {}" => (false, true),
            "- {} returns {}, no error body" => (true, false),
            "- {} returns nothing, no error body" => (false, false),
            "  - parameter {}: {}, required" | "  - parameter {}: {}, optional" => {
                let op = self
                    .current_operation
                    .as_ref()
                    .and_then(|name| self.operations.get_mut(name))
                    .ok_or("parameter outside an operation")?;
                let name = next();
                op.parameters.insert(
                    name,
                    Parameter {
                        ty: next(),
                        required: skeleton.ends_with("required"),
                    },
                );
                return Ok(());
            }
            _ => {
                return Err(format!(
                    "expected an operation or parameter, found `{skeleton}`"
                ));
            }
        };
        let name = next();
        let returns = returns.then(&mut next);
        let error = error.then(&mut next);
        self.start_operation(name, returns, error);
        Ok(())
    }

    fn start_operation(&mut self, name: String, returns: Option<String>, error: Option<String>) {
        self.operations.insert(
            name.clone(),
            Operation {
                returns,
                error,
                parameters: BTreeMap::new(),
            },
        );
        self.current_operation = Some(name);
    }

    fn type_line(&mut self, skeleton: &str, spans: Vec<String>) -> Result<(), String> {
        let mut spans = spans.into_iter();
        let mut next = || spans.next().unwrap_or_default();
        let new_type = match skeleton {
            "- struct {}" => Some((
                next(),
                TypeDef::Struct {
                    fields: BTreeMap::new(),
                },
            )),
            "- enum {} (open)" | "- enum {} (closed)" => Some((
                next(),
                TypeDef::Enum {
                    open: skeleton.ends_with("(open)"),
                    variants: BTreeMap::new(),
                },
            )),
            "- newtype {} of {}" => {
                let name = next();
                Some((name, TypeDef::Newtype { inner: next() }))
            }
            "- alias {} = {}" => {
                let name = next();
                Some((name, TypeDef::Alias { target: next() }))
            }
            _ => None,
        };
        if let Some((name, def)) = new_type {
            self.types.insert(name.clone(), def);
            self.current_type = Some(name);
            return Ok(());
        }

        let current = self
            .current_type
            .as_ref()
            .and_then(|name| self.types.get_mut(name))
            .ok_or_else(|| format!("expected a type, found `{skeleton}`"))?;
        match (skeleton, current) {
            (
                "  - field {}: {}, required"
                | "  - field {}: {}, optional"
                | "  - field {} ({}): {}, required"
                | "  - field {} ({}): {}, optional",
                TypeDef::Struct { fields },
            ) => {
                let name = next();
                let wire = skeleton.contains("({})").then(&mut next);
                fields.insert(
                    name,
                    Field {
                        ty: next(),
                        wire,
                        required: skeleton.ends_with("required"),
                    },
                );
                Ok(())
            }
            (
                "  - variant {}"
                | "  - variant {} ({})"
                | "  - variant {}: {}"
                | "  - variant {} ({}): {}",
                TypeDef::Enum { variants, .. },
            ) => {
                let name = next();
                let wire = skeleton.contains("({})").then(&mut next);
                let payload = skeleton.ends_with(": {}").then(&mut next);
                variants.insert(name, Variant { wire, payload });
                Ok(())
            }
            (_, def) => Err(format!("`{skeleton}` does not belong to a {}", def.kind())),
        }
    }
}
