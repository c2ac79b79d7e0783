//! Every operation the spec declares paged (see [`crate::spec::paging`]) gets, on
//! its request builder:
//!
//! - `PAGING`, its [`Rules`](invoicing_runtime::paging::Rules);
//! - `stream()` and `stream_from(checkpoint)`: the items of every page, as
//!   the runtime's `Listing` (lazy, at most two pages in memory, guarded, resumable);
//!   `.pages()` on it gives whole pages with their checkpoints;
//! - `fetch_page::<T>(position)`: one page, its items decoded as any `T`
//!   (the facade reads them as `Box<RawValue>` to keep each item's JSON),
//!   with the paging fields read in the same pass over the body: a small
//!   generic envelope struct per operation holds only the list and those
//!   fields.
//!
//! progenitor generates `stream()` only for Dropshot's own paging extension
//! (`x-dropshot-pagination`, a `page_token` parameter and `next_page`
//! field), which none of our vendors follows, so the methods are written
//! here from the declaration.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Item, Type};

use super::ClientFacts;
use crate::generate::progenitor_output::{
    BUILDER, TYPES, builder_of, defines_type, field_for, last_ident, module, module_mut,
    send_types, struct_named, unwrap_type,
};
use crate::naming::snake_ident;
use crate::spec::paging::{FieldPath, Next, PagedOperation, PagingStyle, path_text};

pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
    let mut generated = Vec::new();
    for op in &facts.paged {
        generated.extend(paged(file, op)?);
    }
    if generated.is_empty() {
        return Ok(0);
    }
    let count = generated.len();
    let builder = module_mut(&mut file.items, BUILDER)
        .ok_or("progenitor generated no `mod builder` for the paged operations")?;
    builder.extend(generated);
    Ok(count)
}

/// The paging methods and envelope of one operation.
fn paged(file: &syn::File, op: &PagedOperation) -> Result<Vec<Item>, String> {
    let method = snake_ident(&op.operation_id);
    let fail = |what: String| {
        format!(
            "paged operation {} (declared at {}): {what}",
            op.operation_id, op.pointer
        )
    };
    let (imp, send) =
        builder_of(file, &method).ok_or_else(|| fail("progenitor generated no builder".into()))?;
    let builder = last_ident(&imp.self_ty).ok_or_else(|| fail("unnamed builder".into()))?;
    let builder_ident = format_ident!("{builder}");
    let types = module(&file.items, TYPES).unwrap_or_default();
    let (body, _) = send_types(&send.sig.output)
        .ok_or_else(|| fail("its `send()` does not return a response value".into()))?;
    let item_ty = item_type(types, body, &op.items).map_err(fail)?;
    let id_of = match &op.id {
        Some(id) => Some(id_of(types, &item_ty, id).map_err(fail)?),
        None => None,
    };

    let envelope = format_ident!("{builder}Page");
    let read = read_page(op, &envelope);

    let rules_style = match &op.style {
        PagingStyle::Cursor { .. } => quote!(invoicing_runtime::paging::PagingStyle::Cursor),
        PagingStyle::Url { .. } => quote!(invoicing_runtime::paging::PagingStyle::Url),
        PagingStyle::Page { first, .. } => {
            quote!(invoicing_runtime::paging::PagingStyle::Page { first: #first })
        }
        PagingStyle::Offset { .. } => quote!(invoicing_runtime::paging::PagingStyle::Offset),
    };
    let position = match &op.style.param() {
        Some(param) => {
            let setter = format_ident!("{}", snake_ident(param));
            let ty = param_type(file, &builder, &setter.to_string()).map_err(fail)?;
            quote! {
                let request = match Self::PAGING.param::<#ty>(&at)? {
                    Some(value) => self.#setter(value),
                    None => self,
                };
            }
        }
        None => quote!(let request = self;),
    };
    let send = match &op.style {
        PagingStyle::Url { .. } => {
            let path = &op.path;
            quote! {
                let here = format!("{}{}", request.client.baseurl, #path);
                let follow = Self::PAGING.follow(&at, &here)?;
                let result = request.send_raw_to(follow).await;
            }
        }
        _ => quote!(let result = request.send_raw_progenitor().await;),
    };
    let with_ids = id_of.map(|id_of| quote!(.with_ids(|item: &#item_ty| #id_of)));

    let doc_stream = format!(
        "Every item of the listing, page after page: lazily, at most two pages in memory (the next is read ahead){}. Pages \
         by {}.\n\nThe paging parameter is set by the stream; every other \
         parameter set on this builder is sent with each page. Errors (the API's, and the \
         vendor paging faults the runtime guards against) are `Err` items that end the \
         stream; [`Listing::checkpoint`](invoicing_runtime::paging::Listing::checkpoint) \
         says what was taken, to resume with [`Self::stream_from`].",
        match &op.id {
            Some(id) => format!(
                ", each item once (told apart by `{id}`; an 8-byte hash of each id delivered is kept, \
                 see [the invariant](invoicing_runtime::paging#the-invariant))"
            ),
            None => " (items have no declared id: only a page repeated whole is caught)".to_owned(),
        },
        op.style.describe(),
    );
    let operation = &method;
    let mut code: Vec<Item> = vec![syn::parse_quote! {
        impl<'a> #builder_ident<'a> {
            /// How this operation pages.
            pub const PAGING: invoicing_runtime::paging::Rules =
                invoicing_runtime::paging::Rules::new(super::PROVIDER, #operation, #rules_style);

            #[doc = #doc_stream]
            pub fn stream(self) -> invoicing_runtime::paging::Listing<'a, #item_ty> {
                self.stream_from(invoicing_runtime::paging::ListingCheckpoint::start())
            }

            /// The listing of [`Self::stream`], resumed from `checkpoint`: every item not
            /// taken before it, exactly once.
            pub fn stream_from(
                self,
                checkpoint: invoicing_runtime::paging::ListingCheckpoint,
            ) -> invoicing_runtime::paging::Listing<'a, #item_ty> {
                invoicing_runtime::paging::Listing::new(Self::PAGING, checkpoint, move |at| {
                    self.clone().fetch_page(at)
                })
                #with_ids
            }

            /// One page at `at`, its items decoded as `T` (e.g. `Box<RawValue>` to keep
            /// each item's JSON), with the paging fields of the same response.
            pub async fn fetch_page<T: ::serde::de::DeserializeOwned>(
                self,
                at: invoicing_runtime::paging::Position,
            ) -> ::std::result::Result<invoicing_runtime::paging::Fetched<T>, invoicing_runtime::Error> {
                #position
                #send
                let response = match result {
                    Ok(response) => response,
                    Err(err) => {
                        let origin = Self::PAGING.origin(&at);
                        return Err(invoicing_runtime::Error::from_progenitor(origin, err).await);
                    }
                };
                let headers = response.headers().clone();
                Self::read_page(&at, &headers, &response.into_inner())
            }

            #read
        }
    }];
    if matches!(op.style, PagingStyle::Url { .. }) {
        code.push(send_raw_to(imp, &builder_ident).map_err(fail)?);
    }
    code.extend(envelope_structs(op, &envelope));
    Ok(code)
}

/// The page envelope's members: the list, the vendor's error members, and
/// each paging field with the `Fetched` setter it feeds.
fn members(op: &PagedOperation) -> Vec<(&FieldPath, Leaf, &'static str)> {
    let mut members = vec![(&op.items, Leaf::Items, "")];
    members.extend(op.error.iter().map(|path| (path, Leaf::VendorError, "")));
    let counts: Vec<(&Option<FieldPath>, &'static str)> = match &op.style {
        PagingStyle::Page {
            last_page,
            current,
            total,
            ..
        } => vec![
            (last_page, "last_page"),
            (current, "current_page"),
            (total, "total"),
        ],
        PagingStyle::Offset { total, .. } => vec![(total, "total")],
        PagingStyle::Cursor { .. } | PagingStyle::Url { .. } => Vec::new(),
    };
    for (path, setter) in counts {
        if let Some(path) = path {
            members.push((path, Leaf::Count, setter));
        }
    }
    if let PagingStyle::Cursor {
        next: Next::Field(path),
        ..
    }
    | PagingStyle::Url {
        next: Next::Field(path),
    } = &op.style
    {
        members.push((path, Leaf::Text, "next"));
    }
    if let PagingStyle::Cursor {
        next: Next::LastItem {
            more: Some(path), ..
        },
        ..
    } = &op.style
    {
        members.push((path, Leaf::Flag, "more"));
    }
    members
}

fn tree(op: &PagedOperation) -> Node {
    let mut tree = Node::default();
    for (path, leaf, _) in members(op) {
        tree.insert(path, leaf);
    }
    tree
}

/// The generic structs the page body is read into, in one pass.
fn envelope_structs(op: &PagedOperation, envelope: &syn::Ident) -> Vec<Item> {
    tree(op).structs(envelope, true)
}

/// `read_page`: one page's `Fetched` from its headers and body, the paging
/// fields read from the envelope before its list is moved out.
fn read_page(op: &PagedOperation, envelope: &syn::Ident) -> TokenStream {
    let tree = tree(op);
    let mut facts = Vec::new();
    let mut lets = Vec::new();
    let mut errors = Vec::new();
    for (path, leaf, setter) in members(op) {
        let getter = access(&tree, path, quote!(page));
        match leaf {
            Leaf::Items => {}
            Leaf::VendorError => errors.push(getter),
            // The flag feeds the last-item cursor below, not a setter.
            Leaf::Flag => lets.push(quote!(let more = #getter;)),
            Leaf::Count | Leaf::Text => {
                let setter = format_ident!("{setter}");
                lets.push(quote!(let #setter = #getter;));
                facts.push(match leaf {
                    Leaf::Text => quote!(.#setter(Ok(#setter))),
                    _ => quote!(.#setter(#setter)),
                });
            }
        }
    }
    let link = matches!(
        op.style,
        PagingStyle::Cursor {
            next: Next::Link,
            ..
        } | PagingStyle::Url { next: Next::Link }
    );
    match &op.style {
        PagingStyle::Cursor { param, .. } if link => {
            facts.push(quote!(.next(invoicing_runtime::paging::next_in_link(headers, #param))))
        }
        _ if link => facts.push(quote!(.next(invoicing_runtime::paging::next_link(headers)))),
        PagingStyle::Cursor {
            next: Next::LastItem { member, more },
            ..
        } => {
            let more = match more {
                Some(_) => quote!(more),
                None => quote!(None),
            };
            let items = &op.items;
            facts.push(quote!(.next(invoicing_runtime::paging::next_after_last(
                #more,
                invoicing_runtime::paging::last_item_member(body, &[#(#items),*], #member),
            ))));
        }
        _ => {}
    }
    if op.id.is_none() {
        facts.push(quote!(.fingerprint(body)));
    }
    let headers = match link {
        true => quote!(headers),
        false => quote!(_headers),
    };
    let vendor_error = errors
        .into_iter()
        .reduce(|first, next| quote!(#first.or(#next)))
        .unwrap_or_else(|| quote!(None));
    let items = access(&tree, &op.items, quote!(page));
    let list = path_text(&op.items);
    quote! {
        /// One page at `at` read from its response headers and body (as
        /// [`Self::fetch_page`] does after sending), e.g. a body kept from an
        /// earlier response.
        pub fn read_page<T: ::serde::de::DeserializeOwned>(
            at: &invoicing_runtime::paging::Position,
            #headers: &reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<invoicing_runtime::paging::Fetched<T>, invoicing_runtime::Error> {
            let page: #envelope<T> = Self::PAGING.decode(at, body)?;
            #(#lets)*
            let vendor_error = #vendor_error;
            let items = invoicing_runtime::paging::list_of(#list, #items, vendor_error, body)
                .map_err(|problem| Self::PAGING.error(at, problem))?;
            Ok(invoicing_runtime::paging::Fetched::new(items) #(#facts)*)
        }
    }
}

/// The Rust type of the list's items: the body type's fields along `path`,
/// ending in a `Vec<T>` (or `Option<Vec<T>>`).
fn item_type(types: &[Item], body: &Type, path: &[String]) -> Result<Type, String> {
    let mut current = body.clone();
    for member in path {
        let name = last_ident(&current).unwrap_or_default();
        let s = struct_named(types, &name).ok_or_else(|| {
            format!("`{name}` is not a generated struct, so `{member}` cannot be read")
        })?;
        let field = field_for(s, member)
            .ok_or_else(|| format!("struct `{name}` has no field for `{member}`"))?;
        current = unwrap_type(&field.ty, "Option")
            .unwrap_or(&field.ty)
            .clone();
    }
    let item = unwrap_type(&current, "Vec")
        .ok_or_else(|| format!("`{}` is not a list in the generated code", path_text(path)))?;
    Ok(in_builder(types, item))
}

/// `Invoice` -> `types::Invoice`: a type of the types module, as code in
/// `mod builder` names it.
fn in_builder(types: &[Item], ty: &Type) -> Type {
    match ty {
        Type::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && defines_type(types, &p.path.segments[0].ident.to_string()) =>
        {
            let types_module = format_ident!("{TYPES}");
            syn::parse_quote!(#types_module::#p)
        }
        other => other.clone(),
    }
}

/// An expression giving an item's id as text (`Option<String>`).
fn id_of(types: &[Item], item: &Type, member: &str) -> Result<TokenStream, String> {
    let name = last_ident(item).unwrap_or_default();
    let s = struct_named(types, &name).ok_or_else(|| {
        format!("the items (`{name}`) are not a generated struct with `{member}`")
    })?;
    let field = field_for(s, member)
        .ok_or_else(|| format!("struct `{name}` has no field for `{member}`"))?;
    let ident = field.ident.as_ref().ok_or("a tuple struct")?;
    let (inner, optional) = match unwrap_type(&field.ty, "Option") {
        Some(inner) => (inner, true),
        None => (&field.ty, false),
    };
    // Std's and uuid's types print themselves; a generated newtype may not,
    // and its JSON text is as good an id.
    let displays = !defines_type(types, &last_ident(inner).unwrap_or_default());
    let text = match displays {
        true => quote!(::std::string::ToString::to_string(id)),
        false => quote!(::serde_json::to_string(id).unwrap_or_default()),
    };
    Ok(match optional {
        true => quote!(item.#ident.as_ref().map(|id| #text)),
        false => quote!({ let id = &item.#ident; Some(#text) }),
    })
}

/// The type a builder holds parameter `setter` as: `Result<Option<T>,
/// String>` (or `Result<T, String>` when required) -> `T`.
fn param_type(file: &syn::File, builder: &str, setter: &str) -> Result<Type, String> {
    let builders = module(&file.items, BUILDER).unwrap_or_default();
    let s =
        struct_named(builders, builder).ok_or_else(|| format!("no builder struct `{builder}`"))?;
    let field = s
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == setter))
        .ok_or_else(|| format!("builder `{builder}` has no parameter `{setter}`"))?;
    let held = unwrap_type(&field.ty, "Result").ok_or("a parameter not held as a Result")?;
    Ok(unwrap_type(held, "Option").unwrap_or(held).clone())
}

/// A copy of `send_raw()` that sends to `next_url` instead, when given (the
/// next page's URL, with its own query).
fn send_raw_to(imp: &syn::ItemImpl, builder: &syn::Ident) -> Result<Item, String> {
    let mut raw = imp
        .items
        .iter()
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "send_raw" => Some(f.clone()),
            _ => None,
        })
        .ok_or("its builder has no `send_raw()`")?;
    raw.sig.ident = format_ident!("send_raw_to");
    raw.sig
        .inputs
        .push(syn::parse_quote!(next_url: ::std::option::Option<reqwest::Url>));
    raw.vis = syn::Visibility::Inherited;
    raw.attrs = vec![syn::parse_quote!(#[doc = "`send_raw()` to `next_url` instead, when given."])];
    let built = raw
        .block
        .stmts
        .iter()
        .position(|stmt| matches!(stmt, syn::Stmt::Local(local) if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request")))
        .ok_or("`send_raw()` builds no `request`")?;
    raw.block.stmts.insert(
        built + 1,
        syn::parse_quote!(if let Some(next_url) = next_url {
            *request.url_mut() = next_url;
        }),
    );
    Ok(syn::parse_quote! {
        impl<'a> #builder<'a> {
            #raw
        }
    })
}

/// What a body path ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    /// The list of items (`Option<Vec<T>>`: a missing list is an error, not
    /// an empty page).
    Items,
    /// A member whose presence means the vendor's error object.
    VendorError,
    /// A number of pages or items.
    Count,
    /// A cursor or URL.
    Text,
    /// A boolean: more items follow.
    Flag,
}

/// The members of the envelope, as a tree of body paths.
#[derive(Debug, Default)]
struct Node {
    leaf: Option<Leaf>,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn insert(&mut self, path: &[String], leaf: Leaf) {
        match path {
            [] => self.leaf = Some(leaf),
            [first, rest @ ..] => self
                .children
                .entry(first.clone())
                .or_default()
                .insert(rest, leaf),
        }
    }

    /// Whether the list is at or under this node: its struct is generic.
    fn holds_items(&self) -> bool {
        self.leaf == Some(Leaf::Items) || self.children.values().any(Node::holds_items)
    }

    /// The field name of each child, unique within the struct.
    fn fields(&self) -> Vec<(&String, &Node, syn::Ident)> {
        let mut used = Vec::new();
        self.children
            .iter()
            .map(|(member, node)| {
                let mut name = snake_ident(member);
                while used.contains(&name) {
                    name.push('_');
                }
                used.push(name.clone());
                (member, node, format_ident!("{name}"))
            })
            .collect()
    }

    /// The structs of this node (named `name`) and of its children. Every
    /// member is optional: what is missing is judged by the runtime (a
    /// missing list is an error, a missing count an unknown one).
    fn structs(&self, name: &syn::Ident, root: bool) -> Vec<Item> {
        let generic = self.holds_items().then(|| quote!(<T>));
        let mut nested = Vec::new();
        let fields: Vec<TokenStream> = self
            .fields()
            .into_iter()
            .map(|(member, node, ident)| {
                // Counts and cursors are read leniently: one of another type
                // is unknown, and the page's items are still listed.
                let lenient = match node.leaf {
                    Some(Leaf::Count) => {
                        quote!(, default, deserialize_with = "invoicing_runtime::paging::lenient_count")
                    }
                    Some(Leaf::Text) => {
                        quote!(, default, deserialize_with = "invoicing_runtime::paging::lenient_text")
                    }
                    Some(Leaf::Flag) => {
                        quote!(, default, deserialize_with = "invoicing_runtime::paging::lenient_flag")
                    }
                    _ => quote!(),
                };
                let ty = match node.leaf {
                    Some(Leaf::Items) => quote!(::std::vec::Vec<T>),
                    Some(Leaf::VendorError) => {
                        quote!(::std::boxed::Box<::serde_json::value::RawValue>)
                    }
                    Some(Leaf::Count) => quote!(u64),
                    Some(Leaf::Text) => quote!(::std::string::String),
                    Some(Leaf::Flag) => quote!(bool),
                    None => {
                        let child = format_ident!(
                            "{name}{}",
                            heck::ToUpperCamelCase::to_upper_camel_case(member.as_str())
                        );
                        nested.extend(node.structs(&child, false));
                        let child_generic = node.holds_items().then(|| quote!(<T>));
                        quote!(#child #child_generic)
                    }
                };
                // A missing `Option` member reads as `None` without `default`
                // (which would ask `T: Default` of the generic struct).
                quote!(#[serde(rename = #member #lenient)] #ident: ::std::option::Option<#ty>)
            })
            .collect();
        let doc = match root {
            true => {
                "The parts of one page that paging reads: the list, the vendor's error, and where the next page is."
            }
            false => "A part of the page envelope above.",
        };
        let mut items = vec![syn::parse_quote! {
            #[doc = #doc]
            #[derive(::serde::Deserialize)]
            struct #name #generic { #(#fields,)* }
        }];
        items.extend(nested);
        items
    }
}

/// The expression reading `path` out of the envelope value `base`: the
/// list by value (`Option<Vec<T>>`), the other members by reference
/// (`Option<u64>`, `Option<String>`, `Option<&RawValue>`).
fn access(tree: &Node, path: &[String], base: TokenStream) -> TokenStream {
    let Some((first, rest)) = path.split_first() else {
        return base;
    };
    let (node, ident) = tree
        .fields()
        .into_iter()
        .find(|(member, _, _)| *member == first)
        .map(|(_, node, ident)| (node, ident))
        .expect("paths are inserted before they are read");
    if rest.is_empty() {
        return match node.leaf {
            Some(Leaf::Text) => quote!(#base.#ident.clone()),
            Some(Leaf::VendorError) => quote!(#base.#ident.as_deref()),
            _ => quote!(#base.#ident),
        };
    }
    let inner = access(node, rest, quote!(v));
    match node.holds_items() {
        true => quote!(#base.#ident.and_then(|v| #inner)),
        false => quote!(#base.#ident.as_ref().and_then(|v| #inner)),
    }
}
